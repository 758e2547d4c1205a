// PatchView: the canvas of the Patches tab — paints through paintPatches (patch_painter.h) and reports the
// patch under the pointer: hover (patchHovered, -1 on leave) and click (patchClicked); the tooltip names the patch
// and its weight.
//
//   auto* view = new PatchView;
//   view->setContent(image, overlay);
//   connect(view, &PatchView::patchClicked, this, [](int patch) { ... });
#pragma once

#include <QWidget>

#include "ui/kinds/vit/patch_painter.h"

namespace attnviz::ui {

class PatchView : public QWidget {
  Q_OBJECT

 public:
  explicit PatchView(QWidget* parent = nullptr);

  void setContent(const QImage& image, PatchOverlay overlay);
  void setStyle(const PatchStyle& style);
  const PatchStyle& patchStyle() const { return style_; }
  const PatchOverlay& overlay() const { return overlay_; }
  const QImage& image() const { return image_; }
  PatchLayout layout() const { return patchLayout(QRectF(rect()), image_.size(), style_); }
  // Centre of a patch in widget coordinates (for tests and tooltips).
  QPointF patchCentre(int patch) const;
  QString toolTipAt(const QPoint& point) const;  // "patch r,c: weight", empty outside the image
  QSize sizeHint() const override { return {420, 360}; }

 signals:
  void patchHovered(int patch);
  void patchClicked(int patch);

 protected:
  bool event(QEvent* event) override;
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  QImage image_;
  PatchOverlay overlay_;
  PatchStyle style_;
  int hovered_ = -1;
};

}  // namespace attnviz::ui
