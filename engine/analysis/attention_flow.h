// Attention flow (Abnar & Zuidema 2020): how much of a token's final representation can flow back to each input
// token when every layer's attention is a network of pipes. Per layer the heads are averaged and the residual
// path added (A' = (A + I) renormalised per row); node (l+1, i) connects to node (l, j) with capacity A'_l[i, j];
// flow[i, j] is the maximum flow from (L, i) to (0, j), each row then normalised to sum 1 (as the authors' code).
// One max-flow per (row, input) pair on the layered graph, Dinic's algorithm; slow for big models, so callers
// choose the rows (e.g. only [CLS]) and can follow progress and cancel.
//
//   Tensor f = attnviz::attentionFlow(trace.attention.at("self"), {0}, {});   // [1, N]: flow from [CLS]
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/core/tensor.h"

namespace attnviz {

// Called after each max-flow with (max-flows done, max-flows in all = rows x N), so one row of a big model moves
// the progress and can be cancelled part-way; returning false cancels (the result is then empty).
using FlowProgress = std::function<bool(std::int64_t done, std::int64_t total)>;

// self: [layers, heads, N, N] (rows sum to 1); rows: indexes of output tokens -> [rows.size(), N], each row
// summing to 1. InternalError on a bad shape or row.
Tensor attentionFlow(const Tensor& self, const std::vector<std::int64_t>& rows, const FlowProgress& progress = {});

// Maximum flow from `source` to `sink` in a graph given as a dense capacity matrix [nodes, nodes] (row: from,
// column: to). Exposed for tests on hand-made graphs.
double maxFlow(const std::vector<std::vector<double>>& capacity, std::int64_t source, std::int64_t sink);

}  // namespace attnviz
