#include "ui/compare/patch_comparison.h"

#include <QObject>
#include <algorithm>
#include <tuple>

#include "engine/core/error.h"
#include "engine/analysis/rollout.h"
#include "ui/kinds/kind_ui.h"
#include "ui/kinds/vit/patch_maps.h"
#include "ui/maps/rollout_map.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

// Overlays bigger than this are painted from a smaller copy (one per comparison, shared by every map).
constexpr int kMaxUnderlaySide = 512;

// One overlay as a [rows, cols] map over the image.
HeatmapData patchMap(const PatchOverlay& o, const QImage& underlay) {
  HeatmapData d;
  d.rows = o.grid.rows;
  d.cols = o.grid.cols;
  d.values = o.values;
  for (int r = 0; r < d.rows; ++r) d.rowLabels << QString::number(r);
  for (int c = 0; c < d.cols; ++c) d.colLabels << QString::number(c);
  for (int r = 0; r < d.rows; ++r)
    for (int c = 0; c < d.cols; ++c) d.cellLabels << QObject::tr("patch %1,%2").arg(r).arg(c);
  d.title = o.title;
  d.rowAxis = QObject::tr("patch row");
  d.colAxis = QObject::tr("patch column");
  d.underlay = underlay;
  d.oneDistribution = true;
  return d;
}

}  // namespace

std::optional<PatchGrid> shownPatchGrid(const Workspace& ws) {
  const TracePtr trace = ws.shownTrace();
  if (!trace || !kindCan(ws.currentKind(), &KindCapabilities::image) || !selfAttention(*trace)) return std::nullopt;
  const std::optional<PatchGrid> grid = patchGrid(trace->sourceTokens);
  if (!grid || selfAttention(*trace)->dim(2) != static_cast<std::int64_t>(trace->sourceTokens.size())) return std::nullopt;
  return grid;
}

Comparison buildPatchTraceMaps(const Workspace& ws, const QImage& image) {
  Comparison c;
  const TracePtr trace = ws.shownTrace();
  const std::optional<PatchGrid> grid = shownPatchGrid(ws);
  if (!grid) return c;
  const attnviz::Tensor& self = *selfAttention(*trace);
  const int layers = static_cast<int>(self.dim(0)), heads = static_cast<int>(self.dim(1));
  const int tokens = static_cast<int>(self.dim(2));
  const QImage underlay = image.width() > kMaxUnderlaySide || image.height() > kMaxUnderlaySide
                              ? image.scaled(kMaxUnderlaySide, kMaxUnderlaySide, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                              : image;
  c.key = {QStringLiteral("self"), ws.selection().layer(), ws.selection().head()};
  c.reference = 0;
  auto add = [&](const QString& label, const PatchOverlay& overlay, const char* method = "") {
    VariantRow row;
    row.label = label;
    row.faithfulnessMethod = QLatin1String(method);
    row.modelIndex = ws.currentIndex();
    row.trace = trace;
    row.map = patchMap(overlay, underlay);
    row.metrics = mapMetrics(row.map);
    c.rows.push_back(std::move(row));
  };
  const QString cls = QString::fromStdString(trace->sourceTokens.front()) + QStringLiteral(" → patches");
  add(QObject::tr("layer %1, head mean").arg(layers), meanRow(self, *grid, layers - 1, 0, cls + QObject::tr(" · last layer · mean of heads")),
      "attention");
  const attnviz::RolloutFusion fusion = ws.rolloutEnabled() ? ws.rolloutFusion() : attnviz::RolloutFusion::Mean;
  if (std::optional<HeatmapData> r = rolloutMap(ws.derived(), trace, fusion, ws.rolloutDiscard()); r && r->rows == tokens && r->cols == tokens) {
    QString label = QObject::tr("rollout %1").arg(QLatin1String(attnviz::fusionName(fusion)));
    if (ws.rolloutDiscard() > 0.0) label += QObject::tr(", discard %1").arg(ws.rolloutDiscard(), 0, 'g', 3);
    const bool plain = fusion == attnviz::RolloutFusion::Mean && ws.rolloutDiscard() == 0.0;  // what faithfulness ranks by
    add(label, overlayFromRow(r->values.data(), tokens, *grid, 0, cls + QStringLiteral(" · ") + label), plain ? "rollout" : "");
  }
  // The token contribution maps the run added (Workspace::setContributions), their [CLS] rows.
  const auto n = static_cast<std::int64_t>(tokens);
  if (const auto it = trace->attention.find("value_norm_sum"); it != trace->attention.end() && it->second.dim(-1) == n)
    add(QObject::tr("value norm, last layer"),
        overlayFromRow(it->second.data() + (it->second.dim(0) - 1) * n * n, tokens, *grid, 0, cls + QObject::tr(" · value norm · last layer")),
        "value-norm");
  const std::tuple<const char*, QString, const char*> rollouts[] = {
      {"alti_rollout", QObject::tr("ALTI rollout"), "alti"},
      {"globenc_rollout", QObject::tr("GlobEnc rollout"), "globenc"}};
  for (const auto& [name, label, method] : rollouts)
    if (const auto it = trace->attention.find(name); it != trace->attention.end() && it->second.dim(-1) == n)
      add(label, overlayFromRow(it->second.data(), tokens, *grid, 0, cls + QStringLiteral(" · ") + label), method);
  // Value zeroing: the trace's own, or computed by the window (the heatmap's Map list starts it in the background).
  if (const attnviz::ValueZeroing* zeroed = ws.valueZeroingFor(trace); zeroed && zeroed->rollout.dim(-1) == n) {
    const QString label = QObject::tr("value zeroing rollout");
    add(label, overlayFromRow(zeroed->rollout.data(), tokens, *grid, 0, cls + QStringLiteral(" · ") + label), "value-zeroing");
  }
  const std::vector<float>* flow = ws.flowFor(trace);
  if (flow && static_cast<int>(flow->size()) == tokens)
    add(QObject::tr("attention flow"), overlayFromRow(flow->data(), tokens, *grid, 0, cls + QObject::tr(" · attention flow")));
  const int layer = std::clamp(ws.selection().layer(), 0, layers - 1);
  const int head = std::clamp(ws.selection().head(), 0, heads - 1);
  add(QObject::tr("shown head L%1 H%2").arg(layer + 1).arg(head + 1),
      headRow(self, *grid, layer, head, 0, cls + QObject::tr(" · layer %1 · head %2").arg(layer + 1).arg(head + 1)));
  for (int l = 0; l + 1 < layers; ++l)
    add(QObject::tr("layer %1, head mean").arg(l + 1), meanRow(self, *grid, l, 0, cls + QObject::tr(" · layer %1 · mean of heads").arg(l + 1)));
  for (VariantRow& r : c.rows) r.js = jensenShannon(r.map, c.rows.front().map);
  c.note = QObject::tr("Maps of this one image side by side, each the %1 row over the %2×%3 patches (the title says the colour scale): "
                       "the last layer (mean of its %4 heads), rollout through all %5 layers, attention flow%6, the token "
                       "contribution maps the run added, the shown "
                       "head (L: layer, H: head) and every earlier layer. Metrics treat each map as one distribution over "
                       "the patches; divergence is to (a).")
               .arg(QString::fromStdString(trace->sourceTokens.front()))
               .arg(grid->rows)
               .arg(grid->cols)
               .arg(heads)
               .arg(layers)
               .arg(flow ? QString() : QObject::tr(" (once computed in the Patches tab)"));
  return c;
}

}  // namespace attnviz::ui
