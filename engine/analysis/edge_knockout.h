// Attention-edge knockout (Geva, Bastings, Filippova, Globerson 2023, "Dissecting Recall of Factual Associations in
// Auto-Regressive Language Models", section 5): block the attention from query positions F to key positions J (their
// scores set to -inf before the softmax, in every head: RunOptions::blockedEdges) in a window of k layers, and measure
// how the prediction falls. The window slides: for each layer l it is the k layers centred on l, cut at the model's
// ends, max(0, l - (k - 1) / 2) .. min(L - 1, l + k / 2). The prediction scored is head knockout's (scorePrediction,
// head_knockout.h). Result [L]: score(reference) − score(blocked); positive = that flow of information supported the
// prediction. One run per layer, in parallel (candidate_runs.h), with progress and cancel. The plain reference is
// models/reference/contributions.py (blocked_edges); tests/data/make_edge_knockout_golden.py writes the golden file.
//
//   std::optional<EdgeKnockout> k = edgeKnockout(model, input, options, trace, {{0}, {5, 6}, 3}, {});
//   float drop = k->drop[layer];
// `attnviz run --edge-knockout FROM:TO[:WINDOW]` adds it to the trace (RunOptions::edgeKnockout).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/analysis/candidate_runs.h"
#include "engine/api/model.h"

namespace attnviz {

// The layers blocked for layer `layer` with a window of `window` layers, in a model of `layers` layers.
std::vector<int> edgeWindow(int layer, int window, int layers);

// "0:5,6:3" (FROM:TO[:WINDOW], positions comma-separated, 0-based) -> the request; UsageError naming `option`.
EdgeKnockoutRequest parseEdgeKnockout(const std::string& text, const std::string& option);

// input and options: as the reference run; reference: that run's trace. UsageError for a kind without attention
// blocks, nothing to score, an empty or out-of-range FROM or TO, a window < 1, or edges that would leave a query
// without any key. nullopt when cancelled.
std::optional<EdgeKnockout> edgeKnockout(const Model& model, const Input& input, const RunOptions& options,
                                         const Trace& reference, const EdgeKnockoutRequest& request,
                                         const CandidateControl& control);

}  // namespace attnviz
