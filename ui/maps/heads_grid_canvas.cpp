#include "ui/maps/heads_grid_canvas.h"

#include <QMouseEvent>
#include <QPainter>

#include "ui/panels/tool_tip_event.h"

namespace attnviz::ui {

HeadsGridCanvas::HeadsGridCanvas(HeadsGridSource* source, QWidget* parent) : QWidget(parent), source_(source) {
  setMouseTracking(true);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setCursor(Qt::PointingHandCursor);
}

// data_ as it is: a layout asks every tab's size hint, and a hidden tab must not build its thumbnails for that.
QSize HeadsGridCanvas::sizeHint() const { return HeadsGridPainter::naturalSize(source_->gridDataAsIs()).toSize(); }

void HeadsGridCanvas::paintEvent(QPaintEvent*) {
  source_->prepareScaled(QRectF(rect()));
  QPainter p(this);
  HeadsGridStyle style;  // the screen's colours (a dark palette: a dark grid)
  style.background = palette().color(QPalette::Base);
  style.foreground = palette().color(QPalette::Text);
  HeadsGridPainter::paint(p, QRectF(rect()), source_->gridData(), style);
}

void HeadsGridCanvas::mousePressEvent(QMouseEvent* event) {
  if (event->button() == Qt::LeftButton) source_->clickAt(event->position());
}

bool HeadsGridCanvas::event(QEvent* event) {
  if (handleToolTipEvent(this, event, [this](const QPoint& p) { return source_->toolTipAt(p); })) return true;
  return QWidget::event(event);
}

}  // namespace attnviz::ui
