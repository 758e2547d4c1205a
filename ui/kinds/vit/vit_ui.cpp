// The vit kind's row of the window's kind table (ui/kinds/kind_ui.h): Patches (image with overlay, per-head
// thumbnails, class chart), the token x token Heatmap with head entropies, Knockout and Compare; export views
// patches, heatmap, grid and knockout (the all-heads grid another kind's tab shows, found by its panel id).
#include "ui/compare/compare_panel.h"
#include "ui/maps/knockout_panel.h"
#include "ui/kinds/kind_ui.h"
#include "ui/kinds/vit/class_chart_panel.h"
#include "ui/kinds/vit/patch_heads_panel.h"
#include "ui/kinds/vit/patch_panel.h"
#include "ui/kinds/vit/vit_extension.h"
#include "ui/maps/head_entropy_panel.h"
#include "ui/maps/heatmap_panel.h"

namespace attnviz::ui {

namespace {

std::vector<PanelSpec> panels() {
  const QString patches = QObject::tr("Patches");
  const QString heatmapTab = QObject::tr("Heatmap");
  return {panelSpec<PatchPanel>("patches", patches),
          panelSpec<PatchHeadsPanel>("patchHeads", patches, PanelSpec::Place::Side),
          panelSpec<ClassChartPanel>("classChart", patches, PanelSpec::Place::Side),
          panelSpec<HeatmapPanel>("heatmap", heatmapTab),
          panelSpec<HeadEntropyPanel>("headEntropy", heatmapTab, PanelSpec::Place::Side),
          panelSpec<KnockoutPanel>("knockout", QObject::tr("Knockout")),
          panelSpec<ComparePanel>("compare", QObject::tr("Compare"))};  // layers, rollout, flow over the image; or models
}

void preparePatches(Panel& panel, const FigureViewSettings& settings) {
  auto* patches = qobject_cast<PatchPanel*>(&panel);
  if (!patches || settings.rollout == RolloutFusion::None || patches->mapKind() == PatchPanel::MapKind::Rollout) return;
  patches->setMapKind(PatchPanel::MapKind::Rollout);
  patches->setRollout(settings.rollout, settings.discardRatio);
}

void prepareKnockout(Panel& panel, const FigureViewSettings& settings) {  // as the encoders' (encoder_ui.cpp)
  if (auto* knockout = qobject_cast<KnockoutPanel*>(&panel)) knockout->setMode(settings.knockout);
}

std::vector<FigureView> figureViews() {
  return {{"patches", "patches", true, true, preparePatches},
          {"heatmap", "heatmap", true, true, {}},
          {"grid", "headsGrid", true, false, {}},
          {"knockout", "knockout", false, false, prepareKnockout},
          {"methods", "compare", false, false, prepareMethodsFigure}};
}

std::unique_ptr<KindExtension> extension(Workspace& workspace) { return std::make_unique<VitExtension>(workspace); }

}  // namespace

extern const KindUi kVitUi;
const KindUi kVitUi = {QStringLiteral("vit"), panels, figureViews, extension};

}  // namespace attnviz::ui
