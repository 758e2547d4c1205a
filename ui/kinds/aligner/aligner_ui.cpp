// The aligner kind's row of the window's kind table (ui/kinds/kind_ui.h): for now the seq2seq kind's Alignment tab
// and Compare variants, whose heatmap and argmax read attention.cross [T, S] as the aligner gives it (its link
// posteriors; the source <eos> column is NULL's share). A placeholder so that the window opens aligner packages;
// the GUI side of the aligner (its place in the comparison beside seq2seq variants) is still to be designed.
#include "ui/compare/compare_panel.h"
#include "ui/kinds/kind_ui.h"
#include "ui/kinds/seq2seq/alignment_panel.h"
#include "ui/kinds/seq2seq/attention_chart_panel.h"
#include "ui/kinds/seq2seq/seq2seq_extension.h"

namespace attnviz::ui {

namespace {

std::vector<PanelSpec> panels() {
  const QString alignment = QObject::tr("Alignment");
  return {panelSpec<AlignmentPanel>("alignment", alignment),
          panelSpec<AttentionChartPanel>("attentionChart", alignment, PanelSpec::Place::Side),
          panelSpec<ComparePanel>("compare", QObject::tr("Compare variants"))};
}

std::vector<FigureView> figureViews() { return {{"heatmap", "alignment", false, false, {}}}; }

std::unique_ptr<KindExtension> extension(Workspace& workspace) { return std::make_unique<Seq2seqExtension>(workspace); }

}  // namespace

extern const KindUi kAlignerUi;
const KindUi kAlignerUi = {QStringLiteral("aligner"), panels, figureViews, extension};

}  // namespace attnviz::ui
