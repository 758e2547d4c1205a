// Attention rollout (Abnar & Zuidema 2020): how much each token's final representation draws on each
// input token once residual connections are counted. Per layer the heads are fused (mean, max or min),
// the identity is added for the residual path, rows are renormalised, and the layers are multiplied from
// the first up: rollout = Â_L · … · Â_1. Every row of the result sums to 1.
//
// Discard ratio (as vit-explain and later rollout work filter noise): per layer, after head fusion and before
// the identity is added, the k = floor(ratio · (N − 1)) smallest off-diagonal weights of each row are set to 0
// (the diagonal is never discarded; ties go to the lower column index). Ratio 0 is plain rollout.
//
//   Tensor r = attnviz::attentionRollout(trace.attention.at("self"), RolloutFusion::Mean);       // [N, N]
//   Tensor d = attnviz::attentionRollout(trace.attention.at("self"), RolloutFusion::Max, 0.9);  // discard 90%
#pragma once

#include "engine/core/tensor.h"
#include "engine/api/model.h"

namespace attnviz {

// self: [layers, heads, N, N] with rows summing to 1 -> [N, N]. fusion must not be None (InternalError);
// discardRatio must be in [0, 1) (UsageError otherwise).
Tensor attentionRollout(const Tensor& self, RolloutFusion fusion, double discardRatio = 0.0);

// true when ratio is a usable discard ratio: 0 <= ratio < 1 (and not NaN).
bool validDiscardRatio(double ratio);

const char* fusionName(RolloutFusion fusion);  // "mean" | "max" | "min" | "none"

}  // namespace attnviz
