#include "engine/models/encoder/encoder_config.h"

#include "engine/core/error.h"
#include "engine/io/package.h"

namespace attnviz {

EncoderConfig readEncoderConfig(const Params& a, const std::string& where) {
  // Bounds are generous for real models and small enough that products of them fit comfortably in int64.
  constexpr std::int64_t kMaxDim = 1 << 16;
  EncoderConfig c;
  c.vocabSize = a.getInt("vocab_size", 1, 1 << 22);
  c.hiddenSize = a.getInt("hidden_size", 1, kMaxDim);
  c.numLayers = a.getInt("num_hidden_layers", 1, 256);
  c.numHeads = a.getInt("num_attention_heads", 1, 1024);
  c.intermediateSize = a.getInt("intermediate_size", 1, 4 * kMaxDim);
  c.maxPositions = a.getInt("max_position_embeddings", 2, 1 << 20);
  c.typeVocabSize = a.getInt("type_vocab_size", 1, 1024, 2);
  c.layerNormEps = static_cast<float>(a.getNumber("layer_norm_eps", 1e-12));
  c.lowercase = a.getBool("lowercase", true);
  if (!(c.layerNormEps > 0.0f && c.layerNormEps < 1.0f))
    throw ModelFileError(where, "layer_norm_eps must be in (0, 1), found " + std::to_string(c.layerNormEps));
  if (c.hiddenSize % c.numHeads != 0)
    throw ModelFileError(where, "hidden_size " + std::to_string(c.hiddenSize) + " is not divisible by num_attention_heads " +
                                    std::to_string(c.numHeads));
  const std::string act = a.getString("hidden_act", "gelu");
  if (act != "gelu")
    throw ModelFileError(where, "hidden_act \"" + act + "\" is not supported (only \"gelu\", the erf form)");
  const std::string tokenizer = a.getString("tokenizer", "basic");
  if (tokenizer != "basic")
    throw ModelFileError(where, "tokenizer \"" + tokenizer + "\" is not supported by attnviz packages (only \"basic\")");
  return c;
}

}  // namespace attnviz
