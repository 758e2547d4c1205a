#include "ui/kinds/encoder/arcs_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScopedValueRollback>
#include <QSpinBox>
#include <QVBoxLayout>

#include "ui/panels/panel_controls.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

constexpr double kNaturalWidth = 760.0;  // figure width when the panel is not on screen

QLabel* caption(const QString& text, QWidget* buddy, QWidget* parent) {
  auto* l = new QLabel(text, parent);
  l->setBuddy(buddy);
  return l;
}

}  // namespace

ArcsPanel::ArcsPanel(QWidget* parent) : Panel(parent) {
  setObjectName(QStringLiteral("arcsPanel"));
  layerBox_ = new QSpinBox(this);
  layerBox_->setObjectName(QStringLiteral("arcsLayer"));
  layerBox_->setToolTip(tr("Layer (1 = closest to the input)"));
  headBox_ = new QComboBox(this);
  rememberControl(headBox_, "heads");
  headBox_->setObjectName(QStringLiteral("arcsHead"));
  headBox_->setToolTip(tr("One head, or every head of the layer at once (one colour per head)"));
  layoutBox_ = new QComboBox(this);
  rememberControl(layoutBox_, "layout");
  layoutBox_->addItem(tr("Text"), static_cast<int>(ArcsLayoutKind::Text));
  layoutBox_->addItem(tr("Two columns"), static_cast<int>(ArcsLayoutKind::Columns));
  layoutBox_->setToolTip(tr("Text: the tokens as running text, arcs above the lines. Two columns: queries left, keys "
                            "right (as BertViz); with no token focused every arc above the threshold is drawn"));
  hideSpecialBox_ = new QCheckBox(tr("Hide [CLS]/[SEP]"), this);
  rememberControl(hideSpecialBox_, "hideSpecial");
  hideSpecialBox_->setToolTip(tr("Leave out the special tokens, which often soak up most of the attention. Weights are "
                                 "not renormalised: what a token's arcs lack of 1 went to [CLS]/[SEP]"));
  mergeBox_ = new QCheckBox(tr("Merge wordpieces"), this);
  rememberControl(mergeBox_, "mergeWordpieces");
  mergeBox_->setToolTip(tr("Show words instead of wordpieces (“play ##ing” → “playing”). Attention TO a word is the "
                           "sum over its pieces as keys; attention FROM a word is the mean over its pieces as queries, "
                           "so a word's weights still sum to 1"));
  thresholdBox_ = new QDoubleSpinBox(this);
  rememberControl(thresholdBox_, "threshold");
  thresholdBox_->setRange(0.0, 1.0);
  thresholdBox_->setDecimals(3);
  thresholdBox_->setSingleStep(0.01);
  thresholdBox_->setValue(kDefaultThreshold);
  thresholdBox_->setToolTip(tr("Arcs lighter than this weight are not drawn (keeps long inputs readable)"));

  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(4, 2, 4, 2);
  controls->addWidget(caption(tr("&Layer"), layerBox_, this));
  controls->addWidget(layerBox_);
  controls->addSpacing(6);
  controls->addWidget(caption(tr("H&ead"), headBox_, this));
  controls->addWidget(headBox_);
  controls->addSpacing(8);
  controls->addWidget(layoutBox_);
  controls->addWidget(hideSpecialBox_);
  controls->addWidget(mergeBox_);
  controls->addStretch(1);
  controls->addWidget(caption(tr("&Threshold"), thresholdBox_, this));
  controls->addWidget(thresholdBox_);

  view_ = new ArcsView(this);
  view_->setObjectName(QStringLiteral("arcsView"));
  placeholder_ = placeholderLabel(this);
  corefLabel_ = new QLabel(this);
  corefLabel_->setObjectName(QStringLiteral("arcsCoreference"));
  corefLabel_->setWordWrap(true);
  corefLabel_->setTextFormat(Qt::RichText);
  corefLabel_->setContentsMargins(10, 3, 10, 3);
  corefLabel_->setStyleSheet(QStringLiteral("QLabel { background: #fff6e5; color: #202020; }"));
  corefLabel_->setToolTip(tr("The model's coreference prediction: for each pronoun, the antecedent its pointer head picked "
                             "and its probability. Click one to focus the pronoun and see its attention"));
  corefLabel_->hide();

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(controls);
  layout->addWidget(corefLabel_);
  layout->addWidget(view_->header());
  layout->addWidget(view_, 1);
  layout->addWidget(placeholder_, 1);

  connect(view_, &ArcsView::hovered, this, [this](int g) {
    if (workspace_ && g >= 0 && g < view_->data().size())
      workspace_->selection().setCell(view_->data().groups[static_cast<std::size_t>(g)].tokens.front(), Selection::kNone);
  });
  connect(view_, &ArcsView::pinToggled, this, [this](int g, bool) {
    if (workspace_ && g >= 0 && g < view_->data().size())
      workspace_->selection().setCell(view_->data().groups[static_cast<std::size_t>(g)].tokens.front(), Selection::kNone);
    view_->setFocusGroup(g);
  });
  connect(corefLabel_, &QLabel::linkActivated, this, [this](const QString& link) { focusCoreference(link.toInt()); });
  connect(layerBox_, &QSpinBox::valueChanged, this, &ArcsPanel::onLayerEdited);
  connect(headBox_, &QComboBox::currentIndexChanged, this, &ArcsPanel::onHeadPicked);
  connect(layoutBox_, &QComboBox::currentIndexChanged, this, &ArcsPanel::updateStyle);
  connect(thresholdBox_, &QDoubleSpinBox::valueChanged, this, &ArcsPanel::updateStyle);
  connect(hideSpecialBox_, &QCheckBox::toggled, this, &ArcsPanel::rebuild);
  connect(mergeBox_, &QCheckBox::toggled, this, &ArcsPanel::rebuild);
  onTraceChanged();
}

void ArcsPanel::attach() {
  if (workspace_) {
    listen(workspace_, &Workspace::shownTraceChanged, this, &ArcsPanel::onTraceChanged);
    listen(&workspace_->selection(), &Selection::layerHeadChanged, this, &ArcsPanel::onLayerHeadChanged);
    listen(&workspace_->selection(), &Selection::cellChanged, this, &ArcsPanel::onCellChanged);
    lastHead_ = workspace_->selection().head();
  }
  onTraceChanged();
}

void ArcsPanel::setAllHeads(bool all) {
  if (all) headBox_->setCurrentIndex(0);
  else if (workspace_) headBox_->setCurrentIndex(workspace_->selection().head() + 1);
}
bool ArcsPanel::allHeads() const { return headBox_->currentIndex() <= 0; }
void ArcsPanel::setMergeWordpieces(bool merge) { mergeBox_->setChecked(merge); }
void ArcsPanel::setHideSpecial(bool hide) { hideSpecialBox_->setChecked(hide); }
void ArcsPanel::setLayoutKind(ArcsLayoutKind kind) { layoutBox_->setCurrentIndex(layoutBox_->findData(static_cast<int>(kind))); }
void ArcsPanel::setThreshold(double threshold) { thresholdBox_->setValue(threshold); }

void ArcsPanel::onTraceChanged() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  attention_ = trace ? EncoderAttention::fromTrace(*trace) : EncoderAttention{};
  syncSelectors();
  const ModelPtr model = workspace_ ? workspace_->currentModel() : nullptr;
  if (trace && model && model.get() != lastModel_) {
    lastModel_ = model.get();
    // A model trained with a coreference head: show that head alone (the Workspace has selected it).
    if (coreferenceHeadOf(model->info()).valid() && !attention_.empty()) {
      const QScopedValueRollback guard(syncing_, true);
      headBox_->setCurrentIndex(std::min(workspace_->selection().head(), attention_.heads - 1) + 1);
      lastHead_ = workspace_->selection().head();
    }
  }
  rebuild();
  updateCoreference();
}

void ArcsPanel::updateCoreference() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  QStringList links;
  if (trace) {
    const auto& coref = trace->prediction.coreference;
    for (std::size_t i = 0; i < coref.size(); ++i) {
      const attnviz::CoreferenceLink& c = coref[i];
      links << QStringLiteral("<a href=\"%1\" style=\"color:#1f4e99; text-decoration:none\"><b>%2</b> → %3</a> "
                              "<span style=\"color:#707070\">%4</span>")
                   .arg(i)
                   .arg(QString::fromStdString(c.pronounText).toHtmlEscaped(), QString::fromStdString(c.antecedentText).toHtmlEscaped())
                   .arg(c.score, 0, 'f', 2);
    }
  }
  corefLabel_->setText(links.isEmpty() ? QString() : tr("Coreference: ") + links.join(QStringLiteral(" &nbsp;·&nbsp; ")));
  corefLabel_->setVisible(!links.isEmpty());
}

void ArcsPanel::focusCoreference(int index) {
  rebuild_.flush();
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  if (!trace || index < 0 || index >= static_cast<int>(trace->prediction.coreference.size())) return;
  const attnviz::CoreferenceLink& c = trace->prediction.coreference[static_cast<std::size_t>(index)];
  view_->setPinned(true);  // hovering elsewhere must not take the pronoun's arcs away
  workspace_->selection().setCell(static_cast<int>(c.pronoun), static_cast<int>(c.antecedent));
  focusFromSelection();
  const int group = groupOf(view_->data().groups, static_cast<int>(c.pronoun));
  if (group >= 0) view_->ensureGroupVisible(group);
}

void ArcsPanel::syncSelectors() {
  const QScopedValueRollback guard(syncing_, true);
  const bool all = headBox_->count() == 0 || headBox_->currentIndex() == 0;
  if (headBox_->count() != attention_.heads + 1) {
    headBox_->clear();
    headBox_->addItem(tr("All heads"));
    for (int h = 0; h < attention_.heads; ++h) headBox_->addItem(tr("Head %1").arg(h + 1));
  }
  layerBox_->setRange(1, std::max(1, attention_.layers));
  layerBox_->setEnabled(!attention_.empty());
  headBox_->setEnabled(!attention_.empty());
  if (workspace_) {
    const Selection& sel = workspace_->selection();
    layerBox_->setValue(sel.layer() + 1);
    headBox_->setCurrentIndex(all || attention_.empty() ? 0 : std::min(sel.head(), attention_.heads - 1) + 1);
  }
}

void ArcsPanel::rebuild() { rebuild_.request(); }

void ArcsPanel::buildMaps() {
  QString why;
  ArcsData data;
  if (!workspace_ || !workspace_->currentModel()) {
    why = tr("Open an encoder model (File ▸ Open model…).");
  } else if (!workspace_->shownTrace()) {
    why = workspace_->isRunning() ? tr("Running…") : tr("Type a sentence above to see where each token attends.");
  } else if (attention_.empty()) {
    why = tr("This trace has no self-attention [layers, heads, tokens, tokens] to draw as arcs.");
  } else {
    const Selection& sel = workspace_->selection();
    data.layers = attention_.layers;
    data.modelHeads = attention_.heads;
    data.layer = std::clamp(sel.layer(), 0, attention_.layers - 1);
    data.groups = groupTokens(attention_.tokens, {mergeBox_->isChecked(), hideSpecialBox_->isChecked()});
    if (allHeads()) {
      for (int h = 0; h < attention_.heads; ++h) data.heads.push_back(h);
    } else {
      data.heads.push_back(std::clamp(sel.head(), 0, attention_.heads - 1));
    }
    for (int h : data.heads) data.maps.push_back(mergeMap(attention_.map(data.layer, h), attention_.n, data.groups));
    data.title = tr("self-attention · layer %1/%2 · %3")
                     .arg(data.layer + 1)
                     .arg(data.layers)
                     .arg(allHeads() ? tr("all %1 heads").arg(data.modelHeads)
                                     : tr("head %1/%2").arg(data.heads.front() + 1).arg(data.modelHeads));
    if (mergeBox_->isChecked()) data.title += tr(" · words");
    if (data.groups.empty()) why = tr("Nothing left to show once [CLS] and [SEP] are hidden.");
  }
  view_->setData(std::move(data));
  focusFromSelection();
  view_->setVisible(why.isEmpty());
  view_->header()->setVisible(why.isEmpty());
  placeholder_->setText(why);
  placeholder_->setVisible(!why.isEmpty());
}

void ArcsPanel::focusFromSelection() {
  if (!workspace_) return;
  const Selection& sel = workspace_->selection();
  view_->setFocusGroup(sel.row() >= 0 ? groupOf(view_->data().groups, sel.row()) : -1);
  view_->setKeyHighlight(sel.column() >= 0 ? groupOf(view_->data().groups, sel.column()) : -1);
}

void ArcsPanel::onLayerHeadChanged(int, int head) {
  if (head != lastHead_ && allHeads() && headBox_->count() > 1) {
    // A head picked elsewhere (the grid, the chart, the heatmap): show that head.
    const QScopedValueRollback guard(syncing_, true);
    headBox_->setCurrentIndex(std::min(head, headBox_->count() - 2) + 1);
  }
  lastHead_ = head;
  syncSelectors();
  rebuild();
}

void ArcsPanel::onCellChanged(int, int) { focusFromSelection(); }

void ArcsPanel::onHeadPicked() {
  if (syncing_) return;
  if (!allHeads() && workspace_) {
    const int head = headBox_->currentIndex() - 1;
    lastHead_ = head;
    workspace_->selection().setLayerHead(layerBox_->value() - 1, head);
  }
  rebuild();
}

void ArcsPanel::onLayerEdited() {
  if (syncing_ || !workspace_) return;
  workspace_->selection().setLayer(layerBox_->value() - 1);
}

void ArcsPanel::updateStyle() {
  ArcsStyle style = view_->arcsStyle();
  style.kind = static_cast<ArcsLayoutKind>(layoutBox_->currentData().toInt());
  style.threshold = thresholdBox_->value();
  view_->setStyle(style);
}

void ArcsPanel::paintFigure(QPainter& painter, const QRectF& rect) const {
  rebuild_.flush();
  ArcsPainter::paint(painter, rect, view_->data(), view_->arcsStyle());
}

// The selection a figure may leave out is the outlined key; the query whose arcs are drawn is the figure's content.
void ArcsPanel::paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& figure) const {
  rebuild_.flush();
  ArcsStyle style = view_->arcsStyle();
  figure.applyText(style);
  if (!figure.showSelection) style.keyHighlight = -1;
  ArcsData data = view_->data();
  data.title = figure.titleFor(data.title);
  ArcsPainter::paint(painter, rect, data, style);
}

QSizeF ArcsPanel::figureSize() const {
  rebuild_.flush();
  const double width = view_->isVisible() && view_->canvas()->width() > 1 ? view_->canvas()->width() : kNaturalWidth;
  return ArcsPainter::figureSize(view_->data(), view_->arcsStyle(), width);
}

std::optional<HeatmapData> ArcsPanel::shownMatrix() const {
  // CSV: the first shown head's map over the shown tokens or words.
  rebuild_.flush();
  const ArcsData& d = view_->data();
  if (d.empty()) return std::nullopt;
  QStringList labels;
  for (const TokenGroup& g : d.groups) labels << g.text;
  return HeatmapData::fromValues(d.size(), d.size(), d.maps.front(), labels, labels,
                                 tr("self-attention · layer %1 · head %2").arg(d.layer + 1).arg(d.heads.front() + 1));
}

}  // namespace attnviz::ui
