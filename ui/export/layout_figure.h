// LayoutFigure: the panels of one tab as one figure for a paper — each panel's figure in the arrangement it has on
// screen (side by side columns of the tab's splitters, panels stacked in each column), labelled (a), (b), (c) ... in
// reading order (columns left to right, top to bottom in each) in bold at each panel's top-left corner, in a strip
// above the panel's content so the label never covers it. A tab with one panel gets no label: a lone "(a)" refers to
// nothing, and that figure is the panel's own figure.
//
// The arrangement is the screen's, the proportions are the figures': every panel gets the shape its own figure fills
// (Panel::tightFigureSize, e.g. a heatmap's square grid), and the columns are sized so that they end level. So no
// part of the figure is the empty splitter space around a panel's content. The page is the least size at which every
// panel has at least its own figure's size (text is drawn at its own size and must fit).
//
//   LayoutFigure f = LayoutFigure::ofPage(area->tabs()->currentWidget(), area->panels());
//   exportFigure("fig.pdf", {FigureFormat::Pdf, f.pageSize, 96, {}}, [&](QPainter& p, const QRectF& r) { f.paint(p, r); });
//
// Sizes are logical pixels.
#pragma once

#include <QRectF>
#include <QSizeF>
#include <QString>
#include <vector>

#include "ui/export/figure_style.h"

class QPainter;
class QWidget;

namespace attnviz::ui {

class Panel;

struct LayoutFigure {
  struct Item {
    const Panel* panel = nullptr;
    QRectF rect;  // the panel's place on the figure's page (label strip and gaps included), page coordinates
  };
  std::vector<Item> items;  // in label order
  QSizeF pageSize;

  // The panels of `panels` that lie on `page` and are not hidden, in reading order; empty when none is laid
  // out (a window never shown has no geometry).
  static LayoutFigure ofPage(const QWidget* page, const std::vector<Panel*>& panels);

  bool empty() const { return items.empty() || pageSize.isEmpty(); }
  QString label(int index) const;        // "(a)", "(b)", ...; empty with a single panel
  QRectF cell(const QRectF& rect, int index) const;     // item `index`'s place in a figure painted into rect
  QRectF content(const QRectF& rect, int index) const;  // the part of its cell the panel paints in (below the label)
  // Background, then every panel clipped to its content rectangle, then the labels. With a style, every panel
  // honours what it can of it (its own title stays: the style's title is the whole figure's, paintFigureWithStyle).
  void paint(QPainter& painter, const QRectF& rect, const FigureStyle* style = nullptr) const;
  // What the panels leave out at this size (their figureNote), "(a): ..." per panel.
  QString note(const QSizeF& size, const FigureStyle& style) const;
};

}  // namespace attnviz::ui
