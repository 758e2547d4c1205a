// HeatmapView: a canvas that shows one HeatmapData through HeatmapPainter, with a hover crosshair and
// tooltip. It knows nothing about Workspace or Trace, so every panel that needs a 2-D map reuses it.
//
//   auto* view = new HeatmapView(this);
//   view->setData(data);
//   connect(view, &HeatmapView::hovered, this, [](int row, int col) { ... });  // -1, -1 on leave
//   connect(view, &HeatmapView::clicked, this, [](int row, int col) { ... });  // a cell or a row label
//   view->setHighlight(row, col);   // from elsewhere; emits nothing
//
// Hover is immediate: a cell (or a row or column label: that row or column alone) is reported at once, its
// tooltip shown without the usual delay, and its line ("query token “it” (10) → key token “animal” (2): 0.412 ·
// self-attention · layer 3/4 · head 4/4") sent as a status tip, which the main window's status bar shows.
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
  // What is under a point: {row, col} of a cell, {row, -1} over a row label, {-1, col} over a column label,
  // {-1, -1} elsewhere.
  std::pair<int, int> hitAt(const QPointF& pos) const;
  // "row token → column token\nweight 0.1234 …" for a cell, the token for a label, empty elsewhere.
  QString toolTipAt(const QPointF& pos) const;
  // The status-bar line for what hitAt gives, empty for nothing.
  QString statusTextAt(int row, int col) const;
  // An owner that pins rows on click (clicked) says so, and which row is pinned (-1: none): tooltips tell how to
  // pin or release.
  void setPinnedRow(int row) {
    pinnable_ = true;
    pinnedRow_ = row;
  }

  QSize sizeHint() const override { return {480, 400}; }
  QSize minimumSizeHint() const override { return {160, 120}; }

 signals:
  void hovered(int row, int col);
  void clicked(int row, int col);  // left button on a cell ({row, col}) or a row label ({row, -1})
  void zoomRequested(double factor, const QPointF& at);  // Ctrl+wheel: factor > 1 zooms in around `at`
  // After new data or style: HeatmapPainter::detailNote (empty when the map is drawn at full detail).
  void detailNoteChanged(const QString& note);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void moveEvent(QMoveEvent* event) override;
  bool event(QEvent* event) override;

 private:
  void followPalette();
  void invalidate();  // data, style or size changed: geometry and cell image are made again when next needed
  void showStatus(const QString& text);  // as a status tip: the main window's status bar shows it

  HeatmapData data_;
  HeatmapStyle style_;
  // Kept between paints: a hover only moves the highlight (512 x 512 maps: the image is 262k colour lookups).
  mutable std::optional<HeatmapGeometry> geometry_;
  mutable QImage cells_;
  mutable bool cellsValid_ = false;
  int lastRow_ = -1;
  int lastCol_ = -1;
  int pinnedRow_ = -1;
  bool pinnable_ = false;
};

}  // namespace attnviz::ui
