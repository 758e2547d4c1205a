// The aligner kind's row of the window's kind table (ui/kinds/kind_ui.h): for now the generic Heatmap of
// attention.cross [T, S] (the aligner's link posteriors; the source <eos> column is NULL's share) and Compare
// variants. A placeholder so that the window opens aligner packages; the aligner's GUI (the alignment view with gold
// links, its place in the comparison beside the seq2seq variants) is still to be designed.
#include "ui/compare/compare_panel.h"
#include "ui/kinds/kind_ui.h"
#include "ui/maps/heatmap_panel.h"

namespace attnviz::ui {

namespace {

std::vector<PanelSpec> panels() {
  return {panelSpec<HeatmapPanel>("heatmap", QObject::tr("Heatmap")),
          panelSpec<ComparePanel>("compare", QObject::tr("Compare variants"))};
}

std::vector<FigureView> figureViews() { return {{"heatmap", "heatmap", false, false, {}}}; }

}  // namespace

extern const KindUi kAlignerUi;
const KindUi kAlignerUi = {QStringLiteral("aligner"), panels, figureViews};

}  // namespace attnviz::ui
