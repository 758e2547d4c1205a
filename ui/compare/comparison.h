// Comparison: what the variant comparison shows, computed from the Workspace — per compared model its
// map, summary metrics, Jensen-Shannon divergence to the reference, AER against the active gold
// sentence and over the gold set — and the note that says how the maps were made comparable.
// ComparePanel shows it; compare_export writes it.
//
//   Comparison c = buildComparison(ws, {"cross", 0, 0});
//   c.rows[1].js;   // divergence of variant 1 from the reference, nullopt when shapes differ
#pragma once

#include <QString>
#include <optional>
#include <vector>

#include "engine/api/trace.h"
#include "ui/alignment/gold_set.h"
#include "ui/maps/heatmap_source.h"
#include "ui/compare/map_metrics.h"
#include "ui/document/model_ptr.h"

namespace attnviz::ui {

class Workspace;

struct VariantRow {
  QString label;       // "luong-dot"
  int modelIndex = -1;
  TracePtr trace;      // null while running or when the model failed
  HeatmapData map;     // empty when there is none
  MapMetrics metrics;
  std::optional<double> js;           // to the reference's map
  std::optional<double> sentenceAer;  // against the active gold sentence
  std::optional<CorpusAer> corpusAer; // over the gold set, once computed
  QString translation;                // what the model decoded
  // Maps of one trace: the faithfulness method (engine/analysis/faithfulness.h) whose ranking this map is, so its
  // AOPC and tau stand beside it; empty for a map no method ranks by (a single head, a rollout of max fusion).
  QString faithfulnessMethod;
  std::optional<attnviz::RankingFaithfulness> faithfulness;  // its scores once computed (DerivedResults)
  QString faithfulnessRemoval;                                // how tokens were removed for them: "mask with [MASK]"
};

struct Comparison {
  MapKey key;
  int reference = -1;  // index into rows
  std::vector<VariantRow> rows;
  QString note;          // how the maps were made comparable (shown above the grid)
  QString forcedTarget;  // the target every model decoded, empty when each decoded its own
  QStringList problems;  // models that failed
  bool sameShape() const;  // every map present and of one shape
};

Comparison buildComparison(const Workspace& workspace, const MapKey& key);

// The maps of ONE encoder trace (Workspace::shownTrace()) side by side, as if they were variants: the last layer's
// mean over heads (the reference), rollout (the Workspace's fusion — mean when rollout is off — and discard ratio),
// the token contribution maps the trace carries (value norm of the last layer summed over heads, the ALTI, GlobEnc
// and value-zeroing rollouts), the model's coreference head when it has one, and the Selection's layer/head when it
// is not that head. Every map is [N, N] over tokens.source, so the metrics, divergences, differences and exports of
// the comparison apply. Rows that are a faithfulness method's ranking say which (VariantRow::faithfulnessMethod).
Comparison buildTraceMaps(const Workspace& workspace);

}  // namespace attnviz::ui
