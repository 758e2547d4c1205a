#include "ui/kinds/vit/patch_view.h"

#include <cmath>

#include <QMouseEvent>
#include <QPainter>

#include "ui/panels/tool_tip_event.h"

namespace attnviz::ui {

PatchView::PatchView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setMinimumSize(160, 140);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void PatchView::setContent(const QImage& image, PatchOverlay overlay) {
  image_ = image;
  overlay_ = std::move(overlay);
  update();
}

void PatchView::setStyle(const PatchStyle& style) {
  style_ = style;
  update();
}

QPointF PatchView::patchCentre(int patch) const {
  const PatchGrid& g = overlay_.grid;
  if (patch < 0 || patch >= g.count()) return {};
  const QRectF r = layout().image;
  return {r.left() + (patch % g.cols + 0.5) * r.width() / g.cols, r.top() + (patch / g.cols + 0.5) * r.height() / g.rows};
}

QString PatchView::toolTipAt(const QPoint& point) const {
  const int patch = patchAt(layout(), overlay_.grid, QPointF(point));
  if (patch < 0 || patch >= static_cast<int>(overlay_.values.size())) return {};
  const int r = patch / overlay_.grid.cols, c = patch % overlay_.grid.cols;
  const float v = overlay_.values[static_cast<std::size_t>(patch)];
  if (std::isnan(v)) return tr("patch %1,%2: left out of this map").arg(r).arg(c);  // e.g. rollout without self
  return tr("patch %1,%2: %3").arg(r).arg(c).arg(v, 0, 'f', 4);
}

bool PatchView::event(QEvent* event) {
  if (handleToolTipEvent(this, event, [this](const QPoint& p) { return toolTipAt(p); })) return true;
  return QWidget::event(event);
}

void PatchView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  paintPatches(p, QRectF(rect()), image_, overlay_, style_);
}

void PatchView::mouseMoveEvent(QMouseEvent* event) {
  const int patch = patchAt(layout(), overlay_.grid, event->position());
  if (patch == hovered_) return;
  hovered_ = patch;
  emit patchHovered(patch);
}

void PatchView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return;
  emit patchClicked(patchAt(layout(), overlay_.grid, event->position()));
}

void PatchView::leaveEvent(QEvent*) {
  if (hovered_ == -1) return;
  hovered_ = -1;
  emit patchHovered(-1);
}

}  // namespace attnviz::ui
