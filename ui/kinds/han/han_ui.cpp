// The han kind's row of the window's kind table (ui/kinds/kind_ui.h): Saliency (document, sentence chart), Attention
// vs occlusion, the sentences x words Heatmap and Compare variants; export views saliency and heatmap.
#include "ui/compare/compare_panel.h"
#include "ui/kinds/han/han_extension.h"
#include "ui/kinds/han/occlusion_panel.h"
#include "ui/kinds/han/saliency_panel.h"
#include "ui/kinds/han/sentence_chart_panel.h"
#include "ui/kinds/kind_ui.h"
#include "ui/maps/heatmap_panel.h"

namespace attnviz::ui {

namespace {

std::vector<PanelSpec> panels() {
  const QString saliency = QObject::tr("Saliency");
  return {panelSpec<SaliencyPanel>("saliency", saliency),
          panelSpec<SentenceChartPanel>("sentenceChart", saliency, PanelSpec::Place::Side),
          panelSpec<OcclusionPanel>("occlusion", QObject::tr("Attention vs occlusion")),
          panelSpec<HeatmapPanel>("heatmap", QObject::tr("Heatmap")),
          panelSpec<ComparePanel>("compare", QObject::tr("Compare variants"))};
}

std::vector<FigureView> figureViews() {
  return {{"saliency", "saliency", false, false, {}}, {"heatmap", "heatmap", false, false, {}}};
}

std::unique_ptr<KindExtension> extension(Workspace& workspace) { return std::make_unique<HanExtension>(workspace); }

}  // namespace

extern const KindUi kHanUi;
const KindUi kHanUi = {QStringLiteral("han"), panels, figureViews, extension};

}  // namespace attnviz::ui
