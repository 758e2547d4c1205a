#include "engine/models/seq2seq/attention_scorer.h"

#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "engine/io/weight_set.h"

namespace attnviz::seq2seq {

namespace {

bool additive(AttentionKind k) { return k == AttentionKind::Bahdanau || k == AttentionKind::LuongConcat; }
bool projectedKeys(AttentionKind k) { return k == AttentionKind::LuongGeneral || k == AttentionKind::LocalP; }

// In place over each row of scores [B, S]: softmax over the S positions.
void softmaxRows(Tensor& scores) {
  const std::int64_t s = scores.dim(1);
  for (std::int64_t b = 0; b < scores.dim(0); ++b) {
    float* row = scores.data() + b * s;
    const float top = *std::max_element(row, row + s);
    float sum = 0.0f;
    for (std::int64_t i = 0; i < s; ++i) sum += (row[i] = std::exp(row[i] - top));
    for (std::int64_t i = 0; i < s; ++i) row[i] /= sum;
  }
}

// out[b, i] = sum_k a[b, k] * keys[i, k]: a [B, K], keys [S, K] -> [B, S]. Accumulated in double: trained
// scores reach tens, and the softmax (sharpest for local-p's Gaussian) amplifies float32 summation-order noise
// (the trained local-p golden went from 7e-5 to 2e-5 max difference).
Tensor dotRows(const Tensor& a, const Tensor& keys) {
  const std::int64_t batch = a.dim(0), s = keys.dim(0), k = keys.dim(1);
  Tensor out({batch, s});
  for (std::int64_t b = 0; b < batch; ++b)
    for (std::int64_t i = 0; i < s; ++i) {
      const float* q = a.data() + b * k;
      const float* key = keys.data() + i * k;
      double sum = 0.0;
      for (std::int64_t j = 0; j < k; ++j) sum += static_cast<double>(q[j]) * key[j];
      out.data()[b * s + i] = static_cast<float>(sum);
    }
  return out;
}

}  // namespace

AttentionScorer::AttentionScorer(const Config& c, WeightSet& w) : kind_(c.attention), window_(c.window) {
  const std::int64_t d = c.decoderHidden, a = c.attentionSize, annotation = c.annotationSize();
  if (additive(kind_)) {
    query_.emplace(w.take("attention.query.weight", {a, d}), std::nullopt);
    key_.emplace(w.take("attention.key.weight", {a, annotation}), w.take("attention.key.bias", {a}));
    v_ = w.take("attention.v.weight", {1, a}).reshape({a});
  } else if (projectedKeys(kind_)) {
    key_.emplace(w.take("attention.key.weight", {d, annotation}), std::nullopt);
  }
  if (kind_ == AttentionKind::LocalP) {
    position_.emplace(w.take("attention.position.weight", {a, d}), std::nullopt);
    positionV_ = w.take("attention.position_v.weight", {1, a}).reshape({a});
  }
}

Tensor AttentionScorer::keys(const Tensor& annotations) const { return key_ ? (*key_)(annotations) : annotations; }

Tensor AttentionScorer::operator()(const Tensor& queries, const Tensor& keys) const {
  const std::int64_t batch = queries.dim(0), s = keys.dim(0);
  Tensor scores;  // [B, S]
  if (additive(kind_)) {
    const Tensor q = (*query_)(queries);  // [B, A]
    const std::int64_t a = q.dim(1);
    Tensor pre({batch * s, a});  // W_q q_b + W_k h_i + b_k, row b * S + i
    for (std::int64_t b = 0; b < batch; ++b)
      for (std::int64_t i = 0; i < s; ++i) {
        float* row = pre.data() + (b * s + i) * a;
        const float* qb = q.data() + b * a;
        const float* key = keys.data() + i * a;
        for (std::int64_t j = 0; j < a; ++j) row[j] = qb[j] + key[j];
      }
    const Tensor activated = ops::tanh(pre);  // [B*S, A]
    scores = dotRows(activated, v_.reshape({1, a})).reshape({batch, s});
  } else {
    scores = dotRows(queries, keys);  // [B, S]
    if (kind_ == AttentionKind::ScaledDot) {
      const float scale = std::sqrt(static_cast<float>(queries.dim(1)));
      for (float& e : scores.values()) e /= scale;
    }
  }
  if (kind_ == AttentionKind::LocalP) {
    const Tensor hidden = ops::tanh((*position_)(queries));        // [B, A]
    const Tensor logit = dotRows(hidden, positionV_.reshape({1, -1}));  // [B, 1]
    const float sigma = window_ / 2.0f;
    const float denominator = 2.0f * sigma * sigma;
    for (std::int64_t b = 0; b < batch; ++b) {
      const float p = static_cast<float>(s) * (1.0f / (1.0f + std::exp(-logit.data()[b])));
      for (std::int64_t i = 0; i < s; ++i) {
        const float distance = static_cast<float>(i) - p;
        scores.data()[b * s + i] -= distance * distance / denominator;
      }
    }
  }
  softmaxRows(scores);
  return scores;
}

}  // namespace attnviz::seq2seq
