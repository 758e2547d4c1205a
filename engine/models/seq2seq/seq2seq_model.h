// The `seq2seq` kind: English->French translation with attention, a bidirectional GRU encoder and a GRU
// decoder with one of six scorers (bahdanau, luong-dot, luong-general, luong-concat, scaled-dot, local-p), as
// models/seq2seq/model.py. Package: attnviz.json architecture (seq2seq_config.h), files "weights",
// "source_vocab", "target_vocab"; tensors named as the PyTorch state dict, every one checked, extras refused.
//
// run(): the source is tokenized (seq2seq_tokenizer.h), cut to max_source_tokens - 1 words with a warning, and
// <eos> appended (S tokens). Then, by RunOptions:
//   target set      forced decoding of tokenize(target) + <eos> (teacher forcing)
//   beam == 1       greedy decoding, at most 2 * S + 10 tokens (a warning when it stops without <eos>)
//   beam > 1        beam search (decoding.h documents the score); Trace::hypotheses holds the n-best list
// Trace: tokens.source = source tokens + "<eos>" (words missing from the vocabulary shown as "<unk>", as the
// model sees them); tokens.target = output tokens, the final "<eos>" included; attention.cross [T, S];
// prediction.translation = translationText(tokens.target) (seq2seq_tokenizer.h: without <eos>, as French).
//
//   auto model = attnviz::loadModel("models/seq2seq-bahdanau");
//   attnviz::RunOptions o; o.beam = 5;
//   attnviz::Trace t = model->run(attnviz::Input::fromText("Tom is tired."), o);   // t.prediction.translation
//
//   attnviz::seq2seq::Seq2seqModel m(attnviz::Package::open(path));                // tests: logits, ids
//   auto ids = m.sourceIds("Tom is tired.", "test");
//   attnviz::seq2seq::Decoded g = greedy(m.network(), m.network().encode(ids.ids), m.maxDecodeLength(ids));
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/model.h"
#include "engine/models/seq2seq/seq2seq_config.h"
#include "engine/models/seq2seq/seq2seq_network.h"
#include "engine/models/seq2seq/vocabulary.h"

namespace attnviz {

class Package;

std::unique_ptr<Model> loadSeq2seq(const Package& package);

extern const ModelKind kSeq2seqKind;  // seq2seq_kind.cpp: this kind's row of the kind table

namespace seq2seq {

// A text as the model sees it.
struct TokenIds {
  std::vector<std::string> tokens;  // vocabulary tokens ("<unk>" for unknown words), "<eos>" last
  std::vector<std::int64_t> ids;    // same length
  std::int64_t droppedTokens = 0;   // cut by max_source_tokens or the token limit
};

class Seq2seqModel final : public Model {
 public:
  explicit Seq2seqModel(const Package& package);
  const ModelInfo& info() const override { return info_; }

  const Config& config() const { return config_; }
  const Network& network() const { return network_; }
  // Source text -> tokens + <eos>, at most max_source_tokens (and maxTokens) of them. InputError(origin) on
  // invalid UTF-8.
  TokenIds sourceIds(std::string_view text, const std::string& origin,
                     std::int64_t maxTokens = kMaxTokensLimit.defaultValue) const;
  // Target text -> tokens + <eos>, at most maxTokens of them.
  TokenIds targetIds(std::string_view text, const std::string& origin,
                     std::int64_t maxTokens = kMaxTokensLimit.defaultValue) const;
  // The greedy / beam decoding limit for a source: 2 * S + 10 (S with <eos>), as train.py.
  static std::int64_t maxDecodeLength(const TokenIds& source) {
    return 2 * static_cast<std::int64_t>(source.ids.size()) + 10;
  }
  const Vocabulary& targetVocabulary() const { return targetVocab_; }

 protected:
  Trace runImpl(const Input& input, const RunOptions& options) const override;

 private:
  Config config_;
  ModelInfo info_;
  Vocabulary sourceVocab_, targetVocab_;
  Network network_;
};

}  // namespace seq2seq
}  // namespace attnviz
