#include "ui/maps/heatmap_view.h"

#include <QCoreApplication>
#include <QMouseEvent>
#include <QMoveEvent>
#include <QPaintEvent>
#include <QResizeEvent>
#include <QStatusTipEvent>
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

std::pair<int, int> HeatmapView::hitAt(const QPointF& pos) const {
  const HeatmapGeometry g = geometryNow();
  if (g.rows <= 0 || g.cols <= 0) return {-1, -1};
  const auto cell = HeatmapPainter::cellAt(g, pos);
  if (cell.first >= 0) return cell;
  // Labels: the row of a point left of the grid, the column of a point below it (cellAt on the grid's edge).
  if (g.rowLabels.contains(pos) && pos.y() >= g.grid.top() && pos.y() < g.grid.bottom())
    return {HeatmapPainter::cellAt(g, QPointF(g.grid.left() + 0.5, pos.y())).first, -1};
  if (g.colLabels.contains(pos) && pos.x() >= g.grid.left() && pos.x() < g.grid.right())
    return {-1, HeatmapPainter::cellAt(g, QPointF(pos.x(), g.grid.top() + 0.5)).second};
  return {-1, -1};
}

namespace {

QString axisOr(const QString& axis, const char* fallback) { return axis.isEmpty() ? QString::fromLatin1(fallback) : axis; }

}  // namespace

QString HeatmapView::toolTipAt(const QPointF& pos) const {
  const auto [row, col] = hitAt(pos);
  const bool rowOk = row >= 0 && row < data_.rows;
  const bool colOk = col >= 0 && col < data_.cols;
  const QString r = row < data_.rowLabels.size() ? data_.rowLabels.value(row) : QString::number(row);
  const QString pinNote = !pinnable_ ? QString() : row == pinnedRow_ ? tr("\npinned: click it again to release") : tr("\nclick to pin this row");
  if (rowOk && !colOk) return QStringLiteral("%1 %2: “%3”").arg(axisOr(data_.rowAxis, "row"), QString::number(row), r) + pinNote;
  if (colOk && !rowOk)
    return QStringLiteral("%1 %2: “%3”").arg(axisOr(data_.colAxis, "column"), QString::number(col), data_.colLabelAt(0, col));
  if (!data_.valid(row, col) || std::isnan(data_.at(row, col))) return {};  // padding: no token here
  const QString c = data_.colLabelAt(row, col);
  return QStringLiteral("%1 → %2\nweight %3\n(%4 %5, %6 %7)")
             .arg(r, c, QString::number(data_.at(row, col), 'f', 4), axisOr(data_.rowAxis, "row"), QString::number(row),
                  axisOr(data_.colAxis, "column"), QString::number(col)) +
         pinNote;
}

QString HeatmapView::statusTextAt(int row, int col) const {
  const bool rowOk = row >= 0 && row < data_.rows;
  const bool colOk = col >= 0 && col < data_.cols;
  const QString title = data_.title.isEmpty() ? QString() : QStringLiteral(" · ") + data_.title;
  const QString rowPart = rowOk ? QStringLiteral("%1 “%2” (%3)").arg(axisOr(data_.rowAxis, "row"), data_.rowLabels.value(row), QString::number(row))
                                : QString();
  if (rowOk && !colOk) return rowPart + title;
  if (!colOk) return {};
  const QString colPart =
      QStringLiteral("%1 “%2” (%3)").arg(axisOr(data_.colAxis, "column"), data_.colLabelAt(rowOk ? row : 0, col), QString::number(col));
  if (!rowOk) return colPart + title;
  const float v = data_.at(row, col);
  if (std::isnan(v)) return {};
  return QStringLiteral("%1 → %2: %3").arg(rowPart, colPart, QString::number(v, 'f', 3)) + title;
}

void HeatmapView::showStatus(const QString& text) {
  QStatusTipEvent tip(text);
  QCoreApplication::sendEvent(this, &tip);
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
  const auto [row, col] = hitAt(event->position());
  if (row == lastRow_ && col == lastCol_) return;
  lastRow_ = row;
  lastCol_ = col;
  emit hovered(row, col);
  // At once, not after the tooltip delay: the weight under the pointer, in the tooltip and the status bar.
  const QString tip = toolTipAt(event->position());
  if (tip.isEmpty()) QToolTip::hideText();
  else QToolTip::showText(event->globalPosition().toPoint(), tip, this);
  showStatus(statusTextAt(row, col));
}

void HeatmapView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
  const auto [row, col] = hitAt(event->position());
  if (row >= 0) emit clicked(row, col);
}

void HeatmapView::leaveEvent(QEvent*) {
  if (lastRow_ == -1 && lastCol_ == -1) return;
  lastRow_ = lastCol_ = -1;
  emit hovered(-1, -1);
  QToolTip::hideText();
  showStatus({});
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
