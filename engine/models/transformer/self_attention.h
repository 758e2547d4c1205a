// Multi-head self-attention as BERT and ViT compute it, shared by the encoder and vit kinds:
// q, k, v from one stacked [hidden -> 3 * hidden] Linear, softmax(q k^T / sqrt(d)) per head, context = probs v.
//
//   Tensor maps = Tensor::uninitialized({layers, heads, N, N});
//   Tensor projected = qkv(x);                                                // [N, 3 * hidden]
//   Tensor context = attnviz::selfAttention(projected, heads, maps.slice(l));  // [N, hidden]
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/api/model.h"
#include "engine/core/tensor.h"
#include "engine/ops/ops.h"

namespace attnviz {

class WeightSet;

// projected: [N, 3 * hidden], the stacked query, key, value projection of the layer's input. probs: [heads, N, N],
// written in place (a view, e.g. one layer's slice of the trace's maps: no copy). Returns the context [N, hidden].
Tensor selfAttention(const Tensor& projected, std::int64_t heads, Tensor probs);

// The interventions a run asks for (RunOptions), applied to one layer's attention: first the blocked edges
// (RunOptions::blockedEdges: each blocked query row's probabilities and context recomputed from `projected`, its
// blocked keys' scores at -inf, in double), then the knocked-out heads (knockOutHeads). probs [heads, N, N] and
// context [N, hidden] as selfAttention wrote them. UsageError naming --block-edges for an edge outside the model or
// the input, or a query row whose every key is blocked (a softmax over nothing); --knockout as knockOutHeads.
void applyInterventions(const Tensor& projected, std::int64_t heads, std::int64_t layers, std::int64_t layer,
                        const RunOptions& options, Tensor probs, Tensor& context);

// Zeroes the context columns of the heads `knockedOut` lists for `layer` (head knockout; RunOptions::knockedOutHeads).
// context: [N, hidden], head h at columns h*d .. h*d+d-1. UsageError naming --knockout for a pair outside the model.
void knockOutHeads(Tensor& context, std::int64_t heads, std::int64_t layers, std::int64_t layer,
                   const std::vector<std::pair<int, int>>& knockedOut);

// The value part of a stacked projection [N, 3 * hidden] -> [N, hidden] (a copy), heads side by side.
Tensor stackedValues(const Tensor& projected);

// x [N, hidden] stacked `copies` times: [copies * N, hidden] (the residual input of AttentionBlockParts::finishLayer's
// variants).
Tensor repeatRows(const Tensor& x, std::int64_t copies);

// prefix + ".query", ".key", ".value" (weight [hidden, hidden], bias [hidden]) taken from w as one stacked Linear.
ops::Linear takeStackedQkv(WeightSet& w, const std::string& prefix, std::int64_t hidden);

}  // namespace attnviz
