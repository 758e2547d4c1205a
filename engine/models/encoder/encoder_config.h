// Hyper-parameters of an encoder (BERT-style, post-layer-norm), with Hugging Face BertConfig key names.
#pragma once

#include <cstdint>
#include <string>

namespace attnviz {

class Params;

struct EncoderConfig {
  std::int64_t vocabSize = 0;
  std::int64_t hiddenSize = 0;
  std::int64_t numLayers = 0;
  std::int64_t numHeads = 0;
  std::int64_t intermediateSize = 0;
  std::int64_t maxPositions = 0;
  std::int64_t typeVocabSize = 2;
  float layerNormEps = 1e-12f;
  bool lowercase = true;
  std::int64_t headDim() const { return hiddenSize / numHeads; }
};

// Reads and checks the "architecture" of an attnviz.json; anything unsupported (another activation or
// tokenizer) is refused naming the key and its value.
EncoderConfig readEncoderConfig(const Params& architecture, const std::string& where);

}  // namespace attnviz
