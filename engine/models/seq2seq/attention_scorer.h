// AttentionScorer: the six attention variants of models/seq2seq/model.py (class Attention), one object per
// loaded model. keys() runs once per input (W_k h_i precomputed for every source position); the call
// operator scores a batch of decoder queries (one per beam hypothesis) against them and returns softmax
// weights whose rows sum to 1.
//   bahdanau, luong-concat   e_i = v^T tanh(W_q q + W_k h_i + b_k)        keys [S, A]
//   luong-dot                e_i = q . h_i                                keys = annotations [S, 2H]
//   scaled-dot               e_i = q . h_i / sqrt(D)
//   luong-general            e_i = q . (W_a h_i)                          keys [S, D]
//   local-p                  luong-general - (i - p)^2 / (2 sigma^2),  p = S sigmoid(v_p^T tanh(W_p q)), sigma = window/2
//
//   AttentionScorer scorer(config, weights);            // takes attention.* from the WeightSet
//   Tensor keys = scorer.keys(annotations);             // [S, 2H] -> [S, K]
//   Tensor a = scorer(queries /*[B, D]*/, keys);        // [B, S]
#pragma once

#include <optional>

#include "engine/core/tensor.h"
#include "engine/models/seq2seq/seq2seq_config.h"
#include "engine/ops/ops.h"

namespace attnviz {
class WeightSet;
}

namespace attnviz::seq2seq {

class AttentionScorer {
 public:
  AttentionScorer() = default;
  // Takes this variant's tensors (PyTorch names attention.query.weight, attention.key.{weight,bias},
  // attention.v.weight, attention.position.weight, attention.position_v.weight) with the shapes config implies.
  AttentionScorer(const Config& config, WeightSet& weights);

  // annotations: [S, 2H] -> what the scores compare against: [S, K]
  Tensor keys(const Tensor& annotations) const;
  // queries: [B, D] (s_{t-1} for bahdanau, s_t otherwise); keys: [S, K] -> weights [B, S]
  Tensor operator()(const Tensor& queries, const Tensor& keys) const;

 private:
  AttentionKind kind_ = AttentionKind::Bahdanau;
  float window_ = 4.0f;
  std::optional<ops::Linear> query_;     // W_q: [D -> A], additive variants
  std::optional<ops::Linear> key_;       // W_k: [2H -> A] with bias (additive) or W_a: [2H -> D] (general, local-p)
  Tensor v_;                             // [A], additive variants
  std::optional<ops::Linear> position_;  // W_p: [D -> A], local-p
  Tensor positionV_;                     // v_p: [A], local-p
};

}  // namespace attnviz::seq2seq
