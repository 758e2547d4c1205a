#include "app/figure_views.h"

#include <QString>
#include <algorithm>

#include "engine/core/error.h"
#include "ui/panels/panel.h"
#include "ui/panels/panel_registry.h"

namespace attnviz::cli {

namespace {

using ui::PanelSpec;

std::vector<PanelSpec> registryPanels(const std::string& kind) { return ui::panelsForKind(QString::fromStdString(kind)); }

}  // namespace

std::vector<FigureView> figureViews(const std::string& kind) {
  const ui::KindUi* row = ui::findKindUi(QString::fromStdString(kind));
  std::vector<FigureView> views = row ? row->figureViews() : std::vector<FigureView>{{"heatmap", "heatmap", true, true, {}}};
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
  for (const PanelSpec& spec : registryPanels(kind))
    if (spec.id == id) return std::unique_ptr<ui::Panel>(spec.create(nullptr));
  for (const ui::KindUi* other : ui::kindUis())
    for (const PanelSpec& spec : other->panels())
      if (spec.id == id) return std::unique_ptr<ui::Panel>(spec.create(nullptr));
  throw InternalError(view.name, "no panel \"" + view.panelId + "\" in the panel registry");
}

}  // namespace attnviz::cli
