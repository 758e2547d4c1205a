// Token labels of a heatmap: how they fit, drawing them, the axis titles and what a figure says when labels were
// left out. Labels never overlap and never vanish silently: the font first shrinks from the style's size down to
// HeatmapStyle::minLabelPixelSize (figures: kMinReadableLabelPixels, 5 pt), and only then every n-th label is drawn;
// thinnedNote() says so ("10 of 19 row labels shown ...") for the export dialog. Row labels are right-aligned left of
// the grid, column labels vertical below it (reading upwards), the axis titles ("query token", "key token") outside.
//
//   HeatmapGeometry g = HeatmapPainter::layout(rect, data, style);       // fits the labels (fitLabels below)
//   heatmap_labels::paint(painter, g, data, style, span);
//   QString note = heatmap_labels::thinnedNote(g);                       // empty when every label is drawn
#pragma once

#include <QFont>
#include <QFontMetricsF>
#include <QStringList>
#include <QRectF>
#include <QString>

#include "ui/maps/heatmap_data.h"
#include "ui/maps/heatmap_painter.h"

class QPainter;

namespace attnviz::ui::heatmap_labels {

// 5 pt at 96 dpi (6.7 px, rounded up): the smallest label a printed figure stays readable at.
constexpr int kMinReadableLabelPixels = 7;

QFont labelFont(const HeatmapStyle& style, int pixelSize);
QFont axisTitleFont(const HeatmapStyle& style);
// The width of the longest of `labels` (longer ones are elided at 150 px).
double longestLabel(const QStringList& labels, const QFontMetricsF& fm);
// The distance between neighbouring labels' centres at which they do not overlap.
double spacing(const HeatmapStyle& style, int pixelSize);
// Room the labels take: left of the grid (row labels and the row axis title), below it (column labels and title).
double leftRoom(const HeatmapData& data, const HeatmapStyle& style, int pixelSize);
double bottomRoom(const HeatmapData& data, const HeatmapStyle& style, int pixelSize);
// Every n-th label (1, 2, 5, 10, ...) so that labels `cell` px apart are `spacing` apart.
int step(double spacing, double cell);
int shownCount(int count, int step);

// Row and column labels of the cells in `span` (one more each side: labels overhang), and the axis titles.
struct Span {
  int row0 = 0, row1 = 0, col0 = 0, col1 = 0;
};
void paint(QPainter& painter, const HeatmapGeometry& g, const HeatmapData& data, const HeatmapStyle& style, const Span& span);
// "10 of 19 row labels and 10 of 19 column labels shown (more would overlap at 5 pt); a larger figure or
// fewer tokens shows all" — empty when every label is drawn (or labels are off).
QString thinnedNote(const HeatmapGeometry& g, const HeatmapStyle& style);

}  // namespace attnviz::ui::heatmap_labels
