// HeadsGridCanvas: the widget of a layers x heads grid (HeadsGridPainter), for any HeadsGridSource: the encoder's
// All heads thumbnails (heads_grid_panel.h) and the head knockout grid (knockout_panel.h). It paints at its own size
// and passes clicks and tooltips to its source.
//
//   class MyGrid : public Panel, public HeadsGridSource { ... };
//   auto* canvas = new HeadsGridCanvas(this, this);
#pragma once

#include <QWidget>

#include "ui/maps/heads_grid_painter.h"

namespace attnviz::ui {

// What a layers x heads grid canvas shows and does: the all-heads grid and the head knockout grid
// (knockout_panel.h) each provide one.
class HeadsGridSource {
 public:
  virtual ~HeadsGridSource() = default;
  virtual const HeadsGridData& gridData() const = 0;       // brought up to date first
  virtual const HeadsGridData& gridDataAsIs() const = 0;   // without building anything (a hidden tab's size hint)
  virtual void prepareScaled(const QRectF& canvasRect) = 0;  // before painting at this size
  virtual QString toolTipAt(const QPointF& canvasPos) const = 0;
  virtual void clickAt(const QPointF& canvasPos) = 0;
};

// The grid's canvas: paints through HeadsGridPainter at its own size; click and tooltips.
class HeadsGridCanvas : public QWidget {
  Q_OBJECT

 public:
  HeadsGridCanvas(HeadsGridSource* source, QWidget* parent);
  QSize sizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  bool event(QEvent* event) override;

 private:
  HeadsGridSource* source_;
};

}  // namespace attnviz::ui
