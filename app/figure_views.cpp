#include "app/figure_views.h"

#include <QString>
#include <algorithm>

#include "engine/core/error.h"
#include "ui/kinds/encoder/arcs_panel.h"
#include "ui/panels/panel_registry.h"
#include "ui/kinds/vit/patch_panel.h"

namespace attnviz::cli {

namespace {

using ui::PanelSpec;

// Arcs with no token hovered: the BertViz columns draw every arc above the threshold (running text would draw none).
void prepareArcs(ui::Panel& panel, const FigureViewSettings& settings) {
  auto* arcs = qobject_cast<ui::ArcsPanel*>(&panel);
  if (!arcs) return;
  arcs->setLayoutKind(ui::ArcsLayoutKind::Columns);
  if (settings.headGiven && arcs->allHeads()) arcs->setAllHeads(false);  // the Selection's head, once the trace has heads
}

void preparePatches(ui::Panel& panel, const FigureViewSettings& settings) {
  auto* patches = qobject_cast<ui::PatchPanel*>(&panel);
  if (!patches || settings.rollout == RolloutFusion::None || patches->mapKind() == ui::PatchPanel::MapKind::Rollout) return;
  patches->setMapKind(ui::PatchPanel::MapKind::Rollout);
  patches->setRollout(settings.rollout, settings.discardRatio);
}

// Which view shows which registry panel, per kind (the default is found in the registry, not here). The heatmap
// takes rollout from the Workspace (Workspace::setRolloutFusion), so it needs no prepare step.
std::vector<FigureView> viewTable(const std::string& kind) {
  const FigureView heatmap{"heatmap", "heatmap", true, true, {}};
  const FigureView grid{"grid", "headsGrid", true, false, {}};
  if (kind == "encoder") return {heatmap, {"arcs", "arcs", true, false, prepareArcs}, grid};
  if (kind == "seq2seq") return {{"heatmap", "alignment", false, false, {}}};
  if (kind == "han") return {{"saliency", "saliency", false, false, {}}, {"heatmap", "heatmap", false, false, {}}};
  if (kind == "vit") return {{"patches", "patches", true, true, preparePatches}, heatmap, grid};
  return {heatmap};  // the registry gives unknown kinds the generic heatmap
}

std::vector<PanelSpec> registryPanels(const std::string& kind) { return ui::panelsForKind(QString::fromStdString(kind)); }

}  // namespace

std::vector<FigureView> figureViews(const std::string& kind) {
  std::vector<FigureView> views = viewTable(kind);
  const std::vector<PanelSpec> specs = registryPanels(kind);
  const auto main = std::find_if(specs.begin(), specs.end(), [](const PanelSpec& s) { return s.place == PanelSpec::Place::Main; });
  if (main != specs.end()) {
    const auto first = std::find_if(views.begin(), views.end(), [&](const FigureView& v) { return QString::fromStdString(v.panelId) == main->id; });
    if (first != views.end()) std::rotate(views.begin(), first, first + 1);
  }
  return views;
}

FigureView figureView(const std::string& kind, const std::string& name, const std::string& option) {
  const std::vector<FigureView> views = figureViews(kind);
  if (name.empty()) return views.front();
  std::string names;
  for (const FigureView& v : views) {
    if (v.name == name) return v;
    names += (names.empty() ? "" : ", ") + v.name;
  }
  throw UsageError(option, "a " + kind + " model has no " + name + " view; it has " + names);
}

std::unique_ptr<ui::Panel> createFigurePanel(const std::string& kind, const FigureView& view) {
  const QString id = QString::fromStdString(view.panelId);
  for (const std::string& k : {kind, std::string("encoder")}) {
    for (const PanelSpec& spec : registryPanels(k)) {
      if (spec.id == id) return std::unique_ptr<ui::Panel>(spec.create(nullptr));
    }
  }
  throw InternalError(view.name, "no panel \"" + view.panelId + "\" in the panel registry");
}

}  // namespace attnviz::cli
