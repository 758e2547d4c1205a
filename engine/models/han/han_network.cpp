// han::Network: the two levels of models/han/model.py (HAN.encode_sentences, HAN.classify) for one sentence
// and one document at a time, so there is never padding.
#include <algorithm>
#include <cmath>
#include <string>

#include "engine/core/error.h"
#include "engine/io/weight_set.h"
#include "engine/models/han/han_model.h"

namespace attnviz::han {

namespace {

ops::Rnn bidirectionalGru(WeightSet& w, const std::string& prefix, std::int64_t input, std::int64_t hidden) {
  ops::RnnSpec spec;
  spec.cell = ops::RnnCell::GRU;
  spec.inputSize = input;
  spec.hiddenSize = hidden;
  spec.bidirectional = true;
  const auto names = ops::rnnWeightNames(spec);  // per direction: weight_ih, weight_hh, bias_ih, bias_hh
  std::vector<ops::RnnLayerWeights> layers;
  for (std::size_t i = 0; i + 3 < names.size(); i += 4) {
    const auto take = [&](std::size_t k) { return w.take(prefix + "." + names[i + k].first, names[i + k].second); };
    layers.push_back({take(0), take(1), take(2), take(3)});
  }
  return ops::Rnn(spec, std::move(layers));
}

// Attention pooling of model.py masked_attention for one unpadded sequence:
//   states [n, D], projection: D -> A, context [A]
//   weights = softmax(tanh(projection(states)) . context) [n];  pooled = sum_t weights_t states_t [D]
void attend(const Tensor& states, const ops::Linear& projection, const Tensor& context, Tensor& weights, Tensor& pooled) {
  const std::int64_t n = states.dim(0), d = states.dim(1);
  const Tensor u = ops::tanh(projection(states));  // [n, A]
  const std::int64_t a = u.dim(1);
  std::vector<double> scores(static_cast<std::size_t>(n));
  for (std::int64_t t = 0; t < n; ++t) {
    double s = 0.0;
    for (std::int64_t k = 0; k < a; ++k) s += static_cast<double>(u.data()[t * a + k]) * context.data()[k];
    scores[static_cast<std::size_t>(t)] = s;
  }
  const double top = *std::max_element(scores.begin(), scores.end());
  double total = 0.0;
  for (double& s : scores) total += (s = std::exp(s - top));
  weights = Tensor({n});
  pooled = Tensor({d});
  for (std::int64_t t = 0; t < n; ++t) {
    const auto weight = static_cast<float>(scores[static_cast<std::size_t>(t)] / total);
    weights.data()[t] = weight;
    const float* h = states.data() + t * d;
    for (std::int64_t k = 0; k < d; ++k) pooled.data()[k] += weight * h[k];
  }
}

}  // namespace

Network::Network(const Config& c, WeightSet& w) : config_(c) {
  const std::int64_t words = 2 * c.wordHidden, sentences = 2 * c.sentenceHidden;
  embedding_ = w.take("embedding.weight", {c.vocabSize, c.embeddingSize});
  wordGru_ = bidirectionalGru(w, "word_gru", c.embeddingSize, c.wordHidden);
  wordProjection_ = ops::Linear(w.take("word_projection.weight", {c.wordAttention, words}),
                                w.take("word_projection.bias", {c.wordAttention}));
  wordContext_ = w.take("word_context", {c.wordAttention});
  sentenceGru_ = bidirectionalGru(w, "sentence_gru", words, c.sentenceHidden);
  sentenceProjection_ = ops::Linear(w.take("sentence_projection.weight", {c.sentenceAttention, sentences}),
                                    w.take("sentence_projection.bias", {c.sentenceAttention}));
  sentenceContext_ = w.take("sentence_context", {c.sentenceAttention});
  classifier_ = ops::Linear(w.take("classifier.weight", {c.classes, sentences}), w.take("classifier.bias", {c.classes}));
}

EncodedSentence Network::encodeSentence(std::span<const std::int64_t> ids) const {
  const auto n = static_cast<std::int64_t>(ids.size());
  if (n < 1) throw InternalError("han::Network::encodeSentence", "a sentence needs at least one word");
  const Tensor embedded = ops::embedding(embedding_, ids);  // [n, E]
  const Tensor states =
      wordGru_(embedded.reshape({n, 1, config_.embeddingSize})).output.reshape({n, 2 * config_.wordHidden});  // [n, 2H]
  EncodedSentence out;
  attend(states, wordProjection_, wordContext_, out.wordWeights, out.vector);
  return out;
}

Classified Network::classify(const Tensor& sentenceVectors) const {
  const std::int64_t s = sentenceVectors.dim(0), d = 2 * config_.wordHidden;
  if (s < 1 || sentenceVectors.dim(1) != d)
    throw InternalError("han::Network::classify", "expected sentence vectors [S >= 1, " + std::to_string(d) + "]");
  const Tensor states =
      sentenceGru_(sentenceVectors.reshape({s, 1, d})).output.reshape({s, 2 * config_.sentenceHidden});  // [S, 2H_s]
  Classified out;
  Tensor document;
  attend(states, sentenceProjection_, sentenceContext_, out.sentenceWeights, document);
  out.probabilities = ops::softmax(classifier_(document.reshape({1, 2 * config_.sentenceHidden})))
                          .reshape({config_.classes});
  return out;
}

}  // namespace attnviz::han
