// LayoutFigure: the panels of one tab as one figure for a paper — each panel's paintFigure in the place it
// has on screen (its geometry on the tab page, scaled to the figure), on white, labelled (a), (b), (c) ... in
// reading order (top to bottom, then left to right) in bold at each panel's top-left corner, in a strip above
// the panel's content so the label never covers it. A tab with one panel gets no label: a lone "(a)" refers to
// nothing, and that figure is the panel's own figure.
//
//   LayoutFigure f = LayoutFigure::ofPage(area->tabs()->currentWidget(), area->panels());
//   exportFigure("fig.pdf", {FigureFormat::Pdf, f.pageSize, 96, {}}, [&](QPainter& p, const QRectF& r) { f.paint(p, r); });
//
// Sizes are logical pixels; a figure the size of the page paints every panel at its on-screen size.
#pragma once

#include <QRectF>
#include <QSizeF>
#include <QString>
#include <vector>

class QPainter;
class QWidget;

namespace attnviz::ui {

class Panel;

struct LayoutFigure {
  struct Item {
    const Panel* panel = nullptr;
    QRectF rect;  // the panel's widget geometry on the page (controls included), page coordinates
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
  // White, then every panel clipped to its content rectangle, then the labels.
  void paint(QPainter& painter, const QRectF& rect) const;
};

}  // namespace attnviz::ui
