// The aligner kind's row of the window's kind table (ui/kinds/kind_ui.h): a statistical word aligner scores a
// sentence pair it is given (RunOptions::target is required) and makes attention.cross [T, S], its link posteriors
// (the source <eos> column is NULL's share). Its Alignment tab is the seq2seq kind's (ui/alignment/): the target
// entry, the posterior heatmap with the extracted links, gold links and AER, and the hovered word's chart; no beam.
// It compares beside seq2seq models (Workspace's comparableKinds). Its document state is the Seq2seqExtension the
// seq2seq row makes (gold alignments, extraction method), shared by both kinds.
#include "ui/alignment/alignment_panel.h"
#include "ui/alignment/attention_chart_panel.h"
#include "ui/compare/compare_panel.h"
#include "ui/kinds/kind_ui.h"

namespace attnviz::ui {

namespace {

std::vector<PanelSpec> panels() {
  const QString alignment = QObject::tr("Alignment");
  return {panelSpec<AlignmentPanel>("alignment", alignment),
          panelSpec<AttentionChartPanel>("attentionChart", alignment, PanelSpec::Place::Side),
          panelSpec<ComparePanel>("compare", QObject::tr("Compare variants"))};
}

std::vector<FigureView> figureViews() { return {{"heatmap", "alignment", false, false, {}}}; }

}  // namespace

extern const KindUi kAlignerUi;
const KindUi kAlignerUi = {QStringLiteral("aligner"), panels, figureViews};

}  // namespace attnviz::ui
