#include "ui/panel_registry.h"

#include "ui/heatmap_panel.h"

namespace attnviz::ui {
namespace {

PanelSpec heatmap() {
  return {QStringLiteral("heatmap"), [](QWidget* parent) -> Panel* { return new HeatmapPanel(parent); }};
}

}  // namespace

std::vector<PanelSpec> panelsForKind(const QString& kind) {
  // Later issues add: seq2seq -> alignment; han -> sentence/word saliency; encoder -> arcs; vit -> patches.
  if (kind == QLatin1String("encoder")) return {heatmap()};
  if (kind == QLatin1String("seq2seq")) return {heatmap()};
  if (kind == QLatin1String("han")) return {heatmap()};
  if (kind == QLatin1String("vit")) return {heatmap()};
  return {heatmap()};
}

}  // namespace attnviz::ui
