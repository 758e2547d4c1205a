// The seq2seq kind's row of the window's kind table (ui/kinds/kind_ui.h): the Alignment tab (alignment heatmap,
// attention chart, beam explorer) and Compare variants; export view heatmap (the alignment).
#include "ui/compare/compare_panel.h"
#include "ui/kinds/kind_ui.h"
#include "ui/alignment/alignment_panel.h"
#include "ui/alignment/attention_chart_panel.h"
#include "ui/alignment/beam_panel.h"
#include "ui/alignment/seq2seq_extension.h"

namespace attnviz::ui {

namespace {

std::vector<PanelSpec> panels() {
  const QString alignment = QObject::tr("Alignment");
  return {panelSpec<AlignmentPanel>("alignment", alignment),
          panelSpec<AttentionChartPanel>("attentionChart", alignment, PanelSpec::Place::Side),
          panelSpec<BeamPanel>("beam", alignment, PanelSpec::Place::Side),
          panelSpec<ComparePanel>("compare", QObject::tr("Compare variants"))};
}

std::vector<FigureView> figureViews() { return {{"heatmap", "alignment", false, false, {}}}; }

std::unique_ptr<KindExtension> extension(Workspace& workspace) { return std::make_unique<Seq2seqExtension>(workspace); }

}  // namespace

extern const KindUi kSeq2seqUi;
const KindUi kSeq2seqUi = {QStringLiteral("seq2seq"), panels, figureViews, extension};

}  // namespace attnviz::ui
