#include "ui/maps/rollout_map.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/analysis/rollout.h"
#include "ui/document/derived_results.h"
#include "ui/maps/heatmap_source.h"

namespace attnviz::ui {

bool canShowRollout(const attnviz::Trace& trace) {
  const auto it = trace.attention.find("self");
  return it != trace.attention.end() && it->second.rank() == 4 && it->second.dim(2) == it->second.dim(3);
}

HeatmapData rolloutMap(const attnviz::Trace& trace, const attnviz::Tensor& rollout, attnviz::RolloutFusion fusion,
                       double discard) {
  attnviz::Trace shell;  // extractMap's labels and title for an [N, N] "rollout"
  shell.sourceTokens = trace.sourceTokens;
  shell.attention.emplace("rollout", rollout);
  HeatmapData d = extractMap(shell, {QStringLiteral("rollout"), 0, 0});
  d.title += QStringLiteral(" · heads ") + QLatin1String(attnviz::fusionName(fusion));
  if (discard > 0.0) d.title += QStringLiteral(" · lowest %1% of each row discarded").arg(discard * 100.0, 0, 'g', 3);
  return d;
}

HeatmapData withoutSelfAndSpecial(HeatmapData d, int special) {
  special = std::clamp(special, 0, d.cols);
  for (int r = 0; r < d.rows; ++r) {
    float* row = d.values.data() + static_cast<std::size_t>(r) * d.cols;
    constexpr float kLeftOut = std::numeric_limits<float>::quiet_NaN();  // no weight shown, not a weight of 0
    std::fill(row, row + special, kLeftOut);
    if (r < d.cols) row[r] = kLeftOut;
    double sum = 0.0;
    for (int c = 0; c < d.cols; ++c)
      if (!std::isnan(row[c])) sum += row[c];
    if (sum > 0.0)
      for (int c = 0; c < d.cols; ++c) row[c] = static_cast<float>(row[c] / sum);
  }
  QStringList left = {QStringLiteral("own weight")};
  for (int c = 0; c < special && c < d.colLabels.size(); ++c) left << d.colLabels[c];
  d.title += QStringLiteral(" · %1 left out, rows renormalised").arg(left.join(QStringLiteral(" and ")));
  return d;
}

std::optional<HeatmapData> rolloutMap(const DerivedResults& derived, const TracePtr& trace,
                                      attnviz::RolloutFusion fusion, double discard) {
  if (!trace || trace != derived.trace()) return std::nullopt;
  const attnviz::Tensor* r = derived.rollout(fusion, discard);  // [N, N]
  if (!r) return std::nullopt;
  return rolloutMap(*trace, *r, fusion, discard);
}

}  // namespace attnviz::ui
