// The `han` kind: document classification by a Hierarchical Attention Network (Yang et al. 2016), as
// models/han/model.py: word embedding -> word-level bidirectional GRU -> word attention (context u_w) ->
// sentence vectors -> sentence-level bidirectional GRU -> sentence attention (context u_s) -> classifier.
// Package: attnviz.json architecture (han_config.h), files "weights", "vocab", "labels"; tensors named as the
// PyTorch state dict, every one checked, extras refused.
//
// run(): the text is cut into sentences of tokens (han_text.h, RunOptions::sentences), at most
// max_sentences sentences of max_words_per_sentence words (cut with a warning). Sentences are encoded in
// batches padded at their ends (BidirectionalGru), and each softmax runs over its own sentence's words (or
// the document's sentences) only, so padding never receives weight.
// Trace: tokens.source = all words in order; tokens.sentences = the words of each sentence (words missing from
// the vocabulary are read as <unk>; a warning counts them); attention.sentence [S]; raggedAttention "word":
// one [words_i] per sentence; prediction.label / probabilities; occlusion when RunOptions::occlusion.
//
//   auto model = attnviz::loadModel("models/han-movie-reviews");
//   attnviz::RunOptions o; o.occlusion = true;
//   attnviz::Trace t = model->run(attnviz::Input::fromText(review), o);   // t.occlusion->kendallTauWord
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/api/model.h"
#include "engine/analysis/occlusion.h"
#include "engine/models/han/han_config.h"
#include "engine/models/seq2seq/vocabulary.h"
#include "engine/ops/ops.h"

namespace attnviz {

class Package;
class WeightSet;

std::unique_ptr<Model> loadHan(const Package& package);

extern const ModelKind kHanKind;  // han_kind.cpp: this kind's row of the kind table

namespace han {

// One sentence, encoded by the word level.
struct EncodedSentence {
  Tensor wordWeights;  // [words], sums to 1
  Tensor vector;       // [2 * word_hidden]: the attention-weighted sum of word states
  Tensor wordNorms;    // [words]: weight_t ‖h_t‖₂ of each word state (weighted_norms.h)
};

// The document level's answer.
struct Classified {
  Tensor sentenceWeights;  // [sentences], sums to 1
  Tensor probabilities;    // [classes]
  Tensor sentenceNorms;    // [sentences]: weight_i ‖h_i‖₂ of each sentence state (weighted_norms.h)
};

// A bidirectional GRU run as two unidirectional ones (the backward one on reversed sequences), so that
// sequences of different lengths can share one batched oneDNN call: each is zero-padded at its end to a
// bucket length, which changes nothing it computes (forward states depend only on earlier steps, and the
// backward pass reads the reversed sequence from its real last word). Buckets keep the number of primitive
// shapes small (a primitive per exact length and batch made a first run of a review ~100x slower than the next).
class BidirectionalGru {
 public:
  BidirectionalGru() = default;
  // Takes <prefix>.weight_ih_l0, ..._reverse etc. (nn.GRU, bidirectional, one layer).
  BidirectionalGru(WeightSet& weights, const std::string& prefix, std::int64_t input, std::int64_t hidden);
  // sequences: K tensors [len_k >= 1, input]. Returns K tensors [len_k, 2 * hidden]: [forward_t ; backward_t],
  // exactly nn.GRU's output for each sequence alone.
  std::vector<Tensor> operator()(const std::vector<Tensor>& sequences) const;

 private:
  std::int64_t input_ = 0, hidden_ = 0;
  ops::Rnn forward_, backward_;
};

// The weights and the two levels of the network; const and thread-safe.
class Network {
 public:
  Network() = default;
  Network(const Config& config, WeightSet& weights);
  // sentences: each at least one word id. One result per sentence, in order (batched internally).
  std::vector<EncodedSentence> encodeSentences(const std::vector<std::vector<std::int64_t>>& sentences) const;
  // documents: each [S_k >= 1, 2 * word_hidden] sentence vectors. One result per document (batched internally).
  std::vector<Classified> classify(const std::vector<Tensor>& documents) const;

 private:
  Config config_;
  Tensor embedding_;  // [vocab, E]
  BidirectionalGru wordGru_, sentenceGru_;
  ops::Linear wordProjection_, sentenceProjection_, classifier_;
  Tensor wordContext_, sentenceContext_;  // [word_attention], [sentence_attention]
};

class HanModel final : public Model, public OcclusionScorer {
 public:
  explicit HanModel(const Package& package);
  const ModelInfo& info() const override { return info_; }
  std::optional<Occlusion> occlusion(const Trace& trace, const OcclusionControl& control) const override;

  const Config& config() const { return config_; }
  const Network& network() const { return network_; }

 protected:
  Trace runImpl(const Input& input, const RunOptions& options) const override;
  const std::vector<std::string>& labels() const { return labels_; }
  // Word -> id, <unk> for words outside the vocabulary.
  std::vector<std::int64_t> ids(const std::vector<std::string>& words) const;

 private:
  Config config_;
  ModelInfo info_;
  seq2seq::Vocabulary vocab_;  // one word per line, as the seq2seq vocabularies
  std::vector<std::string> labels_;
  Network network_;
};

}  // namespace han
}  // namespace attnviz
