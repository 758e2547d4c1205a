// HeatmapData: one 2-D map with its row and column labels, the unit every heatmap-like panel paints
// and the CSV export writes. heatmap_source.h cuts these out of a Trace.
//
//   HeatmapData d = HeatmapData::fromValues(2, 3, {..6 values..}, {"a", "b"}, {"x", "y", "z"});
//   float w = d.at(1, 2);
#pragma once

#include <QImage>
#include <QString>
#include <QStringList>
#include <array>
#include <vector>

namespace attnviz::ui {

// Marks drawn over cells: argmax alignment links, gold alignment links (heatmap_painter.h draws them).
enum class MarkShape { Dot, FilledSquare, HollowSquare };
constexpr int kMarkShapes = 3;

struct HeatmapMark {
  int row = 0;
  int col = 0;
  MarkShape shape = MarkShape::Dot;
};

struct HeatmapData {
  int rows = 0;
  int cols = 0;
  std::vector<float> values;  // [rows, cols], row-major
  QStringList rowLabels;      // rows entries
  QStringList colLabels;      // cols entries
  // [rows, cols] row-major, or empty: a label per cell where a column means another token in every row
  // (han "word": column c of row s is word c of sentence s). Tooltips prefer it to colLabels.
  QStringList cellLabels;
  // Write each cell's label in the cell (han: the words of each sentence, as its word axis is only positions); the
  // cells then take the map's width. Off for labels that only name the cell (vit "patch r,c").
  bool labelsInCells = false;
  QString title;              // what map this is, e.g. "self-attention · layer 2 · head 1"
  QString subtitle;           // a second title line (each elided alone), e.g. the Methods view's scores; empty: none
  QString rowAxis;            // e.g. "query token" / "target token"
  QString colAxis;            // e.g. "key token" / "source token"
  std::vector<HeatmapMark> marks;               // overlays, drawn above the cells
  std::array<QString, kMarkShapes> markNames;   // legend text per MarkShape, e.g. "gold sure"; empty: no entry
  // A vit query's row laid out on the patch grid: the image under the cells (painted with the cells translucent
  // over it, HeatmapStyle::overlayOpacity), and the whole map is ONE distribution for the metrics, not one per row.
  QImage underlay;
  bool oneDistribution = false;

  bool empty() const { return rows <= 0 || cols <= 0; }
  float at(int row, int col) const { return values[static_cast<std::size_t>(row) * cols + col]; }
  bool valid(int row, int col) const { return row >= 0 && row < rows && col >= 0 && col < cols; }
  // What column `col` is in row `row`: the cell's own label when there are cell labels, else the column's.
  QString colLabelAt(int row, int col) const {
    const qsizetype i = static_cast<qsizetype>(row) * cols + col;
    if (!cellLabels.isEmpty() && valid(row, col) && i < cellLabels.size()) return cellLabels[i];
    return col >= 0 && col < colLabels.size() ? colLabels[col] : QString::number(col);
  }

  static HeatmapData fromValues(int rows, int cols, std::vector<float> values, QStringList rowLabels,
                                QStringList colLabels, QString title = {});
};

}  // namespace attnviz::ui
