// The analyses a RunOptions asks for, computed from a trace after its run: Model::run calls this for the CLI
// (`attnviz run --rollout/--flow/--occlusion`); the UI computes the same functions itself, per trace and in the
// background (ui/document/). Every derived result has its one function in this folder:
//   attention.rollout [N, N]   attentionRollout (rollout.h), heads fused by options.rollout, options.rolloutDiscard
//   attention.flow    [1, N]   attentionFlow (attention_flow.h), from token 0 ([CLS])
//   attention.value_norm, .alti ... tokenContributions (contributions.h), from Trace::attentionBlocks
//   Trace::headKnockout  headKnockout (head_knockout.h): one run per head
//   Trace::faithfulness  faithfulness (faithfulness.h): one run per removal set, the maps it ranks by computed too
//   Trace::occlusion           the model's OcclusionScorer (occlusion.h): one run per word and per sentence
#pragma once

#include "engine/api/model.h"

namespace attnviz {

// input: the run's input (head knockout runs it again).
void addRequestedAnalyses(const Model& model, const Input& input, Trace& trace, const RunOptions& options);

}  // namespace attnviz
