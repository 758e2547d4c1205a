// The views `attnviz export --view` names, per model kind, and the GUI panel that paints each: the panels come from
// the panel registry (ui/panels/panel_registry.h), so a figure is what the GUI's tab shows, drawn by the same paintFigure.
//
//   for (const FigureView& v : figureViews("vit")) ...;           // patches (the default), heatmap, grid
//   const FigureView& v = figureView("encoder", "arcs", "--view");  // UsageError naming the kind's views
//   std::unique_ptr<ui::Panel> panel = createFigurePanel("encoder", v);
//   ...  panel attached to a Workspace, a trace shown ...
//   v.prepare(*panel, settings);                                    // after each trace: what the options ask for
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/api/model.h"

namespace attnviz::ui {
class Panel;
}

namespace attnviz::cli {

// What the command line asks a view to show beyond the Selection's layer and head.
struct FigureViewSettings {
  bool headGiven = false;                        // --head: arcs show that head alone, not every head of the layer
  RolloutFusion rollout = RolloutFusion::None;   // --rollout
  double discardRatio = 0.0;                     // --discard-ratio
};

struct FigureView {
  std::string name;    // "heatmap", "arcs", "saliency", "patches", "grid"
  std::string panelId; // PanelSpec::id in the registry
  bool layered = false;       // shows one layer and head of attention.self: --layer and --head apply
  bool takesRollout = false;  // --rollout applies
  // Called after each trace is shown; sets the panel's own controls (idempotent). May be empty.
  std::function<void(ui::Panel& panel, const FigureViewSettings& settings)> prepare;
};

// The kind's views, its default first: the view of the kind's first Main panel in the registry.
std::vector<FigureView> figureViews(const std::string& kind);
// The view called `name` ("" = the default) of `kind`; UsageError(where = option) listing the kind's views otherwise.
FigureView figureView(const std::string& kind, const std::string& name, const std::string& option);
// The registry's panel for the view: the kind's own, or another kind's with the same id (vit borrows the encoders'
// all-heads grid, which draws any [layers, heads, N, N] self-attention).
std::unique_ptr<ui::Panel> createFigurePanel(const std::string& kind, const FigureView& view);

}  // namespace attnviz::cli
