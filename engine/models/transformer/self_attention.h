// Multi-head self-attention as BERT and ViT compute it, shared by the encoder and vit kinds:
// q, k, v from one stacked [hidden -> 3 * hidden] Linear, softmax(q k^T / sqrt(d)) per head, context = probs v.
//
//   Tensor maps = Tensor::uninitialized({layers, heads, N, N});
//   Tensor context = attnviz::selfAttention(qkv, x, heads, maps.slice(l));  // x: [N, hidden] -> [N, hidden]
#pragma once

#include <cstdint>
#include <string>

#include "engine/core/tensor.h"
#include "engine/ops/ops.h"

namespace attnviz {

class WeightSet;

// x: [N, hidden]; qkv: hidden -> 3 * hidden (query, key, value stacked). probs: [heads, N, N], written in place
// (a view, e.g. one layer's slice of the trace's maps: no copy).
Tensor selfAttention(const ops::Linear& qkv, const Tensor& x, std::int64_t heads, Tensor probs);

// prefix + ".query", ".key", ".value" (weight [hidden, hidden], bias [hidden]) taken from w as one stacked Linear.
ops::Linear takeStackedQkv(WeightSet& w, const std::string& prefix, std::int64_t hidden);

}  // namespace attnviz
