#include "ui/kinds/encoder/arcs_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScopedValueRollback>
#include <QSpinBox>
#include <QVBoxLayout>

#include "ui/kinds/encoder/coreference_pointer.h"
#include "ui/kinds/kind_ui.h"
#include "ui/maps/heatmap_source.h"
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
  headBox_->setToolTip(tr("One head, or every head of the layer at once (one colour per head). A coreference model "
                          "also offers its pointer: the distribution over antecedents its prediction comes from"));
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
    if (!workspace_ || g < 0 || g >= view_->data().size()) return;
    Selection& sel = workspace_->selection();
    const int token = view_->data().groups[static_cast<std::size_t>(g)].tokens.front();
    // Pinned: the pinned token's arcs stay and the hovered one is the key (outlined here, in the editor and the
    // heatmap); otherwise the hovered token is the query.
    if (sel.pinnedRow() != Selection::kNone) sel.setColumn(token);
    else sel.setCell(token, Selection::kNone);
  });
  connect(view_, &ArcsView::pinToggled, this, [this](int g, bool pin) {
    if (!workspace_ || g < 0 || g >= view_->data().size()) return;
    Selection& sel = workspace_->selection();
    if (pin) {
      sel.setCell(view_->data().groups[static_cast<std::size_t>(g)].tokens.front(), Selection::kNone);
      sel.setPinnedRow(sel.row());
    } else {
      sel.setPinnedRow(Selection::kNone);
    }
    focusFromSelection();
  });
  connect(corefLabel_, &QLabel::linkActivated, this, [this](const QString& link) {
    if (link == QLatin1String("pointer")) {
      setPointerShown(true);
      focusCoreference(0);  // its arcs start at a pronoun: show the first one's at once
    } else {
      focusCoreference(link.toInt());
    }
  });
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
    listen(&workspace_->selection(), &Selection::pinChanged, this, &ArcsPanel::focusFromSelection);
    lastHead_ = workspace_->selection().head();
  }
  onTraceChanged();
}

void ArcsPanel::setAllHeads(bool all) {
  if (all) headBox_->setCurrentIndex(0);
  else if (workspace_) headBox_->setCurrentIndex(workspace_->selection().head() + 1);
}
bool ArcsPanel::allHeads() const { return headBox_->currentIndex() <= 0; }
bool ArcsPanel::pointerShown() const { return !pointer_.empty() && headBox_->currentIndex() == attention_.heads + 1; }
void ArcsPanel::setPointerShown(bool shown) {
  if (shown && !pointer_.empty()) headBox_->setCurrentIndex(attention_.heads + 1);
  else if (!shown && pointerShown()) setAllHeads(false);
}
bool ArcsPanel::altiShown() const { return headBox_->currentData().toInt() == kAltiContributions; }
void ArcsPanel::setAltiShown(bool shown) {
  if (shown) headBox_->setCurrentIndex(headBox_->findData(kAltiContributions));
  else if (altiShown()) setAllHeads(false);
}
void ArcsPanel::setMergeWordpieces(bool merge) { mergeBox_->setChecked(merge); }
void ArcsPanel::setHideSpecial(bool hide) { hideSpecialBox_->setChecked(hide); }
void ArcsPanel::setLayoutKind(ArcsLayoutKind kind) { layoutBox_->setCurrentIndex(layoutBox_->findData(static_cast<int>(kind))); }
void ArcsPanel::setThreshold(double threshold) { thresholdBox_->setValue(threshold); }

void ArcsPanel::onTraceChanged() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  attention_ = trace ? EncoderAttention::fromTrace(*trace) : EncoderAttention{};
  pointer_ = trace && !attention_.empty() ? pointerMap(*trace) : std::vector<float>{};
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
  QString text;
  if (!links.isEmpty()) {
    // The prediction is the pointer head's, not the attention drawn below: say so, and offer its distribution.
    text = tr("Coreference, by the pointer head: ") + links.join(QStringLiteral(" &nbsp;·&nbsp; "));
    if (!pointer_.empty())
      text += pointerShown() ? tr(" &nbsp;— below: its distribution, as arcs from the pronoun (click one above to pin it)")
                             : tr(" &nbsp;— <a href=\"pointer\" style=\"color:#1f4e99\">show the pointer's distribution</a>");
  }
  const ModelPtr model = workspace_ ? workspace_->currentModel() : nullptr;
  const LayerHead coref = model ? coreferenceHeadOf(model->info()) : LayerHead{};
  if (coref.valid() && !attention_.empty() && !allHeads() && !pointerShown() && !altiShown() &&
      workspace_->selection().layer() == coref.layer &&
      workspace_->selection().head() == coref.head) {
    if (!text.isEmpty()) text += QStringLiteral("<br>");
    text += tr("Shown: the “coreference head”, %1. An attention head, not the pointer that predicts.")
                .arg(coreferenceHeadNote(model->info()).toHtmlEscaped());
  }
  corefLabel_->setText(text);
  corefLabel_->setVisible(!text.isEmpty());
}

void ArcsPanel::focusCoreference(int index) {
  rebuild_.flush();
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  if (!trace || index < 0 || index >= static_cast<int>(trace->prediction.coreference.size())) return;
  const attnviz::CoreferenceLink& c = trace->prediction.coreference[static_cast<std::size_t>(index)];
  // Pinned: hovering elsewhere must not take the pronoun's arcs away.
  workspace_->selection().setCell(static_cast<int>(c.pronoun), static_cast<int>(c.antecedent));
  workspace_->selection().setPinnedRow(static_cast<int>(c.pronoun));
  focusFromSelection();
  const int group = groupOf(view_->data().groups, static_cast<int>(c.pronoun));
  if (group >= 0) view_->ensureGroupVisible(group);
}

void ArcsPanel::syncSelectors() {
  const QScopedValueRollback guard(syncing_, true);
  const bool all = headBox_->count() == 0 || headBox_->currentIndex() == 0;
  const bool pointer = headBox_->currentData().toInt() == kPointerHead;
  const bool alti = altiShown();
  // Items: all heads, head 1 .. head H, the coreference pointer when the trace has its distribution, and ALTI.
  const bool altiOffered = !attention_.empty() && workspace_ && kindCan(workspace_->currentKind(), &KindCapabilities::contributions);
  const int items = attention_.heads + 1 + (pointer_.empty() ? 0 : 1) + (altiOffered ? 1 : 0);
  if (headBox_->count() != items) {
    headBox_->clear();
    headBox_->addItem(tr("All heads"), kAllHeadsItem);
    for (int h = 0; h < attention_.heads; ++h) headBox_->addItem(tr("Head %1").arg(h + 1), h);
    if (!pointer_.empty()) headBox_->addItem(tr("Coreference pointer"), kPointerHead);
    if (altiOffered) headBox_->addItem(tr("ALTI contributions"), kAltiContributions);
  }
  layerBox_->setRange(1, std::max(1, attention_.layers));
  headBox_->setEnabled(!attention_.empty());
  if (workspace_) {
    const Selection& sel = workspace_->selection();
    layerBox_->setValue(sel.layer() + 1);
    headBox_->setCurrentIndex(all || attention_.empty()     ? 0
                              : pointer && !pointer_.empty() ? attention_.heads + 1
                              : alti && altiOffered          ? headBox_->findData(kAltiContributions)
                                                             : std::min(sel.head(), attention_.heads - 1) + 1);
  }
  layerBox_->setEnabled(!attention_.empty() && !pointerShown());  // the pointer sits on the last layer, no choice
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
    const TracePtr trace = workspace_->shownTrace();
    const auto alti = trace->attention.find("alti");
    if (altiShown() && alti == trace->attention.end()) {
      workspace_->setContributions(withMethodOf(QStringLiteral("alti"), workspace_->contributions()));  // one rerun
      why = workspace_->isRunning() ? tr("Computing ALTI… (the model runs again, keeping what the method needs)")
                                    : tr("ALTI is not in this result; run the model again to compute it.");
    } else if (altiShown()) {
      data.heads.push_back(kAltiContributions);
      data.maps.push_back(mergeMap(alti->second.slice(data.layer).data(), attention_.n, data.groups));
    } else if (pointerShown()) {
      data.heads.push_back(kPointerHead);
      data.maps.push_back(mergeMap(pointer_.data(), attention_.n, data.groups));
    } else if (allHeads()) {
      for (int h = 0; h < attention_.heads; ++h) data.heads.push_back(h);
    } else {
      data.heads.push_back(std::clamp(sel.head(), 0, attention_.heads - 1));
    }
    for (int h : data.heads)
      if (h >= 0) data.maps.push_back(mergeMap(attention_.map(data.layer, h), attention_.n, data.groups));
    if (altiShown())
      data.title = tr("ALTI contributions · layer %1/%2: what each token's output draws on (residual and LayerNorm "
                      "included), not attention")
                       .arg(data.layer + 1)
                       .arg(data.layers);
    else if (pointerShown()) data.title = tr("coreference pointer · p(antecedent | pronoun): the model's decision, not an attention head");
    else data.title = tr("self-attention · layer %1/%2 · %3")
                     .arg(data.layer + 1)
                     .arg(data.layers)
                     .arg(allHeads() ? tr("all %1 heads").arg(data.modelHeads)
                                     : tr("head %1/%2").arg(data.heads.front() + 1).arg(data.modelHeads));
    if (mergeBox_->isChecked()) data.title += tr(" · words");
    if (why.isEmpty() && data.groups.empty()) why = tr("Nothing left to show once [CLS] and [SEP] are hidden.");
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
  view_->setPinned(sel.pinnedRow() != Selection::kNone && sel.row() == sel.pinnedRow());  // "(pinned)" only while shown
  view_->setFocusGroup(sel.row() >= 0 ? groupOf(view_->data().groups, sel.row()) : -1);
  view_->setKeyHighlight(sel.column() >= 0 ? groupOf(view_->data().groups, sel.column()) : -1);
}

void ArcsPanel::onLayerHeadChanged(int, int head) {
  if (head != lastHead_ && (allHeads() || pointerShown()) && headBox_->count() > 1) {
    // A head picked elsewhere (the grid, the chart, the heatmap): show that head.
    const QScopedValueRollback guard(syncing_, true);
    headBox_->setCurrentIndex(std::min(head, attention_.heads - 1) + 1);
  }
  lastHead_ = head;
  syncSelectors();
  rebuild();
  updateCoreference();
}

void ArcsPanel::onCellChanged(int, int) { focusFromSelection(); }

void ArcsPanel::onHeadPicked() {
  if (syncing_) return;
  if (!allHeads() && !pointerShown() && !altiShown() && workspace_) {
    const int head = headBox_->currentIndex() - 1;
    lastHead_ = head;
    workspace_->selection().setLayerHead(layerBox_->value() - 1, head);
  }
  layerBox_->setEnabled(!attention_.empty() && !pointerShown());
  rebuild();
  updateCoreference();
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
  const QString title = d.heads.front() == kPointerHead ? d.title
                                                       : tr("self-attention · layer %1 · head %2").arg(d.layer + 1).arg(d.heads.front() + 1);
  return HeatmapData::fromValues(d.size(), d.size(), d.maps.front(), labels, labels, title);
}

}  // namespace attnviz::ui
