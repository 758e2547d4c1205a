#include "ui/kinds/seq2seq/alignment_panel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "engine/core/error.h"
#include "ui/kinds/seq2seq/gold_alignment.h"
#include "ui/kinds/seq2seq/gold_bar.h"
#include "ui/maps/heatmap_source.h"
#include "ui/maps/heatmap_style_bar.h"
#include "ui/panels/panel_controls.h"
#include "ui/kinds/seq2seq/seq2seq_run_bar.h"
#include "ui/kinds/seq2seq/token_strip.h"
#include "ui/document/workspace.h"
#include "ui/kinds/seq2seq/seq2seq_extension.h"

namespace attnviz::ui {

AlignmentPanel::AlignmentPanel(QWidget* parent) : HeatmapViewPanel(QStringLiteral("alignmentView"), parent) {
  runBar_ = new Seq2seqRunBar(this);
  goldBar_ = new GoldBar(this);
  strip_ = new TokenStrip(tr("Translation"), this);
  strip_->setObjectName(QStringLiteral("translationStrip"));
  strip_->setToolTip(tr("The translation the heatmap rows show; hover a word to follow it in every panel"));

  argmaxBox_ = new QCheckBox(tr("Argmax"), this);
  rememberControl(argmaxBox_, "argmax");
  argmaxBox_->setChecked(true);
  argmaxBox_->setToolTip(tr("Dots: each target word's highest-weight source word (the alignment AER scores)"));
  goldBox_ = new QCheckBox(tr("Gold"), this);
  rememberControl(goldBox_, "gold");
  goldBox_->setChecked(true);
  goldBox_->setToolTip(tr("Squares: gold links of the picked gold sentence (filled = sure, hollow = possible)"));
  HeatmapStyleBar* styleBar =
      makeStyleBar(tr("Global: one colour scale for the map. Per row: each target word scaled to its own maximum"));

  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(4, 0, 4, 0);
  controls->addWidget(argmaxBox_);
  controls->addWidget(goldBox_);
  controls->addStretch(1);
  controls->addWidget(styleBar);

  placeholder_ = placeholderLabel(this);
  auto* detailNote = detailNoteLabel(view_, this);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addWidget(runBar_);
  layout->addWidget(goldBar_);
  layout->addLayout(controls);
  layout->addWidget(view_, 1);
  layout->addWidget(placeholder_, 1);
  layout->addWidget(detailNote);
  layout->addWidget(strip_);

  connect(view_, &HeatmapView::hovered, this, [this](int row, int col) {
    if (workspace_) workspace_->selection().setCell(row, col);
  });
  connect(strip_, &TokenStrip::hovered, this, [this](int index) {
    if (workspace_) workspace_->selection().setCell(index, Selection::kNone);
  });
  connect(argmaxBox_, &QCheckBox::toggled, this, &AlignmentPanel::refresh);
  connect(goldBox_, &QCheckBox::toggled, this, &AlignmentPanel::refresh);
  refresh();
}

void AlignmentPanel::attach() {
  runBar_->setWorkspace(workspace_);
  goldBar_->setWorkspace(workspace_);
  if (workspace_) {
    listen(workspace_, &Workspace::shownTraceChanged, this, &AlignmentPanel::refresh);
    listen(workspace_, &Workspace::runningChanged, this, &AlignmentPanel::refresh);
    listen(&workspace_->selection(), &Selection::cellChanged, this, &AlignmentPanel::onCellChanged);
    listen(&workspace_->extension<Seq2seqExtension>().gold(), &GoldSet::currentChanged, this, &AlignmentPanel::refresh);
    listen(&workspace_->extension<Seq2seqExtension>().gold(), &GoldSet::changed, this, &AlignmentPanel::refresh);
    listen(workspace_, &Workspace::limitsChanged, this, &AlignmentPanel::updateStyle);
  }
  updateStyle();
  refresh();
}

void AlignmentPanel::setArgmaxShown(bool shown) { argmaxBox_->setChecked(shown); }
void AlignmentPanel::setGoldShown(bool shown) { goldBox_->setChecked(shown); }

void AlignmentPanel::refresh() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  QString why;
  HeatmapData data;
  if (!workspace_ || !workspace_->currentModel()) {
    why = tr("Open a seq2seq model (File ▸ Open model…).");
  } else if (!trace) {
    why = workspace_->isRunning() ? tr("Translating…") : tr("Type an English sentence above to see how the model aligns its translation.");
  } else if (!trace->attention.count("cross")) {
    why = tr("This trace has no cross-attention map.");
  } else {
    try {
      data = extractMap(*trace, {QStringLiteral("cross"), 0, 0});
      QStringList title{data.title, QString::fromStdString(trace->model.variant.empty() ? trace->model.name : trace->model.variant)};
      const int k = workspace_->selection().hypothesis();
      if (k > 0 && workspace_->trace()) title << tr("beam hypothesis %1/%2").arg(k + 1).arg(workspace_->trace()->hypotheses.size());
      if (trace->prediction.forced) title << tr("forced target");
      if (argmaxBox_->isChecked()) data.marks = argmaxMarks(*trace);
      const int gold = workspace_->extension<Seq2seqExtension>().activeGoldSentence();
      if (gold >= 0 && goldBox_->isChecked()) {
        const SentenceAlignment a = alignToGold(*trace, workspace_->extension<Seq2seqExtension>().gold().at(gold));
        if (a.comparable) {
          // Gold squares under the argmax dots: a dot inside a square is a correct link.
          data.marks.insert(data.marks.begin(), a.goldMarks.begin(), a.goldMarks.end());
          title << tr("gold sentence %1 · AER %2").arg(workspace_->extension<Seq2seqExtension>().gold().at(gold).number).arg(a.counts.aer(), 0, 'f', 3);
        }
      }
      nameAlignmentMarks(data);
      data.title = title.join(QStringLiteral(" · "));
    } catch (const attnviz::Error& e) {
      why = QString::fromStdString(e.message());
    }
  }
  QStringList target;
  if (trace && why.isEmpty()) {
    for (const std::string& t : trace->targetTokens) target << QString::fromStdString(t);
  }
  strip_->setTokens(target);
  // The rows of a forced run are the user's target, not the model's translation: say so where the words are.
  strip_->setCaption(trace && trace->prediction.forced ? tr("Forced target") : tr("Translation"));
  view_->setData(std::move(data));
  view_->setVisible(why.isEmpty());
  strip_->setVisible(why.isEmpty());
  placeholder_->setText(why);
  placeholder_->setVisible(!why.isEmpty());
  if (workspace_) onCellChanged(workspace_->selection().row(), workspace_->selection().column());
}

void AlignmentPanel::onCellChanged(int row, int column) {
  view_->setHighlight(row, column);
  strip_->setHighlight(row);
}

}  // namespace attnviz::ui
