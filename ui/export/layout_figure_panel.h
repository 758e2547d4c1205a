// LayoutFigurePanel: a layout figure (layout_figure.h) dressed as a Panel, so that the export dialog previews it and
// styles it as any panel's figure (File > Export Layout Figure). Never shown; it paints the tab's panels.
//
//   LayoutFigurePanel figure(LayoutFigure::ofPage(page, panels), tr("All panels of the “Heatmap” tab"));
//   ExportDialog dialog({&figure}, 0, path, this);
#pragma once

#include "ui/export/layout_figure.h"
#include "ui/panels/panel.h"

namespace attnviz::ui {

class LayoutFigurePanel : public Panel {
  Q_OBJECT

 public:
  LayoutFigurePanel(LayoutFigure figure, QString title);

  const LayoutFigure& figure() const { return figure_; }
  QString panelTitle() const override { return title_; }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  // What any of its panels honours (each applies what it can); the title is a band over the whole figure.
  FigureFeatures figureFeatures() const override;
  void paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
  QString figureNote(const QSizeF& size, const FigureStyle& style) const override;
  QSizeF figureSize() const override { return figure_.pageSize; }

 protected:
  void attach() override {}

 private:
  LayoutFigure figure_;
  QString title_;
};

}  // namespace attnviz::ui
