#include "ui/kinds/encoder/arcs_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <cmath>

#include "ui/panels/tool_tip_event.h"

namespace attnviz::ui {

ArcsCanvas::ArcsCanvas(ArcsView* view) : QWidget(view), view_(view) {
  setMouseTracking(true);
  setAttribute(Qt::WA_OpaquePaintEvent);
}

void ArcsCanvas::paintEvent(QPaintEvent* event) {
  QPainter p(this);
  p.fillRect(event->rect(), view_->style_.background);
  ArcsPainter::paintBody(p, QPointF(0, 0), view_->layout_, view_->data_, view_->style_, view_->arcs_, QRectF(event->rect()));
}

void ArcsCanvas::mouseMoveEvent(QMouseEvent* event) { view_->onCanvasHover(event->position()); }

void ArcsCanvas::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton) view_->onCanvasClick(event->position());
}

bool ArcsCanvas::event(QEvent* event) {
  if (handleToolTipEvent(this, event, [this](const QPoint& p) { return view_->toolTipAt(p); })) return true;
  return QWidget::event(event);
}

ArcsHeader::ArcsHeader(ArcsView* view, QWidget* parent) : QWidget(parent), view_(view) {
  setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

QSize ArcsHeader::sizeHint() const { return {200, static_cast<int>(std::ceil(ArcsPainter::headerHeight(view_->arcsStyle())))}; }

void ArcsHeader::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), view_->arcsStyle().background);
  ArcsPainter::paintHeader(p, QRectF(rect()), view_->data(), view_->arcsStyle());
}

ArcsView::ArcsView(QWidget* parent) : QScrollArea(parent) {
  canvas_ = new ArcsCanvas(this);
  header_ = new ArcsHeader(this);
  setWidget(canvas_);
  setWidgetResizable(false);
  setFrameShape(QFrame::NoFrame);
  // Always on: a scroll bar that comes and goes would change the width, hence the layout.
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  verticalScrollBar()->setSingleStep(20);
}

void ArcsView::setData(ArcsData data) {
  data_ = std::move(data);
  lastHover_ = -1;
  if (style_.focus >= data_.size()) style_.focus = -1;
  relayout();
}

void ArcsView::setStyle(const ArcsStyle& style) {
  ArcsStyle s = style;
  s.focus = style_.focus;
  s.pinned = style_.pinned;
  s.keyHighlight = style_.keyHighlight;
  const bool geometry = s.kind != style_.kind || s.fontPixelSize != style_.fontPixelSize;
  style_ = s;
  if (geometry) {
    relayout();
  } else {
    recomputeArcs();
    canvas_->update();
    header_->update();
  }
}

void ArcsView::setFocusGroup(int group) {
  if (group >= data_.size()) group = -1;
  if (group == style_.focus) return;
  style_.focus = group;
  recomputeArcs();
  canvas_->update();
  header_->update();
}

void ArcsView::setKeyHighlight(int group) {
  if (group == style_.keyHighlight) return;
  style_.keyHighlight = group;
  canvas_->update();
}

void ArcsView::setPinned(bool pinned) {
  if (pinned == style_.pinned) return;
  style_.pinned = pinned;
  canvas_->update();
  header_->update();
}

void ArcsView::relayout() {
  const double width = std::max(1, viewport()->width());
  layout_ = ArcsPainter::layout(data_, style_, width);
  ++layoutCount_;
  canvas_->resize(static_cast<int>(width), std::max(viewport()->height(), static_cast<int>(std::ceil(layout_.height))));
  recomputeArcs();
  canvas_->update();
  header_->updateGeometry();
  header_->update();
}

void ArcsView::recomputeArcs() { arcs_ = ArcsPainter::arcs(data_, style_); }

void ArcsView::resizeEvent(QResizeEvent* event) {
  QScrollArea::resizeEvent(event);
  if (std::abs(layout_.width - viewport()->width()) > 0.5) {
    relayout();
  } else {
    // Only the height changed (e.g. a tab laid out after the panel built its data on being shown): the canvas
    // still fills the viewport, so no grey band is left under the text.
    canvas_->resize(canvas_->width(), std::max(viewport()->height(), static_cast<int>(std::ceil(layout_.height))));
  }
}

QPointF ArcsView::groupCenter(int group) const {
  if (group < 0 || group >= static_cast<int>(layout_.queries.size())) return {};
  return layout_.queries[static_cast<std::size_t>(group)].center();
}

void ArcsView::ensureGroupVisible(int group) {
  const QPointF c = groupCenter(group);
  ensureVisible(static_cast<int>(c.x()), static_cast<int>(c.y()), 10, static_cast<int>(layout_.arcRoom + 20));
}

QString ArcsView::toolTipAt(const QPointF& canvasPos) const {
  const int g = hitAt(canvasPos);
  if (g < 0) return {};
  const TokenGroup& group = data_.groups[static_cast<std::size_t>(g)];
  QString text = QStringLiteral("“%1”").arg(group.text);
  if (group.tokens.size() > 1) text += tr(" — %1 wordpieces").arg(group.tokens.size());
  const int focus = style_.focus;
  if (focus >= 0 && focus != g) {
    for (std::size_t s = 0; s < data_.heads.size(); ++s)
      text += tr("\n%1: “%2” → this %3").arg(ArcsPainter::headName(data_.heads[s]), data_.groups[static_cast<std::size_t>(focus)].text)
                  .arg(data_.weight(static_cast<int>(s), focus, g), 0, 'f', 3);
  }
  text += style_.pinned ? tr("\nclick a token to pin it instead, or the pinned one to release it")
                        : tr("\nclick to pin its arcs");
  return text;
}

void ArcsView::onCanvasHover(const QPointF& pos) {
  const int g = hitAt(pos);
  if (g < 0 || g == lastHover_) return;  // between tokens: the last token stays focused
  lastHover_ = g;
  emit hovered(g);  // pinned: the owner makes it the key, the pinned token's arcs stay
}

void ArcsView::onCanvasClick(const QPointF& pos) {
  const int g = hitAt(pos);
  if (g < 0) return;
  const bool pin = !(style_.pinned && g == style_.focus);
  setPinned(pin);
  emit pinToggled(g, pin);
}

}  // namespace attnviz::ui
