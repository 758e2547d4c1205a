#include "ui/maps/heatmap_view.h"

#include <QMouseEvent>
#include <QMoveEvent>
#include <QPaintEvent>
#include <QResizeEvent>
#include <QWheelEvent>
#include <QPainter>
#include <QToolTip>
#include <cmath>

#include "ui/panels/tool_tip_event.h"

namespace attnviz::ui {

HeatmapView::HeatmapView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setAttribute(Qt::WA_OpaquePaintEvent);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  followPalette();
}

// Background and text follow the window's palette, so a dark desktop theme gives a dark map.
void HeatmapView::followPalette() {
  style_.background = palette().color(QPalette::Base);
  style_.foreground = palette().color(QPalette::Text);
}

void HeatmapView::setData(HeatmapData data) {
  data_ = std::move(data);
  invalidate();
  update();
  emit detailNoteChanged(HeatmapPainter::detailNote(data_, style_));
}

void HeatmapView::invalidate() {
  geometry_.reset();
  cells_ = QImage();
  cellsValid_ = false;
}

void HeatmapView::resizeEvent(QResizeEvent* event) {
  geometry_.reset();
  QWidget::resizeEvent(event);
}

void HeatmapView::setStyle(const HeatmapStyle& style) {
  const int row = style_.highlightRow;
  const int col = style_.highlightCol;
  style_ = style;
  style_.highlightRow = row;
  style_.highlightCol = col;
  followPalette();
  invalidate();
  update();
  emit detailNoteChanged(HeatmapPainter::detailNote(data_, style_));
}

void HeatmapView::setHighlight(int row, int col) {
  if (row == style_.highlightRow && col == style_.highlightCol) return;
  style_.highlightRow = row;
  style_.highlightCol = col;
  update();
}

HeatmapGeometry HeatmapView::geometryNow() const {
  if (!geometry_) geometry_ = HeatmapPainter::layout(QRectF(rect()), data_, style_);
  // Zoomed inside a scroll area only part of the view is on screen: title, labels and colour bar stay in that part.
  return HeatmapPainter::pinToViewport(*geometry_, QRectF(visibleRegion().boundingRect()), style_);
}

void HeatmapView::moveEvent(QMoveEvent* event) {
  update();  // scrolled: the pinned title, labels and colour bar are drawn anew where the view is now seen
  QWidget::moveEvent(event);
}

QPointF HeatmapView::cellCenter(int row, int col) const {
  return HeatmapPainter::cellRect(geometryNow(), row, col).center();
}

QString HeatmapView::toolTipAt(const QPointF& pos) const {
  const auto [row, col] = HeatmapPainter::cellAt(geometryNow(), pos);
  if (row < 0 || !data_.valid(row, col)) return {};
  const QString r = row < data_.rowLabels.size() ? data_.rowLabels[row] : QString::number(row);
  const QString c = data_.colLabelAt(row, col);
  if (std::isnan(data_.at(row, col))) return {};  // padding: no token here
  return QStringLiteral("%1 → %2\nweight %3\n(%4 %5, %6 %7)")
      .arg(r, c, QString::number(data_.at(row, col), 'f', 4),
           data_.rowAxis.isEmpty() ? QStringLiteral("row") : data_.rowAxis, QString::number(row),
           data_.colAxis.isEmpty() ? QStringLiteral("column") : data_.colAxis, QString::number(col));
}

void HeatmapView::paintEvent(QPaintEvent* event) {
  QPainter p(this);
  const HeatmapGeometry g = geometryNow();
  if (!cellsValid_ && HeatmapPainter::cellsAsImage(data_, style_)) {
    cells_ = HeatmapPainter::cellImage(data_, style_);
    cellsValid_ = true;
  }
  HeatmapPainter::paint(p, QRectF(rect()), data_, style_, QRectF(event->rect()), {&g, cellsValid_ ? &cells_ : nullptr});
}

void HeatmapView::wheelEvent(QWheelEvent* event) {
  if (!(event->modifiers() & Qt::ControlModifier) || event->angleDelta().y() == 0) {
    event->ignore();  // the scroll area scrolls
    return;
  }
  constexpr double kWheelZoomStep = 1.25;
  emit zoomRequested(event->angleDelta().y() > 0 ? kWheelZoomStep : 1.0 / kWheelZoomStep, event->position());
  event->accept();
}

void HeatmapView::mouseMoveEvent(QMouseEvent* event) {
  const auto [row, col] = HeatmapPainter::cellAt(geometryNow(), event->position());
  if (row == lastRow_ && col == lastCol_) return;
  lastRow_ = row;
  lastCol_ = col;
  emit hovered(row, col);
  if (row >= 0 && QToolTip::isVisible()) QToolTip::showText(event->globalPosition().toPoint(), toolTipAt(event->position()), this);
}

void HeatmapView::leaveEvent(QEvent*) {
  if (lastRow_ == -1 && lastCol_ == -1) return;
  lastRow_ = lastCol_ = -1;
  emit hovered(-1, -1);
}

bool HeatmapView::event(QEvent* event) {
  if (handleToolTipEvent(this, event, [this](const QPoint& p) { return toolTipAt(p); })) return true;
  if (event->type() == QEvent::PaletteChange) {
    followPalette();
    invalidate();
    update();
  }
  return QWidget::event(event);
}

}  // namespace attnviz::ui
