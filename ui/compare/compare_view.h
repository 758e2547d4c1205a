// CompareView: the comparison grid on screen — a CompareFigure painted by CompareFigurePainter, with
// hover (emits the map, row and column under the pointer; -1s on leave) and a tooltip. Knows nothing
// about the Workspace; ComparePanel feeds it and links it to the Selection.
//
//   view->setFigure(figure);
//   connect(view, &CompareView::hovered, this, [](int panel, int row, int col) { ... });
//   view->setHighlight(row, col);   // in every map; emits nothing
#pragma once

#include <QWidget>

#include "ui/compare/compare_figure.h"

namespace attnviz::ui {

class CompareView : public QWidget {
  Q_OBJECT

 public:
  explicit CompareView(QWidget* parent = nullptr);

  void setFigure(CompareFigure figure);  // keeps the current highlight
  const CompareFigure& figure() const { return figure_; }
  void setHighlight(int row, int col);
  int highlightRow() const { return figure_.style.highlightRow; }
  int highlightCol() const { return figure_.style.highlightCol; }

  CompareGeometry geometryNow() const { return CompareFigurePainter::layout(QRectF(rect()), figure_); }
  QPointF cellCenter(int panel, int row, int col) const;
  QString toolTipAt(const QPointF& pos) const;

  QSize sizeHint() const override { return {820, 460}; }
  QSize minimumSizeHint() const override { return {240, 160}; }

 signals:
  void hovered(int panel, int row, int col);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  bool event(QEvent* event) override;

 private:
  CompareFigure figure_;
  QColor base_ = Qt::white;  // the palette's, for every map (followPalette)
  QColor text_ = Qt::black;
  CompareHit last_;
};

}  // namespace attnviz::ui
