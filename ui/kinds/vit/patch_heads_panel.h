// PatchHeadsPanel: every head of the shown layer as a thumbnail — the image with that head's overlay for the query the
// Patches view shows (VitExtension: [CLS] for flow; else the Selection row, default [CLS]) — beside the Patches view.
// When the Patches view shows rollout or flow, which have no per-head form, the title says the thumbnails show each
// head's raw attention instead. Click a thumbnail: that head is shown in every
// panel (Selection head); the shown head is outlined. Paints through paintHeadThumbnails for screen and figures.
//
//   auto* heads = new PatchHeadsPanel;
//   heads->setWorkspace(&ws);
#pragma once

#include <QPointer>
#include <vector>

#include "ui/panels/panel.h"
#include "ui/kinds/vit/patch_painter.h"

namespace attnviz::ui {

// Thumbnail rectangles for `count` heads in rect (under titleLines lines of title), as square as the rect allows.
std::vector<QRectF> headThumbnailCells(const QRectF& rect, int count, int titleLines = 1);
// Title (one line, or more split by '\n'), then each overlay over the image in its cell with "head k" under it; `shown` outlined.
void paintHeadThumbnails(QPainter& painter, const QRectF& rect, const QImage& image, const std::vector<PatchOverlay>& heads,
                         const PatchStyle& style, int shown, const QString& title);

class PatchHeadsPanel : public Panel {
  Q_OBJECT

 public:
  explicit PatchHeadsPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Patch attention per head"); }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  QSizeF figureSize() const override;
  QSize sizeHint() const override { return {280, 320}; }

  const std::vector<PatchOverlay>& headOverlays() const { return heads_; }
  const QString& title() const { return title_; }  // what the thumbnails show: query, layer, and why not the method
  QPointF thumbnailCentre(int head) const;  // widget coordinates

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  void attach() override;
  void refresh();

  QString imagePath_;
  QImage image_;
  std::vector<PatchOverlay> heads_;  // of the shown layer
  QString title_;
};

}  // namespace attnviz::ui
