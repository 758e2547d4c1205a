// Hyper-parameters of a seq2seq package: the "architecture" object of attnviz.json, with the keys
// models/seq2seq/train.py writes. Every key is required, range-checked, and any other key is refused (an
// unknown key may change what the weights mean), all as ModelFileError naming the key and its value.
//
//   attnviz::seq2seq::Config c = attnviz::seq2seq::readConfig(package.manifest().architecture, where);
//   if (c.attention == attnviz::seq2seq::AttentionKind::LocalP) ... c.window ...
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace attnviz {
class Params;
}

namespace attnviz::seq2seq {

// The six scorers of models/seq2seq/model.py (its docstring has the formulas).
enum class AttentionKind { Bahdanau, LuongDot, LuongGeneral, LuongConcat, ScaledDot, LocalP };

// "bahdanau", "luong-dot", ... as in attnviz.json and model.py VARIANTS.
std::string_view attentionName(AttentionKind kind);

struct Config {
  std::int64_t embeddingSize = 0;   // source and target embeddings
  std::int64_t encoderHidden = 0;   // H, per direction; annotations are 2H
  std::int64_t decoderHidden = 0;   // D
  std::int64_t attentionSize = 0;   // A (bahdanau / luong-concat / local-p's position network)
  float window = 4.0f;              // local-p: sigma = window / 2
  AttentionKind attention = AttentionKind::Bahdanau;
  std::int64_t sourceVocabSize = 0;
  std::int64_t targetVocabSize = 0;
  std::int64_t maxSourceTokens = 0;  // source tokens kept, <eos> included; longer inputs are truncated
  std::int64_t padId = 0, unkId = 1, sosId = 2, eosId = 3;

  std::int64_t annotationSize() const { return 2 * encoderHidden; }
  // Bahdanau feeds the context c_t into the decoder GRU; the Luong variants feed o_{t-1} (input feeding).
  bool bahdanauFlow() const { return attention == AttentionKind::Bahdanau; }
  std::int64_t decoderInputSize() const { return embeddingSize + (bahdanauFlow() ? annotationSize() : decoderHidden); }
};

// Reads and checks `architecture`; `where` is "<package>/attnviz.json".
Config readConfig(const Params& architecture, const std::string& where);

}  // namespace attnviz::seq2seq
