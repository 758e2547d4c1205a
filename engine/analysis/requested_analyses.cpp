#include "engine/analysis/requested_analyses.h"

#include "engine/analysis/attention_flow.h"
#include "engine/analysis/contributions.h"
#include "engine/analysis/edge_knockout.h"
#include "engine/analysis/faithfulness.h"
#include "engine/analysis/head_knockout.h"
#include "engine/analysis/occlusion.h"
#include "engine/analysis/rollout.h"
#include "engine/analysis/value_zeroing.h"
#include "engine/core/error.h"

namespace attnviz {

void addRequestedAnalyses(const Model& model, const Input& input, Trace& trace, const RunOptions& options) {
  const bool fromSelf = options.rollout != RolloutFusion::None || options.flow;
  if (fromSelf && !trace.attention.contains("self"))
    throw InternalError("addRequestedAnalyses", "a " + trace.model.kind + " trace without attention.self");
  if (options.rollout != RolloutFusion::None)
    trace.attention["rollout"] = attentionRollout(trace.attention.at("self"), options.rollout, options.rolloutDiscard);
  if (options.flow) trace.attention["flow"] = attentionFlow(trace.attention.at("self"), {0});  // from [CLS]
  // The attention-block methods; a model without blocks (ModelInfo::weightedNorms) weighed its own norms in runImpl.
  if (options.contributions.any() && model.kind().can.contributions) {
    Contributions c = tokenContributions(trace.attentionBlocks, trace.attention.at("self"), options.contributions);
    if (options.contributions.valueNorm) {
      trace.attention["value_norm"] = std::move(c.valueNorm);
      trace.attention["value_norm_sum"] = std::move(c.valueNormSum);
    }
    if (options.contributions.alti) {
      trace.attention["alti"] = std::move(c.alti);
      trace.attention["alti_rollout"] = std::move(c.altiRollout);
    }
    if (options.contributions.globenc) {
      trace.attention["globenc"] = std::move(c.globenc);
      trace.attention["globenc_rollout"] = std::move(c.globencRollout);
    }
    if (options.contributions.valueZeroing) {  // one layer pass per token and layer, on the run's threads
      std::optional<ValueZeroing> v = valueZeroing(trace.attentionBlocks, trace.attention.at("self"), model.threadsForNextRun(), {});
      trace.attention["value_zeroing"] = std::move(v->perLayer);
      trace.attention["value_zeroing_rollout"] = std::move(v->rollout);
    }
    if (!options.keepAttentionBlocks) trace.attentionBlocks.clear();
  }
  if (options.headKnockout) trace.headKnockout = headKnockout(model, input, options, trace, *options.headKnockout, {});
  if (options.edgeKnockout) trace.edgeKnockout = edgeKnockout(model, input, options, trace, *options.edgeKnockout, {});
  if (!options.faithfulness.methods.empty())
    trace.faithfulness = faithfulness(model, input, options, trace, options.faithfulness, {});
  if (options.occlusion) {
    const auto* scorer = dynamic_cast<const OcclusionScorer*>(&model);
    if (!scorer) throw InternalError("addRequestedAnalyses", "a " + trace.model.kind + " model that cannot score occlusion");
    trace.occlusion = scorer->occlusion(trace, {});
  }
}

}  // namespace attnviz
