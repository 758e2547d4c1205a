#include "ui/kinds/han/saliency_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <cmath>

#include "ui/panels/tool_tip_event.h"
#include "ui/panels/palette_follow.h"

namespace attnviz::ui {
namespace {

QString number(float v, int digits = 3) { return std::isnan(v) ? QStringLiteral("n/a") : QString::number(v, 'f', digits); }

QString signedNumber(float v) {
  if (std::isnan(v)) return QStringLiteral("n/a");
  return (v >= 0 ? QStringLiteral("+") : QStringLiteral("−")) + QString::number(std::abs(v), 'f', 4);
}

// What an occlusion effect means in words: removal lowers or raises p(label).
QString effectText(const HanDocument& doc, float effect) {
  if (!doc.occlusion) return QObject::tr("occlusion: not computed yet");
  if (std::isnan(effect)) return QObject::tr("occlusion: undefined (nothing left to classify without it)");
  const QString label = doc.label.isEmpty() ? QStringLiteral("c") : doc.label;
  return QObject::tr("occlusion %1: without it p(%2) %3 by %4")
      .arg(signedNumber(effect), label, effect >= 0 ? QObject::tr("falls") : QObject::tr("rises"), QString::number(std::abs(effect), 'f', 4));
}

}  // namespace

SaliencyCanvas::SaliencyCanvas(SaliencyView* view) : QWidget(view), view_(view) {
  setMouseTracking(true);
  setAttribute(Qt::WA_OpaquePaintEvent);
}

void SaliencyCanvas::paintEvent(QPaintEvent* event) {
  QPainter p(this);
  p.fillRect(event->rect(), view_->style_.background);
  SaliencyPainter::paintBody(p, QPointF(0, 0), view_->layout_, view_->doc_, view_->style_, QRectF(event->rect()));
}

void SaliencyCanvas::mouseMoveEvent(QMouseEvent* event) {
  view_->onCanvasHover(event->position());
  if (QToolTip::isVisible()) {
    const QString text = view_->toolTipAt(event->position());
    if (text.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(event->globalPosition().toPoint(), text, this);
  }
}

void SaliencyCanvas::leaveEvent(QEvent*) { view_->onCanvasLeave(); }

bool SaliencyCanvas::event(QEvent* event) {
  if (handleToolTipEvent(this, event, [this](const QPoint& p) { return view_->toolTipAt(p); })) return true;
  return QWidget::event(event);
}

SaliencyHeader::SaliencyHeader(SaliencyView* view, QWidget* parent) : QWidget(parent), view_(view) {
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
  connect(view_, &SaliencyView::appearanceChanged, this, [this] {
    updateGeometry();
    update();
  });
}

QSize SaliencyHeader::sizeHint() const {
  return {200, static_cast<int>(std::ceil(SaliencyPainter::headerHeight(view_->saliencyStyle())))};
}

void SaliencyHeader::paintEvent(QPaintEvent*) {
  QPainter p(this);
  // Columns line up with the document's: the header is as wide as the canvas, not the scroll bar.
  const double w = view_->canvas()->width() > 0 ? view_->canvas()->width() : width();
  p.fillRect(rect(), view_->saliencyStyle().background);
  SaliencyPainter::paintHeader(p, QRectF(0, 0, w, height()), view_->document(), view_->saliencyStyle());
}

void SaliencyView::paintStyled(QPainter& painter, const QRectF& rect, const FigureStyle& figure) const {
  SaliencyStyle style = style_;
  figure.applyText(style);
  if (!figure.showSelection) style.highlightSentence = style.highlightWord = -1;
  SaliencyPainter::paint(painter, rect, doc_, style);
}

SaliencyView::SaliencyView(QWidget* parent) : QScrollArea(parent) {
  canvas_ = new SaliencyCanvas(this);
  setWidget(canvas_);
  setWidgetResizable(false);
  setFrameShape(QFrame::NoFrame);
  // Always on: a scroll bar that comes and goes would change the width, hence the layout, hence the height.
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  verticalScrollBar()->setSingleStep(20);
  followPalette(this, [this](const QColor& base, const QColor& text) {
    SaliencyStyle s = style_;
    s.background = base;
    s.foreground = text;
    setStyle(s);
  });
}

void SaliencyView::setDocument(HanDocument doc) {
  doc_ = std::move(doc);
  lastSentence_ = lastWord_ = -1;
  relayout();
}

void SaliencyView::setStyle(const SaliencyStyle& style) {
  SaliencyStyle s = style;
  s.highlightSentence = style_.highlightSentence;
  s.highlightWord = style_.highlightWord;
  const bool geometry = s.columns != style_.columns || s.fontPixelSize != style_.fontPixelSize;
  // Only the header shows the occlusion status: a progress tick must not repaint the document.
  const bool body = s.scaleBySentence != style_.scaleBySentence || s.background != style_.background ||
                    s.foreground != style_.foreground;
  style_ = s;
  if (geometry) relayout();
  else if (body) canvas_->update();
  emit appearanceChanged();
}

void SaliencyView::setHighlight(int sentence, int word) {
  if (sentence == style_.highlightSentence && word == style_.highlightWord) return;
  const int old = style_.highlightSentence;
  style_.highlightSentence = sentence;
  style_.highlightWord = word;
  repaintSentence(old);
  if (sentence != old) repaintSentence(sentence);
}

void SaliencyView::repaintSentence(int sentence) {
  if (sentence < 0 || sentence >= static_cast<int>(layout_.sentences.size())) return;
  const auto& s = layout_.sentences[static_cast<std::size_t>(sentence)];
  canvas_->update(QRectF(0, s.top - 6, canvas_->width(), s.bottom - s.top + 12).toAlignedRect());
}

void SaliencyView::resizeEvent(QResizeEvent* event) {
  QScrollArea::resizeEvent(event);
  if (viewport()->width() != static_cast<int>(std::lround(canvas_->width()))) relayout();
}

void SaliencyView::relayout() {
  const double width = std::max(1, viewport()->width());
  layout_ = SaliencyPainter::layout(doc_, SaliencyPainter::columnWidth(width, style_), style_);
  ++layoutCount_;
  canvas_->resize(static_cast<int>(width), std::max(1, static_cast<int>(std::ceil(layout_.height + 8))));
  canvas_->update();
  emit appearanceChanged();
}

QPointF SaliencyView::wordCenter(int column, int sentence, int word) const {
  return SaliencyPainter::wordRect(layout_, style_, column, sentence, word).center();
}

QPointF SaliencyView::sentenceBarCenter(int column, int sentence) const {
  return SaliencyPainter::sentenceBarRect(layout_, style_, column, sentence).center();
}

void SaliencyView::ensureSentenceVisible(int sentence) {
  if (sentence < 0 || sentence >= static_cast<int>(layout_.sentences.size())) return;
  const auto& s = layout_.sentences[static_cast<std::size_t>(sentence)];
  ensureVisible(0, static_cast<int>((s.top + s.bottom) / 2), 0, static_cast<int>((s.bottom - s.top) / 2 + 8));
}

QString SaliencyView::toolTipAt(const QPointF& pos) const {
  const SaliencyHit h = hitAt(pos);
  if (h.sentence < 0 || doc_.empty()) return {};
  const auto s = static_cast<std::size_t>(h.sentence);
  const QString sentence = tr("sentence %1: attention %2 · %3")
                               .arg(h.sentence + 1)
                               .arg(number(doc_.sentenceWeights[s]), effectText(doc_, doc_.sentenceEffect(h.sentence)));
  if (h.word < 0) return sentence;
  return tr("“%1” — sentence %2, word %3\nattention %4 within its sentence (√sentence × word: %5)\n%6\n%7")
      .arg(doc_.words[s][h.word])
      .arg(h.sentence + 1)
      .arg(h.word + 1)
      .arg(number(doc_.wordWeights[s][static_cast<std::size_t>(h.word)]), number(doc_.shownWeight(h.sentence, h.word, true)),
           effectText(doc_, doc_.wordEffect(h.sentence, h.word)), sentence);
}

void SaliencyView::onCanvasHover(const QPointF& pos) {
  const SaliencyHit h = hitAt(pos);
  if (h.sentence == lastSentence_ && h.word == lastWord_) return;
  lastSentence_ = h.sentence;
  lastWord_ = h.word;
  emit hovered(h.sentence, h.word);
}

void SaliencyView::onCanvasLeave() {
  if (lastSentence_ == -1 && lastWord_ == -1) return;
  lastSentence_ = lastWord_ = -1;
  emit hovered(-1, -1);
}

}  // namespace attnviz::ui
