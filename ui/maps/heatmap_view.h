// HeatmapView: a canvas that shows one HeatmapData through HeatmapPainter, with a hover crosshair and
// tooltip. It knows nothing about Workspace or Trace, so every panel that needs a 2-D map reuses it.
//
//   auto* view = new HeatmapView(this);
//   view->setData(data);
//   connect(view, &HeatmapView::hovered, this, [](int row, int col) { ... });  // -1, -1 on leave
//   view->setHighlight(row, col);   // from elsewhere; emits nothing
//
// Ctrl+wheel asks for zoom (zoomRequested); the owner resizes the view inside a scroll area. Paint events
// paint only the exposed part (cells, values and labels in view), so a zoomed 512 × 512 map stays fast. Zoomed, the
// title, row/column labels and colour bar stay on screen as sticky headers (HeatmapPainter::pinToViewport): row
// labels scroll only up and down, column labels only sideways.
#pragma once

#include <QImage>
#include <QWidget>
#include <optional>

#include "ui/maps/heatmap_painter.h"

namespace attnviz::ui {

class HeatmapView : public QWidget {
  Q_OBJECT

 public:
  explicit HeatmapView(QWidget* parent = nullptr);

  void setData(HeatmapData data);
  const HeatmapData& data() const { return data_; }
  // Highlight fields are kept as they are; background and foreground follow the palette (light or dark theme).
  void setStyle(const HeatmapStyle& style);
  const HeatmapStyle& heatmapStyle() const { return style_; }
  void setHighlight(int row, int col);
  int highlightRow() const { return style_.highlightRow; }
  int highlightCol() const { return style_.highlightCol; }

  // Geometry for the current widget size, pinned to the part on screen (tests compute cell centres with it).
  HeatmapGeometry geometryNow() const;
  QPointF cellCenter(int row, int col) const;
  // "row token → column token\nweight 0.1234", empty outside the grid.
  QString toolTipAt(const QPointF& pos) const;

  QSize sizeHint() const override { return {480, 400}; }
  QSize minimumSizeHint() const override { return {160, 120}; }

 signals:
  void hovered(int row, int col);
  void zoomRequested(double factor, const QPointF& at);  // Ctrl+wheel: factor > 1 zooms in around `at`
  // After new data or style: HeatmapPainter::detailNote (empty when the map is drawn at full detail).
  void detailNoteChanged(const QString& note);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void moveEvent(QMoveEvent* event) override;
  bool event(QEvent* event) override;

 private:
  void followPalette();
  void invalidate();  // data, style or size changed: geometry and cell image are made again when next needed

  HeatmapData data_;
  HeatmapStyle style_;
  // Kept between paints: a hover only moves the highlight (512 x 512 maps: the image is 262k colour lookups).
  mutable std::optional<HeatmapGeometry> geometry_;
  mutable QImage cells_;
  mutable bool cellsValid_ = false;
  int lastRow_ = -1;
  int lastCol_ = -1;
};

}  // namespace attnviz::ui
