// Attention rollout (Abnar & Zuidema 2020): how much each token's final representation draws on each
// input token once residual connections are counted. Per layer the heads are fused (mean, max or min),
// the identity is added for the residual path, rows are renormalised, and the layers are multiplied from
// the first up: rollout = Â_L · … · Â_1. Every row of the result sums to 1.
//
//   Tensor r = attnviz::attentionRollout(trace.attention.at("self"), RolloutFusion::Mean);  // [N, N]
#pragma once

#include "engine/core/tensor.h"
#include "engine/model/model.h"

namespace attnviz {

// self: [layers, heads, N, N] with rows summing to 1 -> [N, N]. fusion must not be None.
Tensor attentionRollout(const Tensor& self, RolloutFusion fusion);

const char* fusionName(RolloutFusion fusion);  // "mean" | "max" | "min" | "none"

}  // namespace attnviz
