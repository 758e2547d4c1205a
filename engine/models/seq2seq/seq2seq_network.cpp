#include "engine/models/seq2seq/seq2seq_network.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/core/error.h"
#include "engine/io/weight_set.h"

namespace attnviz::seq2seq {

namespace {

// [rows, a] and [rows, b] side by side -> [rows, a + b]
Tensor concatColumns(const Tensor& left, const Tensor& right) {
  const std::int64_t rows = left.dim(0), a = left.dim(1), b = right.dim(1);
  Tensor out({rows, a + b});
  for (std::int64_t r = 0; r < rows; ++r) {
    std::copy_n(left.data() + r * a, a, out.data() + r * (a + b));
    std::copy_n(right.data() + r * b, b, out.data() + r * (a + b) + a);
  }
  return out;
}

// c_b = sum_i weights[b, i] annotations[i]: weights [B, S], annotations [S, K] -> [B, K]
Tensor context(const Tensor& weights, const Tensor& annotations) {
  const std::int64_t batch = weights.dim(0), s = weights.dim(1), k = annotations.dim(1);
  Tensor out({batch, k});
  for (std::int64_t b = 0; b < batch; ++b) {
    float* c = out.data() + b * k;
    for (std::int64_t i = 0; i < s; ++i) {
      const float a = weights.data()[b * s + i];
      const float* h = annotations.data() + i * k;
      for (std::int64_t j = 0; j < k; ++j) c[j] += a * h[j];
    }
  }
  return out;
}

void tanhInPlace(Tensor& t) {
  for (float& x : t.values()) x = std::tanh(x);
}

}  // namespace

Network::Network(const Config& c, WeightSet& w) : config_(c) {
  const std::int64_t e = c.embeddingSize, h = c.encoderHidden, d = c.decoderHidden, annotation = c.annotationSize();
  sourceEmbedding_ = w.take("source_embedding.weight", {c.sourceVocabSize, e});
  targetEmbedding_ = w.take("target_embedding.weight", {c.targetVocabSize, e});

  ops::RnnSpec spec;
  spec.cell = ops::RnnCell::GRU;
  spec.inputSize = e;
  spec.hiddenSize = h;
  spec.bidirectional = true;
  const auto names = ops::rnnWeightNames(spec);  // per direction: weight_ih, weight_hh, bias_ih, bias_hh
  std::vector<ops::RnnLayerWeights> layers;
  for (std::size_t i = 0; i + 3 < names.size(); i += 4) {
    const auto take = [&](std::size_t k) { return w.take("encoder." + names[i + k].first, names[i + k].second); };
    layers.push_back({take(0), take(1), take(2), take(3)});
  }
  encoder_ = ops::Rnn(spec, std::move(layers));

  initState_ = ops::Linear(w.take("init_state.weight", {d, annotation}), w.take("init_state.bias", {d}));
  const std::int64_t in = c.decoderInputSize();
  decoder_ = GruCell(w.take("decoder.weight_ih", {3 * d, in}), w.take("decoder.weight_hh", {3 * d, d}),
                     w.take("decoder.bias_ih", {3 * d}), w.take("decoder.bias_hh", {3 * d}));
  attention_ = AttentionScorer(c, w);
  combine_ = ops::Linear(w.take("combine.weight", {d, annotation + d}), std::nullopt);
  output_ = ops::Linear(w.take("output.weight", {c.targetVocabSize, d}), w.take("output.bias", {c.targetVocabSize}));
}

Encoded Network::encode(std::span<const std::int64_t> sourceIds) const {
  const auto s = static_cast<std::int64_t>(sourceIds.size());
  const std::int64_t h = config_.encoderHidden;
  if (s < 1) throw InternalError("seq2seq::Network::encode", "the source needs at least <eos>");
  const Tensor embedded = ops::embedding(sourceEmbedding_, sourceIds);  // [S, E]
  Encoded out;
  out.annotations = encoder_(embedded.reshape({s, 1, config_.embeddingSize})).output.reshape({s, 2 * h});  // [S, 2H]
  // [forward after the last token ; backward after reading back to token 0]
  Tensor ends({1, 2 * h});
  std::copy_n(out.annotations.data() + (s - 1) * 2 * h, h, ends.data());
  std::copy_n(out.annotations.data() + h, h, ends.data() + h);
  out.initialState = initState_(ends);  // [1, D]
  tanhInPlace(out.initialState);
  out.keys = attention_.keys(out.annotations);
  return out;
}

DecoderState Network::start(const Encoded& encoded, std::int64_t batch) const {
  const std::int64_t d = config_.decoderHidden;
  DecoderState s{Tensor({batch, d}), Tensor({batch, d})};
  for (std::int64_t b = 0; b < batch; ++b) std::copy_n(encoded.initialState.data(), d, s.state.data() + b * d);
  return s;
}

StepResult Network::step(const Encoded& encoded, const DecoderState& state,
                         std::span<const std::int64_t> previous) const {
  const Tensor embedded = ops::embedding(targetEmbedding_, previous);  // [B, E]
  StepResult r;
  Tensor c;  // [B, 2H]
  if (config_.bahdanauFlow()) {
    r.weights = attention_(state.state, encoded.keys);  // scored with s_{t-1}
    c = context(r.weights, encoded.annotations);
    r.state = decoder_(concatColumns(embedded, c), state.state);
  } else {
    r.state = decoder_(concatColumns(embedded, state.feed), state.state);  // input feeding
    r.weights = attention_(r.state, encoded.keys);  // scored with s_t
    c = context(r.weights, encoded.annotations);
  }
  r.attentional = combine_(concatColumns(c, r.state));  // [B, D]
  tanhInPlace(r.attentional);
  return r;
}

}  // namespace attnviz::seq2seq
