#include "ui/alignment/alignment_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "engine/core/error.h"
#include "ui/alignment/gold_alignment.h"
#include "ui/alignment/gold_bar.h"
#include "ui/maps/heatmap_source.h"
#include "ui/maps/heatmap_style_bar.h"
#include "ui/panels/panel_controls.h"
#include "ui/alignment/seq2seq_run_bar.h"
#include "ui/alignment/token_strip.h"
#include "ui/document/workspace.h"
#include "ui/kinds/kind_ui.h"
#include "ui/alignment/seq2seq_extension.h"

namespace attnviz::ui {
namespace {

// The trace as the panel reads it with "a‖h‖" on: attention.cross replaced by cross_norm with rows normalised to 1
// (so the colours, the threshold rule and the AER read it as they read attention), or null without cross_norm.
TracePtr withNormsAsCross(const TracePtr& trace) {
  const auto norms = trace->attention.find("cross_norm");
  if (norms == trace->attention.end()) return nullptr;
  auto copy = std::make_shared<attnviz::Trace>(*trace);
  attnviz::Tensor rows = norms->second.clone();  // [T, S]
  const std::int64_t s = rows.dim(1);
  for (std::int64_t t = 0; t < rows.dim(0); ++t) {
    float* row = rows.data() + t * s;
    double total = 0;
    for (std::int64_t j = 0; j < s; ++j) total += row[j];
    if (total > 0)
      for (std::int64_t j = 0; j < s; ++j) row[j] = static_cast<float>(row[j] / total);
  }
  copy->attention["cross"] = std::move(rows);
  return copy;
}

}  // namespace

AlignmentPanel::AlignmentPanel(QWidget* parent) : HeatmapViewPanel(QStringLiteral("alignmentView"), parent) {
  runBar_ = new Seq2seqRunBar(this);
  goldBar_ = new GoldBar(this);
  strip_ = new TokenStrip(tr("Translation"), this);
  strip_->setObjectName(QStringLiteral("translationStrip"));
  strip_->setToolTip(tr("The translation the heatmap rows show; hover a word to follow it in every panel"));

  argmaxBox_ = new QCheckBox(tr("Links"), this);
  rememberControl(argmaxBox_, "argmax");
  argmaxBox_->setChecked(true);
  argmaxBox_->setToolTip(tr("Dots: the links the extraction method reads from the map (the alignment AER scores)"));
  normsBox_ = new QCheckBox(tr("a‖h‖"), this);
  rememberControl(normsBox_, "norms");
  normsBox_->setToolTip(tr("Weigh each source word's attention by the norm of its encoder state, a_tj ‖h_j‖ (value "
                           "norm, Kobayashi et al. 2020): what the context vector really takes from the word. Rows "
                           "normalised to 1; the links and the AER are read from it. The model runs again"));
  layerBox_ = new QComboBox(this);
  layerBox_->setObjectName(QStringLiteral("alignmentLayer"));
  rememberControl(layerBox_, "layer");
  layerBox_->setToolTip(tr("Which decoder layer's cross-attention to read links from, or the mean over all layers"));
  headBox_ = new QComboBox(this);
  headBox_->setObjectName(QStringLiteral("alignmentHead"));
  rememberControl(headBox_, "head");
  headBox_->setToolTip(tr("Which head of that layer to read links from, or the mean of its heads"));
  methodBox_ = new QComboBox(this);
  methodBox_->setObjectName(QStringLiteral("alignmentMethod"));
  rememberControl(methodBox_, "method");
  methodBox_->addItems({tr("Argmax"), tr("Shift-Att"), tr("Threshold"), tr("Shift-Att + threshold")});
  methodBox_->setToolTip(tr("How links are read from the map: argmax (each target word's best source word), "
                            "Shift-Att (the row of the step that reads the word as input; Chen et al. 2020), "
                            "threshold (every source word with at least this weight)"));
  thresholdBox_ = new QDoubleSpinBox(this);
  thresholdBox_->setObjectName(QStringLiteral("alignmentThreshold"));
  rememberControl(thresholdBox_, "threshold");
  thresholdBox_->setRange(0.01, 1.0);
  thresholdBox_->setSingleStep(0.05);
  thresholdBox_->setDecimals(2);
  thresholdBox_->setValue(0.5);
  thresholdBox_->setToolTip(tr("Threshold rule: the least attention weight a source word needs to be linked"));
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
  controls->addWidget(normsBox_);
  controls->addWidget(layerBox_);
  controls->addWidget(headBox_);
  controls->addWidget(methodBox_);
  controls->addWidget(thresholdBox_);
  controls->addStretch(1);
  controls->addWidget(styleBar);

  aerGrid_ = new QTableWidget(this);
  aerGrid_->setObjectName(QStringLiteral("aerGrid"));
  aerGrid_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  aerGrid_->setSelectionMode(QAbstractItemView::SingleSelection);
  aerGrid_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  aerGrid_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  aerGrid_->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
  aerGrid_->setToolTip(tr("AER of this sentence against its gold for each layer and head (last column: the layer's mean "
                          "of heads), by the chosen rule; green = low. Click a cell to show that layer and head"));
  aerGrid_->setVisible(false);
  placeholder_ = placeholderLabel(this);
  auto* detailNote = detailNoteLabel(view_, this);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addWidget(runBar_);
  layout->addWidget(goldBar_);
  layout->addLayout(controls);
  layout->addWidget(aerGrid_);
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
  connect(normsBox_, &QCheckBox::toggled, this, &AlignmentPanel::refresh);  // on: refresh asks for the rerun
  connect(layerBox_, &QComboBox::currentIndexChanged, this, &AlignmentPanel::pushMethod);
  connect(headBox_, &QComboBox::currentIndexChanged, this, &AlignmentPanel::pushMethod);
  connect(methodBox_, &QComboBox::currentIndexChanged, this, &AlignmentPanel::pushMethod);
  connect(thresholdBox_, &QDoubleSpinBox::valueChanged, this, &AlignmentPanel::pushMethod);
  connect(aerGrid_, &QTableWidget::cellClicked, this, [this](int row, int column) {
    if (!workspace_) return;
    attnviz::ExtractionMethod m = workspace_->extension<Seq2seqExtension>().method();
    m.layer = row;
    m.head = column < aerGrid_->columnCount() - 1 ? column : -1;  // the last column: the layer's mean of heads
    workspace_->extension<Seq2seqExtension>().setMethod(m);
  });
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
    listen(&workspace_->extension<Seq2seqExtension>(), &Seq2seqExtension::methodChanged, this, &AlignmentPanel::refresh);
    listen(workspace_, &Workspace::limitsChanged, this, &AlignmentPanel::updateStyle);
  }
  updateStyle();
  refresh();
}

void AlignmentPanel::setArgmaxShown(bool shown) { argmaxBox_->setChecked(shown); }
void AlignmentPanel::setGoldShown(bool shown) { goldBox_->setChecked(shown); }

void AlignmentPanel::pushMethod() {
  if (syncing_ || !workspace_) return;
  attnviz::ExtractionMethod m;
  const int rule = methodBox_->currentIndex();
  m.shift = rule == 1 || rule == 3;
  m.rule = rule >= 2 ? attnviz::ExtractionRule::Threshold : attnviz::ExtractionRule::Argmax;
  m.threshold = thresholdBox_->value();
  m.layer = layerBox_->currentIndex() - 1;  // item 0: the mean
  m.head = headBox_->currentIndex() - 1;
  workspace_->extension<Seq2seqExtension>().setMethod(m);
}

void AlignmentPanel::syncMapBoxes() {
  syncing_ = true;
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const auto [layers, heads] = trace ? crossLayersHeads(*trace) : std::pair<int, int>{0, 0};
  const attnviz::ExtractionMethod m =
      workspace_ ? workspace_->extension<Seq2seqExtension>().method() : attnviz::ExtractionMethod{};
  if (layerBox_->count() != layers + 1) {
    layerBox_->clear();
    layerBox_->addItem(tr("Mean of all layers"));
    for (int l = 0; l < layers; ++l) layerBox_->addItem(tr("Layer %1").arg(l + 1));
  }
  if (headBox_->count() != heads + 1) {
    headBox_->clear();
    headBox_->addItem(tr("Mean of heads"));
    for (int h = 0; h < heads; ++h) headBox_->addItem(tr("Head %1").arg(h + 1));
  }
  layerBox_->setCurrentIndex(std::clamp(m.layer + 1, 0, layers));
  headBox_->setCurrentIndex(std::clamp(m.head + 1, 0, heads));
  // "Mean of all layers" with one head is the mean over both axes: the head box names it so.
  headBox_->setItemText(0, m.layer < 0 ? tr("and heads") : tr("Mean of heads"));
  layerBox_->setVisible(layers > 0);
  headBox_->setVisible(layers > 0);
  // A model without decoder steps (an aligner) has no Shift-Att: its items are disabled and the box shows the rule used.
  const bool decodes = !trace || !kindCan(trace->model.kind, &KindCapabilities::alignsPairs);
  if (auto* items = qobject_cast<QStandardItemModel*>(methodBox_->model()))
    for (int shifted : {1, 3}) items->item(shifted)->setEnabled(decodes);
  const bool shift = m.shift && decodes;
  methodBox_->setCurrentIndex((m.rule == attnviz::ExtractionRule::Threshold ? 2 : 0) + (shift ? 1 : 0));
  thresholdBox_->setValue(m.threshold);
  thresholdBox_->setEnabled(m.rule == attnviz::ExtractionRule::Threshold);
  syncing_ = false;
}

void AlignmentPanel::fillAerGrid(const attnviz::Trace* trace, const GoldSentence* gold) {
  const auto [layers, heads] = trace ? crossLayersHeads(*trace) : std::pair<int, int>{0, 0};
  if (!trace || !gold || layers == 0) {
    aerGrid_->setVisible(false);
    return;
  }
  const attnviz::ExtractionMethod chosen = workspace_->extension<Seq2seqExtension>().method();
  aerGrid_->setRowCount(layers);
  aerGrid_->setColumnCount(heads + 1);
  QStringList columns;
  for (int h = 0; h < heads; ++h) columns << tr("head %1").arg(h + 1);
  columns << tr("mean of heads");
  aerGrid_->setHorizontalHeaderLabels(columns);
  QStringList rows;
  for (int l = 0; l < layers; ++l) rows << tr("layer %1").arg(l + 1);
  aerGrid_->setVerticalHeaderLabels(rows);
  // L x (H + 1) sentence alignments of one sentence: a few milliseconds, on the GUI thread like the sentence AER.
  for (int l = 0; l < layers; ++l) {
    for (int c = 0; c <= heads; ++c) {
      attnviz::ExtractionMethod m = chosen;
      m.layer = l;
      m.head = c < heads ? c : -1;
      const SentenceAlignment a = alignToGold(*trace, *gold, {.method = m});
      auto* item = new QTableWidgetItem;
      if (a.comparable) {
        const double aer = a.counts.aer();
        item->setText(QString::number(aer, 'f', 2));
        // Green (AER 0) to red (AER 1), light enough for black digits.
        item->setBackground(QColor::fromHsvF(static_cast<float>(0.33 * (1.0 - std::clamp(aer, 0.0, 1.0))), 0.45f, 0.95f));
        item->setForeground(Qt::black);
      } else {
        item->setText(QStringLiteral("–"));
      }
      item->setTextAlignment(Qt::AlignCenter);
      item->setToolTip(tr("layer %1, %2: AER %3 (%4)")
                           .arg(l + 1)
                           .arg(c < heads ? tr("head %1").arg(c + 1) : tr("mean of heads"))
                           .arg(item->text(), QString::fromStdString(attnviz::extractionRuleName(m))));
      aerGrid_->setItem(l, c, item);
    }
  }
  const int selectedColumn = chosen.head < 0 ? heads : chosen.head;
  aerGrid_->clearSelection();
  if (chosen.layer >= 0 && chosen.layer < layers) aerGrid_->setCurrentCell(chosen.layer, std::min(selectedColumn, heads));
  // As tall as its rows (no empty band under them), at most 180 px (a scroll bar past that).
  aerGrid_->resizeRowsToContents();
  int height = aerGrid_->horizontalHeader()->height() + 2 * aerGrid_->frameWidth();
  for (int l = 0; l < layers; ++l) height += aerGrid_->rowHeight(l);
  aerGrid_->setFixedHeight(std::min(height + 2, 180));
  aerGrid_->setVisible(true);
}

void AlignmentPanel::refresh() {
  syncMapBoxes();
  fillAerGrid(nullptr, nullptr);  // shown again below when the sentence has a comparable gold
  TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const bool norms = workspace_ && workspace_->currentModel() && workspace_->currentModel()->info().weightedNorms;
  normsBox_->setVisible(norms);
  const bool normsOn = norms && normsBox_->isChecked();
  QString why;
  HeatmapData data;
  if (!workspace_ || !workspace_->currentModel()) {
    why = tr("Open a seq2seq model (File ▸ Open model…).");
  } else if (!trace) {
    const bool aligner = kindCan(workspace_->currentKind(), &KindCapabilities::alignsPairs);
    why = workspace_->isRunning() ? (aligner ? tr("Aligning…") : tr("Translating…"))
          : aligner && !workspace_->hasTarget()
              ? tr("Type the source sentence above and its translation in the Target box: the aligner links the pair.")
              : tr("Type an English sentence above to see how the model aligns its translation.");
  } else if (!trace->attention.count("cross")) {
    why = tr("This trace has no cross-attention map.");
  } else if (normsOn && !trace->attention.count("cross_norm")) {
    const bool best = workspace_->selection().hypothesis() == 0;
    if (best && !workspace_->contributions().valueNorm) {  // e.g. the box was ticked in an earlier session
      attnviz::ContributionSet methods = workspace_->contributions();
      methods.valueNorm = true;
      workspace_->setContributions(methods);
    }
    why = !best ? tr("a‖h‖ is computed for the best hypothesis only: choose hypothesis 1, or untick a‖h‖.")
          : workspace_->isRunning() ? tr("Computing a‖h‖… (the model runs again)")
                                    : tr("a‖h‖ is not in this result.");
  } else {
    if (normsOn) trace = withNormsAsCross(trace);
    try {
      const attnviz::ExtractionMethod method = methodFor(*trace, workspace_->extension<Seq2seqExtension>().method());
      data = crossHeatmap(*trace, method);
      QStringList title{data.title, QString::fromStdString(trace->model.variant.empty() ? trace->model.name : trace->model.variant)};
      const int k = workspace_->selection().hypothesis();
      if (k > 0 && workspace_->trace()) title << tr("beam hypothesis %1/%2").arg(k + 1).arg(workspace_->trace()->hypotheses.size());
      if (trace->prediction.forced) title << tr("forced target");
      if (normsOn) title << tr("a‖h‖, rows normalised");
      title << tr("links: %1").arg(QString::fromStdString(attnviz::extractionRuleName(method)));
      if (argmaxBox_->isChecked()) data.marks = linkMarks(*trace, method);
      const int gold = workspace_->extension<Seq2seqExtension>().activeGoldSentence();
      if (gold >= 0 && goldBox_->isChecked()) {
        const SentenceAlignment a =
            alignToGold(*trace, workspace_->extension<Seq2seqExtension>().gold().at(gold), {.method = method});
        if (a.comparable) {
          fillAerGrid(trace.get(), &workspace_->extension<Seq2seqExtension>().gold().at(gold));
          // Gold squares under the argmax dots: a dot inside a square is a correct link.
          if (argmaxBox_->isChecked()) data.marks = a.predictedMarks;  // the word links AER scored
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
  const bool aligner = trace && kindCan(trace->model.kind, &KindCapabilities::alignsPairs);
  strip_->setCaption(aligner ? tr("Target") : trace && trace->prediction.forced ? tr("Forced target") : tr("Translation"));
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
