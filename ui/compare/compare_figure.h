// CompareFigure: several attention maps side by side in a grid — one per compared variant, labelled
// (a), (b), ... and sharing ONE colour scale with one colour bar (or each on its own [min, max] scale with its own
// bar, sharedScale = false) — plus optionally the difference of two
// of them (diverging colours, symmetric scale, its own colour bar). The one paint function of the
// comparison, for the screen (CompareView) and PNG/SVG/PDF export alike; every map is drawn by
// HeatmapPainter.
//
//   CompareFigure f = ...;                       // maps, shared style, optional difference
//   CompareFigurePainter::paint(painter, QRectF(0, 0, 900, 600), f);
//   auto hit = CompareFigurePainter::hit(CompareFigurePainter::layout(rect, f), f, mousePos);  // map, row, col
#pragma once

#include <QRectF>
#include <optional>
#include <vector>

#include "ui/maps/heatmap_painter.h"

class QPainter;

namespace attnviz::ui {

struct CompareFigure {
  QString title;                  // above the grid, may be empty
  std::vector<HeatmapData> maps;  // one per variant; their titles are the panel labels ("(a) bahdanau")
  HeatmapStyle style;             // shared by the maps; fixedRange is the shared colour scale
  // false: each map on its own colour scale, its [min, max], with its own colour bar (maps of different quantities,
  // e.g. rollout beside raw attention, where one scale leaves the flatter map one colour). The title says which.
  bool sharedScale = true;
  std::optional<HeatmapData> difference;
  HeatmapStyle differenceStyle;   // diverging colour map, Scaling::Symmetric

  int panels() const { return static_cast<int>(maps.size()) + (difference ? 1 : 0); }
  // (a), (b), ... (z), (aa), ...
  static QString panelLetter(int index);
  // The [lo, hi] that covers every map: [min(0, min), max].
  static std::pair<float, float> sharedRange(const std::vector<HeatmapData>& maps);
  // One map's own [min, max] (a constant map: [v, v + 1]).
  static std::pair<float, float> ownRange(const HeatmapData& map);
};

struct CompareGeometry {
  QRectF title;
  std::vector<QRectF> panels;  // maps first, then the difference
  QRectF colorBar;             // the shared one (empty when each map has its own)
  int columns = 1;
};

struct CompareHit {
  int panel = -1;  // index into CompareGeometry::panels (== maps.size() for the difference)
  int row = -1;
  int col = -1;
};

class CompareFigurePainter {
 public:
  static CompareGeometry layout(const QRectF& rect, const CompareFigure& figure);
  static void paint(QPainter& painter, const QRectF& rect, const CompareFigure& figure);
  static CompareHit hit(const CompareGeometry& g, const CompareFigure& figure, const QPointF& point);
  // Centre of a cell of panel `panel`, for tests.
  static QPointF cellCenter(const CompareGeometry& g, const CompareFigure& figure, int panel, int row, int col);
  // A comfortable export size: each panel at the maps' natural size.
  static QSizeF naturalSize(const CompareFigure& figure);
  // Map `panel` of the figure (the difference after the maps) and the style it is painted with.
  static const HeatmapData& panelData(const CompareFigure& figure, int panel);
  static HeatmapStyle panelStyle(const CompareFigure& figure, int panel);
};

}  // namespace attnviz::ui
