// Hyper-parameters of a transformer encoder-decoder in the Hugging Face MarianMT or BART layout, read from its
// config.json. Keys a checkpoint leaves out take the defaults of transformers' MarianConfig / BartConfig (a
// save_pretrained config omits values equal to them). Settings attnviz does not run (pre-layer-norm mBART,
// separate source and target vocabularies, an unknown activation) are refused as ModelFileError naming the key.
//
//   attnviz::seq2seq::TransformerConfig c = readTransformerConfig(params, "opus-mt-en-fr/config.json");
//   c.family == TransformerFamily::Marian;  c.decoderStartId == c.padId;
#pragma once

#include <cstdint>
#include <string>

namespace attnviz {
class Params;
}

namespace attnviz::seq2seq {

// Marian: static sinusoidal positions (half-split sin | cos, from position 0), no embedding layer norm.
// Bart: learned positions read at row position + 2, layernorm_embedding after embedding + position.
enum class TransformerFamily { Marian, Bart };
enum class FfnActivation { Swish, Gelu, Relu };  // config "swish"/"silu", "gelu" (erf form), "relu"

struct TransformerConfig {
  TransformerFamily family = TransformerFamily::Marian;
  std::int64_t vocabSize = 0;
  std::int64_t dModel = 0;
  std::int64_t encoderLayers = 0, decoderLayers = 0;
  std::int64_t encoderHeads = 0, decoderHeads = 0;
  std::int64_t encoderFfn = 0, decoderFfn = 0;
  std::int64_t maxPositions = 0;  // tokens per side the position table covers
  FfnActivation activation = FfnActivation::Gelu;
  bool scaleEmbedding = false;    // token embeddings times sqrt(d_model)
  std::int64_t padId = 0, eosId = 0, decoderStartId = 0;
  std::int64_t bosId = -1;        // BART prepends it to the source (<s> ... </s>); -1: none (Marian)
  float layerNormEps = 1e-5f;     // nn.LayerNorm's default, fixed in both modeling files
};

// model_type "marian" or "bart"; where names config.json in messages.
TransformerConfig readTransformerConfig(const Params& config, const std::string& modelType, const std::string& where);

const char* activationName(FfnActivation a);

}  // namespace attnviz::seq2seq
