#include "ui/maps/rollout_map.h"

#include "engine/analysis/rollout.h"
#include "ui/maps/heatmap_source.h"

namespace attnviz::ui {
namespace {

bool hasSelf(const attnviz::Trace& trace) {
  const auto it = trace.attention.find("self");
  return it != trace.attention.end() && it->second.rank() == 4 && it->second.dim(2) == it->second.dim(3);
}

}  // namespace

bool canShowRollout(const attnviz::Trace& trace) { return trace.attention.count("rollout") || hasSelf(trace); }

std::optional<HeatmapData> rolloutMap(const attnviz::Trace& trace, attnviz::RolloutFusion fusion, double discard) {
  const bool own = trace.attention.count("rollout") > 0;
  HeatmapData d;
  if (own && discard <= 0.0) {
    d = extractMap(trace, {QStringLiteral("rollout"), 0, 0});
  } else if (hasSelf(trace) && fusion != attnviz::RolloutFusion::None) {
    const attnviz::Tensor r = attnviz::attentionRollout(trace.attention.at("self"), fusion, discard);  // [N, N]
    attnviz::Trace shell;  // extractMap's labels and title for an [N, N] "rollout"
    shell.sourceTokens = trace.sourceTokens;
    shell.attention.emplace("rollout", r);
    d = extractMap(shell, {QStringLiteral("rollout"), 0, 0});
  } else {
    return std::nullopt;
  }
  if (fusion != attnviz::RolloutFusion::None) d.title += QStringLiteral(" · heads ") + QLatin1String(attnviz::fusionName(fusion));
  if (discard > 0.0) d.title += QStringLiteral(" · lowest %1% of each row discarded").arg(discard * 100.0, 0, 'g', 3);
  return d;
}

std::optional<HeatmapData> RolloutCache::get(const TracePtr& trace, attnviz::RolloutFusion fusion, double discard) {
  if (!trace) return std::nullopt;
  if (trace != trace_ || fusion != fusion_ || discard != discard_) {
    trace_ = trace;
    fusion_ = fusion;
    discard_ = discard;
    map_ = rolloutMap(*trace, fusion, discard);
    ++computed_;
  }
  return map_;
}

}  // namespace attnviz::ui
