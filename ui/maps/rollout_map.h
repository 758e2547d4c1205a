// rollout_map: the attention-rollout map of an encoder or vit trace as the GUI shows it, for a head fusion and a
// discard ratio (engine/analysis/rollout.h). The rollout itself comes from the Workspace's derived results of the
// trace (derived_results.h: computed from attention.self once per fusion and ratio, never by rerunning the model);
// this file only turns it into a titled heatmap whose title names the fusion and ratio shown.
//
//   std::optional<HeatmapData> d = rolloutMap(ws.derived(), ws.shownTrace(), RolloutFusion::Max, 0.9);
//   d->title;   // "… · heads max · lowest 90% of each row discarded"
//   HeatmapData o = withoutSelfAndSpecial(*d, 1);   // "… · own weight and [CLS] left out, rows renormalised"
#pragma once

#include <optional>

#include "engine/api/model.h"
#include "ui/document/model_ptr.h"
#include "ui/maps/heatmap_data.h"

namespace attnviz::ui {

class DerivedResults;

// True when rollout can be derived for the trace: it carries attention.self [L, H, N, N].
bool canShowRollout(const attnviz::Trace& trace);

// rollout [N, N] of `trace` as a heatmap: rows and columns are tokens.source, rows sum to 1; the title says how heads
// were fused and what was discarded.
HeatmapData rolloutMap(const attnviz::Trace& trace, const attnviz::Tensor& rollout, attnviz::RolloutFusion fusion,
                       double discard);

// For display: each row's weight on its own token and on the first `special` tokens ([CLS], [DIST]) left out (NaN:
// drawn as no value, not as 0) and the rest renormalised to sum 1 (a row with nothing left stays as it is). Rollout adds the residual path in every layer, so a
// token's weight on itself dominates its row; this shows where the rest goes. The title says what was left out.
HeatmapData withoutSelfAndSpecial(HeatmapData map, int special);

// The map of derived.rollout(fusion, discard); nullopt when `trace` is not the derived results' trace, fusion is
// None, or the trace has no attention.self.
std::optional<HeatmapData> rolloutMap(const DerivedResults& derived, const TracePtr& trace,
                                      attnviz::RolloutFusion fusion, double discard);

}  // namespace attnviz::ui
