// han::Network: the two levels of models/han/model.py (HAN.encode_sentences, HAN.classify), batched over
// sentences and documents by length buckets (BidirectionalGru), attention computed per sequence at its own
// length, so padding never receives weight.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "engine/core/error.h"
#include "engine/io/weight_set.h"
#include "engine/models/han/han_model.h"
#include "engine/models/rnn/weighted_norms.h"

namespace attnviz::han {

namespace {

// Bucket sizes: lengths are padded to a power of two (at least 4) and batches to a power of two up to 64
// sequences (larger groups run in chunks of 64), so one GRU sees at most 9 x 7 primitive shapes for
// sentences up to 1024 steps (ops::Rnn keeps 64), and no more than half of any batched call is padding.
constexpr std::int64_t kMinStepBucket = 4;
constexpr std::int64_t kMaxBatch = 64;
constexpr std::int64_t kMinRowBucket = 16;

std::int64_t stepBucket(std::int64_t length) {
  std::int64_t b = kMinStepBucket;
  while (b < length) b *= 2;
  return b;
}

std::int64_t batchBucket(std::int64_t count) {
  std::int64_t b = 1;
  while (b < count) b *= 2;
  return std::min(b, kMaxBatch);
}

ops::Rnn unidirectionalGru(WeightSet& w, const std::string& prefix, const std::string& suffix, std::int64_t input,
                           std::int64_t hidden) {
  ops::RnnSpec spec;
  spec.cell = ops::RnnCell::GRU;
  spec.inputSize = input;
  spec.hiddenSize = hidden;
  const Shape ih{3 * hidden, input}, hh{3 * hidden, hidden}, bias{3 * hidden};
  std::vector<ops::RnnLayerWeights> layer{{w.take(prefix + ".weight_ih_l0" + suffix, ih),
                                           w.take(prefix + ".weight_hh_l0" + suffix, hh),
                                           w.take(prefix + ".bias_ih_l0" + suffix, bias),
                                           w.take(prefix + ".bias_hh_l0" + suffix, bias)}};
  return ops::Rnn(spec, std::move(layer));
}

// Attention pooling of model.py masked_attention, for K unpadded sequences at once:
//   states[k] [n_k, D], projection: D -> A, context [A]
//   weights[k] = softmax(tanh(projection(states[k])) . context) [n_k];  pooled[k] = sum_t weights_t states_t [D]
// All rows go through one projection and one tanh, zero-padded to a power-of-two row count so that the
// oneDNN primitives behind them are made for a few shapes only.
void attend(const std::vector<Tensor>& states, const ops::Linear& projection, const Tensor& context,
            std::vector<Tensor>& weights, std::vector<Tensor>& pooled) {
  const std::int64_t d = states.front().dim(1);
  std::int64_t rows = 0;
  for (const Tensor& s : states) rows += s.dim(0);
  std::int64_t padded = kMinRowBucket;
  while (padded < rows) padded *= 2;
  Tensor stacked({padded, d});  // [padded, D]
  std::int64_t row = 0;
  for (const Tensor& s : states) {
    std::copy_n(s.data(), s.numel(), stacked.data() + row * d);
    row += s.dim(0);
  }
  const Tensor u = ops::tanh(projection(stacked));  // [padded, A]
  const std::int64_t a = u.dim(1);
  weights.assign(states.size(), Tensor());
  pooled.assign(states.size(), Tensor());
  row = 0;
  for (std::size_t k = 0; k < states.size(); ++k) {
    const std::int64_t n = states[k].dim(0);
    std::vector<double> scores(static_cast<std::size_t>(n));
    for (std::int64_t t = 0; t < n; ++t) {
      double s = 0.0;
      for (std::int64_t j = 0; j < a; ++j) s += static_cast<double>(u.data()[(row + t) * a + j]) * context.data()[j];
      scores[static_cast<std::size_t>(t)] = s;
    }
    row += n;
    const double top = *std::max_element(scores.begin(), scores.end());
    double total = 0.0;
    for (double& s : scores) total += (s = std::exp(s - top));
    weights[k] = Tensor({n});
    pooled[k] = Tensor({d});
    for (std::int64_t t = 0; t < n; ++t) {
      const auto weight = static_cast<float>(scores[static_cast<std::size_t>(t)] / total);
      weights[k].data()[t] = weight;
      const float* h = states[k].data() + t * d;
      for (std::int64_t j = 0; j < d; ++j) pooled[k].data()[j] += weight * h[j];
    }
  }
}

}  // namespace

BidirectionalGru::BidirectionalGru(WeightSet& w, const std::string& prefix, std::int64_t input, std::int64_t hidden)
    : input_(input),
      hidden_(hidden),
      forward_(unidirectionalGru(w, prefix, "", input, hidden)),
      backward_(unidirectionalGru(w, prefix, "_reverse", input, hidden)) {}

std::vector<Tensor> BidirectionalGru::operator()(const std::vector<Tensor>& sequences) const {
  const std::int64_t in = input_, h = hidden_;
  std::vector<Tensor> out(sequences.size());
  std::map<std::int64_t, std::vector<std::size_t>> byBucket;  // step bucket -> sequence indexes
  for (std::size_t k = 0; k < sequences.size(); ++k) {
    if (sequences[k].rank() != 2 || sequences[k].dim(0) < 1 || sequences[k].dim(1) != in)
      throw InternalError("han::BidirectionalGru", "expected sequences [len >= 1, " + std::to_string(in) + "]");
    byBucket[stepBucket(sequences[k].dim(0))].push_back(k);
  }
  for (const auto& [steps, members] : byBucket) {
    for (std::size_t first = 0; first < members.size(); first += kMaxBatch) {
      const auto count = static_cast<std::int64_t>(std::min<std::size_t>(kMaxBatch, members.size() - first));
      const std::int64_t batch = batchBucket(count);
      // x, reversed: [steps, batch, in] time-major, zero past each sequence's end and in unused batch rows.
      Tensor x({steps, batch, in}), reversed({steps, batch, in});
      for (std::int64_t b = 0; b < count; ++b) {
        const Tensor& s = sequences[members[first + static_cast<std::size_t>(b)]];
        const std::int64_t n = s.dim(0);
        for (std::int64_t t = 0; t < n; ++t) {
          std::copy_n(s.data() + t * in, in, x.data() + (t * batch + b) * in);
          std::copy_n(s.data() + (n - 1 - t) * in, in, reversed.data() + (t * batch + b) * in);
        }
      }
      const Tensor f = forward_(x).output;          // [steps, batch, h]
      const Tensor r = backward_(reversed).output;  // [steps, batch, h]; step t read word n - 1 - t
      for (std::int64_t b = 0; b < count; ++b) {
        const std::size_t k = members[first + static_cast<std::size_t>(b)];
        const std::int64_t n = sequences[k].dim(0);
        Tensor states({n, 2 * h});
        for (std::int64_t t = 0; t < n; ++t) {
          std::copy_n(f.data() + (t * batch + b) * h, h, states.data() + t * 2 * h);
          std::copy_n(r.data() + ((n - 1 - t) * batch + b) * h, h, states.data() + t * 2 * h + h);
        }
        out[k] = std::move(states);
      }
    }
  }
  return out;
}

Network::Network(const Config& c, WeightSet& w) : config_(c) {
  const std::int64_t words = 2 * c.wordHidden, sentences = 2 * c.sentenceHidden;
  embedding_ = w.take("embedding.weight", {c.vocabSize, c.embeddingSize});
  wordGru_ = BidirectionalGru(w, "word_gru", c.embeddingSize, c.wordHidden);
  wordProjection_ = ops::Linear(w.take("word_projection.weight", {c.wordAttention, words}),
                                w.take("word_projection.bias", {c.wordAttention}));
  wordContext_ = w.take("word_context", {c.wordAttention});
  sentenceGru_ = BidirectionalGru(w, "sentence_gru", words, c.sentenceHidden);
  sentenceProjection_ = ops::Linear(w.take("sentence_projection.weight", {c.sentenceAttention, sentences}),
                                    w.take("sentence_projection.bias", {c.sentenceAttention}));
  sentenceContext_ = w.take("sentence_context", {c.sentenceAttention});
  classifier_ = ops::Linear(w.take("classifier.weight", {c.classes, sentences}), w.take("classifier.bias", {c.classes}));
}

std::vector<EncodedSentence> Network::encodeSentences(const std::vector<std::vector<std::int64_t>>& sentences) const {
  std::vector<Tensor> embedded;  // [n_k, E] each
  embedded.reserve(sentences.size());
  for (const auto& ids : sentences) {
    if (ids.empty()) throw InternalError("han::Network::encodeSentences", "a sentence needs at least one word");
    embedded.push_back(ops::embedding(embedding_, ids));
  }
  std::vector<Tensor> weights, vectors;
  const std::vector<Tensor> states = wordGru_(embedded);  // [n_k, 2 * word_hidden]
  attend(states, wordProjection_, wordContext_, weights, vectors);
  std::vector<EncodedSentence> out(sentences.size());
  for (std::size_t k = 0; k < sentences.size(); ++k)
    out[k] = {weights[k], std::move(vectors[k]), weightedNorms(weights[k], states[k])};
  return out;
}

std::vector<Classified> Network::classify(const std::vector<Tensor>& documents) const {
  const std::int64_t d = 2 * config_.wordHidden;
  for (const Tensor& doc : documents)
    if (doc.rank() != 2 || doc.dim(0) < 1 || doc.dim(1) != d)
      throw InternalError("han::Network::classify", "expected sentence vectors [S >= 1, " + std::to_string(d) + "]");
  std::vector<Tensor> weights, vectors;  // vectors: the document vectors [2 * sentence_hidden]
  const std::vector<Tensor> states = sentenceGru_(documents);  // [S_k, 2 * sentence_hidden]
  attend(states, sentenceProjection_, sentenceContext_, weights, vectors);
  std::vector<Classified> out(documents.size());
  for (std::size_t k = 0; k < documents.size(); ++k) {
    out[k].sentenceNorms = weightedNorms(weights[k], states[k]);
    out[k].sentenceWeights = std::move(weights[k]);
    out[k].probabilities = ops::softmax(classifier_(vectors[k].reshape({1, 2 * config_.sentenceHidden})))
                               .reshape({config_.classes});
  }
  return out;
}

}  // namespace attnviz::han
