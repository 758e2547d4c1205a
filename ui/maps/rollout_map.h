// rollout_map: the attention-rollout map of an encoder trace as the GUI shows it, for a head fusion and a discard
// ratio (engine/analysis/rollout.h). With no discard the trace's own attention.rollout is used when it has one (the
// engine made it with the Workspace's fusion); otherwise rollout is computed here from attention.self, so the
// fusion and discard ratio can change without rerunning the model. RolloutCache keeps the last map per
// (trace, fusion, ratio), so a panel that redraws for a new layer or head does not recompute it.
//
//   RolloutCache cache;
//   std::optional<HeatmapData> d = cache.get(trace, RolloutFusion::Max, 0.9);   // nullopt: no self/rollout
#pragma once

#include <optional>

#include "engine/api/model.h"
#include "ui/maps/heatmap_data.h"
#include "ui/document/model_ptr.h"

namespace attnviz::ui {

// True when rollout can be shown for the trace: it carries attention.rollout or attention.self [L, H, N, N].
bool canShowRollout(const attnviz::Trace& trace);

// Rows and columns are tokens.source; rows sum to 1. nullopt when !canShowRollout(trace) or fusion is None and the
// trace has no rollout of its own. The title says how heads were fused and what was discarded.
std::optional<HeatmapData> rolloutMap(const attnviz::Trace& trace, attnviz::RolloutFusion fusion, double discard);

class RolloutCache {
 public:
  std::optional<HeatmapData> get(const TracePtr& trace, attnviz::RolloutFusion fusion, double discard);
  int computeCount() const { return computed_; }

 private:
  TracePtr trace_;
  attnviz::RolloutFusion fusion_ = attnviz::RolloutFusion::None;
  double discard_ = -1.0;
  std::optional<HeatmapData> map_;
  int computed_ = 0;
};

}  // namespace attnviz::ui
