#include "ui/export/layout_figure_panel.h"

namespace attnviz::ui {

LayoutFigurePanel::LayoutFigurePanel(LayoutFigure figure, QString title) : figure_(std::move(figure)), title_(std::move(title)) {
  hide();
}

void LayoutFigurePanel::paintFigure(QPainter& painter, const QRectF& rect) const { figure_.paint(painter, rect); }

FigureFeatures LayoutFigurePanel::figureFeatures() const {
  FigureFeatures f;
  for (const LayoutFigure::Item& item : figure_.items) f |= item.panel->figureFeatures();
  return f & ~FigureFeatures(FigureFeature::Title);
}

void LayoutFigurePanel::paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
  figure_.paint(painter, rect, &style);
}

QString LayoutFigurePanel::figureNote(const QSizeF& size, const FigureStyle& style) const { return figure_.note(size, style); }

}  // namespace attnviz::ui
