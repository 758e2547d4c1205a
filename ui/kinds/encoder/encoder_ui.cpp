// The encoder kind's row of the window's kind table (ui/kinds/kind_ui.h): the Attention tab (heatmap with rollout,
// head entropies), Arcs, All heads, Knockout and Compare; export views heatmap, arcs, grid, knockout and methods.
#include "ui/compare/compare_panel.h"
#include "ui/kinds/encoder/arcs_panel.h"
#include "ui/kinds/encoder/heads_grid_panel.h"
#include "ui/maps/knockout_panel.h"
#include "ui/kinds/kind_ui.h"
#include "ui/maps/head_entropy_panel.h"
#include "ui/maps/heatmap_panel.h"

namespace attnviz::ui {

namespace {

std::vector<PanelSpec> panels() {
  const QString attention = QObject::tr("Attention");
  return {panelSpec<HeatmapPanel>("heatmap", attention),
          panelSpec<HeadEntropyPanel>("headEntropy", attention, PanelSpec::Place::Side),
          panelSpec<ArcsPanel>("arcs", QObject::tr("Arcs")),
          panelSpec<HeadsGridPanel>("headsGrid", QObject::tr("All heads")),
          panelSpec<KnockoutPanel>("knockout", QObject::tr("Knockout")),
          panelSpec<ComparePanel>("compare", QObject::tr("Compare"))};  // models, or maps of one trace
}

// Arcs with no token hovered: the BertViz columns draw every arc above the threshold (running text would draw none),
// one colour per head as the GUI's "all heads" choice does.
void prepareArcs(Panel& panel, const FigureViewSettings& settings) {
  auto* arcs = qobject_cast<ArcsPanel*>(&panel);
  if (!arcs) return;
  arcs->setLayoutKind(ArcsLayoutKind::Columns);
  // Every head of the layer unless --head names one: set after each trace, since a Selection head set on opening the
  // model (a coreference model's own head, --layer) switches the panel to that one head as a user's pick would.
  arcs->setAllHeads(!settings.headGiven);
}

// The grid of the mode the run computed (--head-knockout; `attnviz export --view knockout` runs one-head by default).
void prepareKnockout(Panel& panel, const FigureViewSettings& settings) {
  if (auto* knockout = qobject_cast<KnockoutPanel*>(&panel)) knockout->setMode(settings.knockout);
}

// The heatmap takes rollout from the Workspace (Workspace::setRolloutFusion), so it needs no prepare step.
std::vector<FigureView> figureViews() {
  return {{"heatmap", "heatmap", true, true, {}}, {"arcs", "arcs", true, false, prepareArcs}, {"grid", "headsGrid", true, false, {}},
          {"knockout", "knockout", false, false, prepareKnockout}, {"methods", "compare", false, false, prepareMethodsFigure}};
}

}  // namespace

extern const KindUi kEncoderUi;
const KindUi kEncoderUi = {QStringLiteral("encoder"), panels, figureViews};

}  // namespace attnviz::ui
