// HeatmapPainter: the one function that draws a heatmap — title, row/column token labels, cells,
// crosshair highlight and colour bar — into any QPainter and rectangle. The panel paints the screen
// with it and figure export paints PNG/SVG/PDF with it, so a figure is exactly what was on screen.
//
//   HeatmapStyle style;                       // viridis, global scale, colour bar
//   style.highlightRow = 2;
//   HeatmapPainter::paint(painter, QRectF(0, 0, 600, 400), data, style);
//   HeatmapGeometry g = HeatmapPainter::layout(rect, data, style);   // for hit testing
//   auto [row, col] = HeatmapPainter::cellAt(g, mousePos);
//
// All sizes are logical pixels; fonts use pixel sizes, so a scaled painter (high-DPI PNG, PDF) scales
// text and cells together.
#pragma once

#include <QColor>
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <cstdint>
#include <optional>
#include <utility>

#include "engine/core/limits.h"
#include "ui/maps/colormap.h"
#include "ui/maps/heatmap_data.h"

class QPainter;

namespace attnviz::ui {

enum class Scaling {
  Global,  // one colour scale for the whole map: [min(0, min), max]
  PerRow,  // each row on its own scale [min(0, row min), row max]: what each query attends to most
  Symmetric,  // [-m, m] with m the largest |value|: differences, with a diverging colour map
};

struct HeatmapStyle {
  ColormapId colormap = ColormapId::Viridis;
  Scaling scaling = Scaling::Global;
  bool showTitle = true;
  bool showColorBar = true;
  bool showValues = true;  // numbers inside the cells, only where they fit
  int highlightRow = -1;   // crosshair, -1 for none
  int highlightCol = -1;
  // Global/Symmetric: this range instead of the map's own, so several maps share one colour scale.
  std::optional<std::pair<float, float>> fixedRange;
  int fontPixelSize = 12;
  QString fontFamily;        // empty: the application font's family
  bool showLabels = true;    // row and column token labels
  QString colorBarLabel;     // written along the colour bar, e.g. "attention weight"; empty: none
  QColor background = Qt::white;
  QColor foreground = QColor(0x20, 0x20, 0x20);
  double overlayOpacity = 0.65;  // of the cells over HeatmapData::underlay (when the map has one)
  // Maps with more cells are drawn as one image, a pixel per cell (the limit of cells at full detail).
  std::int64_t fullDetailCells = kFullDetailCellsLimit.defaultValue;
};

// Where things land for a given rectangle; layout() is what paint() uses.
struct HeatmapGeometry {
  QRectF title;
  QRectF grid;      // the cells
  QRectF rowLabels; // left of the grid
  QRectF colLabels; // below the grid
  QRectF colorBar;  // the gradient itself (tick labels to its right)
  QRectF legend;    // one line below the column labels when the map has marks
  double cellWidth = 0;
  double cellHeight = 0;
  int rows = 0;
  int cols = 0;
  int rowLabelStep = 1;  // every n-th label drawn (level of detail)
  int colLabelStep = 1;
  // Set by pinToViewport: the part of the rect on screen, where title, labels, colour bar and legend are kept
  // (drawn over the cells on bands of background). Empty: everything at its place in the rect.
  QRectF viewport;
};

// What a view can keep between paints of the same data, style and size (hover only moves the highlight).
struct HeatmapPaintCache {
  const HeatmapGeometry* geometry = nullptr;  // layout(rect, data, style)
  const QImage* cells = nullptr;              // cellImage(data, style), used where the cells are an image
};

class HeatmapPainter {
 public:
  // visible: the part of rect that needs painting (a scrolled, zoomed view); empty: all of it.
  static void paint(QPainter& painter, const QRectF& rect, const HeatmapData& data, const HeatmapStyle& style,
                    const QRectF& visible = QRectF(), const HeatmapPaintCache& cache = {});
  // Maps of more than style.fullDetailCells cells are drawn as one image, a pixel per cell (nearest neighbour).
  static bool cellsAsImage(const HeatmapData& data, const HeatmapStyle& style);
  // For a panel to show under such a map: "262,144 cells, drawn as an image (...): more than the 25,600 cells ...";
  // empty when the map is drawn at full detail.
  static QString detailNote(const HeatmapData& data, const HeatmapStyle& style);
  static QImage cellImage(const HeatmapData& data, const HeatmapStyle& style);
  static HeatmapGeometry layout(const QRectF& rect, const HeatmapData& data, const HeatmapStyle& style);
  // Sticky headers for a zoomed map scrolled in a viewport (a part of layout()'s rect): the title and colour bar
  // stay in view, row labels stay at the viewport's left and move only with their rows, column labels (and the
  // legend) stay at its bottom and move only with their columns. `natural` itself when all of it is in view.
  static HeatmapGeometry pinToViewport(const HeatmapGeometry& natural, const QRectF& viewport, const HeatmapStyle& style);
  // The bands of background the pinned parts are drawn on (all empty when the geometry is not pinned).
  struct StickyBands {
    QRectF rowLabels, colLabels, colorBar, title;
  };
  static StickyBands stickyBands(const HeatmapGeometry& g);
  // {row, col} of the cell under point, {-1, -1} outside the grid (and under a pinned band).
  static std::pair<int, int> cellAt(const HeatmapGeometry& g, const QPointF& point);
  static QRectF cellRect(const HeatmapGeometry& g, int row, int col);
  // A comfortable size for a figure of this map (about 28 px cells), used as the export default.
  static QSizeF naturalSize(const HeatmapData& data, const HeatmapStyle& style);
  // The colour-scale range [lo, hi] of a row (PerRow) or of the map (Global, Symmetric).
  static std::pair<float, float> range(const HeatmapData& data, Scaling scaling, int row);
  // The same with the style's fixedRange honoured: what a cell of `row` is coloured by.
  static std::pair<float, float> range(const HeatmapData& data, const HeatmapStyle& style, int row);
  // A colour bar for [lo, hi] into `bar` (tick labels to its right, about colorBarLabelWidth() wide).
  static void paintColorBar(QPainter& painter, const QRectF& bar, const HeatmapStyle& style, std::pair<float, float> range);
  static double colorBarLabelWidth(const HeatmapStyle& style);
  // Draws one mark centred in `cell` (also used for legends).
  static void paintMark(QPainter& painter, const QRectF& cell, MarkShape shape);
};

}  // namespace attnviz::ui
