#include "engine/models/seq2seq/transformer_config.h"

#include "engine/core/error.h"
#include "engine/io/package.h"

namespace attnviz::seq2seq {

namespace {

constexpr std::int64_t kMaxDim = 1 << 16;

void refuseTrue(const Params& c, const std::string& key, const std::string& what, const std::string& where) {
  if (c.getBool(key, false))
    throw ModelFileError(where, "config key '" + key + "' is true (" + what +
                                    "); attnviz runs post-layer-norm MarianMT and BART models");
}

}  // namespace

const char* activationName(FfnActivation a) {
  switch (a) {
    case FfnActivation::Swish: return "swish";
    case FfnActivation::Gelu: return "gelu";
    case FfnActivation::Relu: return "relu";
  }
  return "?";
}

TransformerConfig readTransformerConfig(const Params& c, const std::string& modelType, const std::string& where) {
  TransformerConfig t;
  const bool marian = modelType == "marian";
  if (!marian && modelType != "bart")
    throw ModelFileError(where, "model_type \"" + modelType + "\" is not an encoder-decoder attnviz runs (marian, bart)");
  t.family = marian ? TransformerFamily::Marian : TransformerFamily::Bart;
  // Defaults: transformers' MarianConfig / BartConfig.
  t.vocabSize = c.getInt("vocab_size", 1, 1 << 22, marian ? 58101 : 50265);
  t.dModel = c.getInt("d_model", 1, kMaxDim, 1024);
  t.encoderLayers = c.getInt("encoder_layers", 1, 256, 12);
  t.decoderLayers = c.getInt("decoder_layers", 1, 256, 12);
  t.encoderHeads = c.getInt("encoder_attention_heads", 1, 1024, 16);
  t.decoderHeads = c.getInt("decoder_attention_heads", 1, 1024, 16);
  t.encoderFfn = c.getInt("encoder_ffn_dim", 1, 4 * kMaxDim, 4096);
  t.decoderFfn = c.getInt("decoder_ffn_dim", 1, 4 * kMaxDim, 4096);
  t.maxPositions = c.getInt("max_position_embeddings", 1, 1 << 20, 1024);
  t.scaleEmbedding = c.getBool("scale_embedding", false);
  t.padId = c.getInt("pad_token_id", 0, t.vocabSize - 1, marian ? 58100 : 1);
  t.eosId = c.getInt("eos_token_id", 0, t.vocabSize - 1, marian ? 0 : 2);
  t.decoderStartId = c.getInt("decoder_start_token_id", 0, t.vocabSize - 1, marian ? 58100 : 2);
  if (!marian) t.bosId = c.getInt("bos_token_id", 0, t.vocabSize - 1, 0);
  const std::string activation = c.getString("activation_function", "gelu");
  if (activation == "swish" || activation == "silu") t.activation = FfnActivation::Swish;
  else if (activation == "gelu") t.activation = FfnActivation::Gelu;
  else if (activation == "relu") t.activation = FfnActivation::Relu;
  else
    throw ModelFileError(where, "activation_function is \"" + activation +
                                    "\"; attnviz runs swish (silu), gelu (erf form) and relu");
  for (auto [heads, key] : {std::pair{t.encoderHeads, "encoder_attention_heads"}, std::pair{t.decoderHeads, "decoder_attention_heads"}})
    if (t.dModel % heads != 0)
      throw ModelFileError(where, "d_model " + std::to_string(t.dModel) + " is not divisible by " + key + " " +
                                      std::to_string(heads));
  refuseTrue(c, "normalize_before", "layer norm before each block, as mBART", where);
  refuseTrue(c, "add_final_layer_norm", "a final layer norm per stack, as mBART", where);
  if (marian) refuseTrue(c, "normalize_embedding", "a layer norm on the embeddings", where);
  if (!c.getBool("share_encoder_decoder_embeddings", true))
    throw ModelFileError(where, "share_encoder_decoder_embeddings is false (separate source and target vocabularies); "
                                "attnviz runs MarianMT models with one shared vocabulary");
  if (c.has("decoder_vocab_size") && c.getInt("decoder_vocab_size", 1, 1 << 22, t.vocabSize) != t.vocabSize)
    throw ModelFileError(where, "decoder_vocab_size differs from vocab_size; attnviz runs one shared vocabulary");
  return t;
}

}  // namespace attnviz::seq2seq
