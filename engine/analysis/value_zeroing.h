// Value zeroing (Mohebbi, Zuidema, Chrupała, Alishahi 2023, "Quantifying Context Mixing in Transformers"): for each
// layer l and token j, the value vectors of j (every head, bias included) are set to zero, the rest of layer l is
// recomputed from the same input and attention (AttentionBlockParts::finishLayer), and each token i's output is
// compared with the original one by cosine distance:
//   value_zeroing [L, N, N]     d_ij = 1 − cos(y_i, y_i^{¬j}), clipped to [0, 2], rows normalised to sum 1
//   value_zeroing_rollout [N, N]  V^{L-1} ⋯ V^0 (no identity added)
// as hmohebbi/ValueZeroing (scoring/value_zeroing.py) and its toolkit compute them (read, not copied); the plain
// reference is models/reference/value_zeroing.py. The distance is computed as ‖y/‖y‖ − y'/‖y'‖‖² / 2 in double:
// equal to 1 − cos, without its cancellation when the outputs barely move (float32 1 − cos was off by 1e-3 on a
// small BERT). Zeroing v_j removes α^h_ij v_j^h from every query's context, so the variants of one layer differ only
// in their context rows: B of them go through finishLayer as one [B * N, hidden] batch.
//
//   std::optional<ValueZeroing> v = valueZeroing(trace.attentionBlocks, trace.attention.at("self"), 1, {});
//   std::optional<ValueZeroing> w = valueZeroing(model, input, options, control);  // runs the model itself
#pragma once

#include <optional>
#include <vector>

#include "engine/analysis/candidate_runs.h"
#include "engine/api/attention_block.h"
#include "engine/api/model.h"
#include "engine/core/tensor.h"

namespace attnviz {

struct ValueZeroing {
  Tensor perLayer;  // [L, N, N]
  Tensor rollout;   // [N, N]
};

// blocks: a run's attention blocks (RunOptions::keepAttentionBlocks), with finishLayer; self: [L, H, N, N].
// threadsPerCandidate: the engine threads one batch uses (candidate_runs.h; a run's Model::threadsForNextRun()).
// nullopt when cancelled; InternalError for blocks without finishLayer or mismatched shapes.
std::optional<ValueZeroing> valueZeroing(const std::vector<AttentionBlockParts>& blocks, const Tensor& self,
                                         int threadsPerCandidate, const CandidateControl& control);

// The same for one input of a model (the window's background job): one run as `options` asks (its other analyses
// and knockout dropped), keeping the attention blocks, then the maps above on the run's threads. UsageError from the
// run for a kind without attention blocks; nullopt when cancelled.
std::optional<ValueZeroing> valueZeroing(const Model& model, const Input& input, RunOptions options,
                                         const CandidateControl& control);

}  // namespace attnviz
