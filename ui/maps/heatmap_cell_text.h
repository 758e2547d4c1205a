// heatmap_cell_text: what is written in a heatmap cell and what is marked on it, laid out so neither hides the other.
// The weight (and, on maps whose column is another token in every row, e.g. han sentences × words, the cell's own
// word above it) is centred in the cell, in black or white, whichever reads on the colour the cell really shows (the
// colour map's colour blended over the image underlay when there is one). Marks (model argmax: a red dot; gold
// links: squares) sit in the cell's top corners when the cell carries text — argmax top right, gold top left, so a
// cell with both shows both — and centred only where no text is written. HeatmapPainter::paint uses this; the
// legend draws the same marks with HeatmapPainter::paintMark.
//
//   const CellText t = cellTextLayout(geometry, data, style);
//   paintCellText(painter, geometry, data, style, t, span, [&](int r, int c) { return colourOf(r, c); });
//   paintCellMarks(painter, geometry, data, t);
//   QRectF where = markBox(cellRect, MarkShape::Dot, t.markSide);   // tests check it misses the text
#pragma once

#include <QFont>
#include <QRectF>
#include <QRgb>
#include <functional>

#include "ui/maps/heatmap_data.h"

class QPainter;

namespace attnviz::ui {

struct HeatmapGeometry;
struct HeatmapStyle;

// Rows [row0, row1) and columns [col0, col1) of the cells to paint.
struct CellSpan {
  int row0 = 0, row1 = 0, col0 = 0, col1 = 0;
};

struct CellText {
  bool words = false;   // each cell's own label is written (HeatmapData::labelsInCells, style.showLabels)
  bool values = false;  // the weight is written (style.showValues), under the word when both
  QFont wordFont;
  QFont valueFont;
  double textHeight = 0;  // of the text block (word and/or value) centred in the cell
  // Side of the corner marks; 0: no text in the cells, marks are drawn centred and larger.
  double markSide = 0;
};

// What fits in the cells of this geometry. With marks on the map, text needs room for a corner mark above it,
// else it is not written (zoom in to see it): a number is never drawn under a mark.
CellText cellTextLayout(const HeatmapGeometry& g, const HeatmapData& d, const HeatmapStyle& s);

// colourOf(row, col): the colour map's colour of the cell (the underlay, if any, is blended in here).
void paintCellText(QPainter& p, const HeatmapGeometry& g, const HeatmapData& d, const HeatmapStyle& s, const CellText& t,
                   const CellSpan& span, const std::function<QRgb(int, int)>& colourOf);
void paintCellMarks(QPainter& p, const HeatmapGeometry& g, const HeatmapData& d, const CellText& t);

// Where a mark of `shape` is drawn in `cell`: a top corner box of side cornerSide, or centred when cornerSide is 0.
QRectF markBox(const QRectF& cell, MarkShape shape, double cornerSide);
// The mark filling `box` (a dot of that diameter, a square of that side).
void paintMarkIn(QPainter& p, const QRectF& box, MarkShape shape);
// The rectangle the text block of a cell takes (centred), for tests: marks must not meet it.
QRectF cellTextRect(const QRectF& cell, const CellText& t);

}  // namespace attnviz::ui
