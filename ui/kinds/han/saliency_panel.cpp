#include "ui/kinds/han/saliency_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScopedValueRollback>
#include <QVBoxLayout>

#include "ui/maps/heatmap_source.h"
#include "ui/panels/panel_controls.h"
#include "ui/kinds/han/saliency_latex.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

constexpr double kNaturalWidth = 760.0;  // figure width when the panel is not on screen

}  // namespace

void fillSentenceModes(QComboBox* box) {
  box->addItem(QObject::tr("Sentences: auto"), static_cast<int>(attnviz::SentenceMode::Auto));
  box->addItem(QObject::tr("One sentence per line"), static_cast<int>(attnviz::SentenceMode::Lines));
  box->addItem(QObject::tr("Split by punctuation"), static_cast<int>(attnviz::SentenceMode::Split));
  box->setToolTip(QObject::tr("How the text is cut into sentences. Auto: one sentence per line when every line holds at "
                              "most one sentence, otherwise split after . ! ? (abbreviations and initials excepted)"));
}

SaliencyPanel::SaliencyPanel(QWidget* parent) : Panel(parent) {
  setObjectName(QStringLiteral("saliencyPanel"));
  modeBox_ = new QComboBox(this);
  modeBox_->setObjectName(QStringLiteral("sentenceMode"));
  fillSentenceModes(modeBox_);
  scaleBox_ = new QCheckBox(tr("Scale words by their sentence"), this);
  rememberControl(scaleBox_, "scaleBySentence");
  scaleBox_->setChecked(true);
  scaleBox_->setToolTip(tr("Colour each word by √(sentence weight) × word weight, as Yang et al. (2016) draw it, so only "
                           "important words of important sentences stand out. Off: the word's weight within its sentence"));
  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(4, 2, 4, 2);
  controls->addWidget(modeBox_);
  controls->addSpacing(8);
  controls->addWidget(scaleBox_);
  controls->addStretch(1);

  view_ = new SaliencyView(this);
  view_->setObjectName(QStringLiteral("saliencyView"));
  header_ = new SaliencyHeader(view_, this);
  placeholder_ = placeholderLabel(this);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(controls);
  layout->addWidget(header_);
  layout->addWidget(view_, 1);
  layout->addWidget(placeholder_, 1);

  connect(view_, &SaliencyView::hovered, this, &SaliencyPanel::onHovered);
  connect(scaleBox_, &QCheckBox::toggled, this, &SaliencyPanel::updateStyle);
  connect(modeBox_, &QComboBox::activated, this, [this] {
    if (!syncing_ && workspace_) workspace_->setSentenceMode(static_cast<attnviz::SentenceMode>(modeBox_->currentData().toInt()));
  });
  refresh();
}

void SaliencyPanel::attach() {
  if (workspace_) {
    listen(workspace_, &Workspace::shownTraceChanged, this, &SaliencyPanel::refresh);
    listen(workspace_, &Workspace::occlusionChanged, this, &SaliencyPanel::refresh);
    listen(workspace_, &Workspace::sentenceModeChanged, this, [this](attnviz::SentenceMode mode) {
      const QScopedValueRollback guard(syncing_, true);
      modeBox_->setCurrentIndex(modeBox_->findData(static_cast<int>(mode)));
    });
    listen(&workspace_->selection(), &Selection::cellChanged, view_, &SaliencyView::setHighlight);
    const QScopedValueRollback guard(syncing_, true);
    modeBox_->setCurrentIndex(modeBox_->findData(static_cast<int>(workspace_->sentenceMode())));
  }
  refresh();
}

void SaliencyPanel::refresh() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  HanDocument doc = trace ? HanDocument::fromTrace(*trace, workspace_->occlusionFor(trace)) : HanDocument{};
  QString why;
  if (!workspace_ || !workspace_->currentModel()) {
    why = tr("Open a han model (File ▸ Open model…).");
  } else if (!trace) {
    why = workspace_->isRunning() ? tr("Running…") : tr("Type or paste a document above (or File ▸ Open text file…, or drop a .txt file).");
  } else if (doc.empty()) {
    why = tr("This trace has no sentence and word attention to show.");
  }
  view_->setDocument(std::move(doc));
  if (workspace_) view_->setHighlight(workspace_->selection().row(), workspace_->selection().column());
  view_->setVisible(why.isEmpty());
  header_->setVisible(why.isEmpty());
  placeholder_->setText(why);
  placeholder_->setVisible(!why.isEmpty());
}

void SaliencyPanel::updateStyle() {
  SaliencyStyle style = view_->saliencyStyle();
  style.scaleBySentence = scaleBox_->isChecked();
  view_->setStyle(style);
}

void SaliencyPanel::onHovered(int sentence, int word) {
  if (!workspace_) return;
  Selection& sel = workspace_->selection();
  if (sentence >= 0) sel.setSentence(sentence);  // sticky: the chart keeps the last sentence
  sel.setCell(sentence, sentence >= 0 ? word : Selection::kNone);
}

void SaliencyPanel::paintFigure(QPainter& painter, const QRectF& rect) const {
  SaliencyPainter::paint(painter, rect, view_->document(), view_->saliencyStyle());
}

FigureFeatures SaliencyPanel::figureFeatures() const { return kDocumentFigureFeatures; }

void SaliencyPanel::paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& figure) const {
  view_->paintStyled(painter, rect, figure);
}

QSizeF SaliencyPanel::figureSize() const {
  // The whole document at the width it has on screen, every sentence included.
  const double width = view_->isVisible() && view_->canvas()->width() > 1 ? view_->canvas()->width() : kNaturalWidth;
  return SaliencyPainter::figureSize(view_->document(), view_->saliencyStyle(), width);
}

std::optional<HeatmapData> SaliencyPanel::shownMatrix() const {
  // CSV: the word attention as the heatmap shows it (sentences x word positions).
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  if (!trace || !trace->raggedAttention.count("word")) return std::nullopt;
  try {
    return extractMap(*trace, {QStringLiteral("word"), 0, 0});
  } catch (...) {
    return std::nullopt;
  }
}

QByteArray SaliencyPanel::exportData(const QString& suffix) const {
  if (suffix != QLatin1String("tex")) return {};
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  QString model = trace ? QString::fromStdString(trace->model.name) : QString();
  if (trace && !trace->model.variant.empty()) model += QStringLiteral(" (%1)").arg(QString::fromStdString(trace->model.variant));
  return saliencyLatex(view_->document(), view_->saliencyStyle(), model).toUtf8();
}

}  // namespace attnviz::ui
