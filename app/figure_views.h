// The views `attnviz export --view` names, per model kind: each kind's row of the window's kind table
// (ui/kinds/kind_ui.h) lists them, and the panel that paints each is the one the GUI's tab shows, drawn by the same
// paintFigure.
//
//   for (const FigureView& v : figureViews(kind)) ...;             // vit: patches (the default), heatmap, grid
//   const FigureView& v = figureView(kind, "arcs", "--view");       // UsageError naming the kind's views
//   std::unique_ptr<ui::Panel> panel = createFigurePanel(kind, v);
//   ...  panel attached to a Workspace, a trace shown ...
//   v.prepare(*panel, settings);                                    // after each trace: what the options ask for
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ui/kinds/kind_ui.h"

namespace attnviz::ui {
class Panel;
}

namespace attnviz::cli {

using ui::FigureView;
using ui::FigureViewSettings;

// The kind's views, its default first: the view of the kind's first Main panel in the registry.
std::vector<FigureView> figureViews(const std::string& kind);
// The view called `name` ("" = the default) of `kind`; UsageError(where = option) listing the kind's views otherwise.
FigureView figureView(const std::string& kind, const std::string& name, const std::string& option);
// The panel that paints the view: the kind's own tab panel with the view's panelId, or if the kind's tabs have none,
// another kind's (vit borrows the encoders' all-heads grid, which draws any [layers, heads, N, N] self-attention).
std::unique_ptr<ui::Panel> createFigurePanel(const std::string& kind, const FigureView& view);

}  // namespace attnviz::cli
