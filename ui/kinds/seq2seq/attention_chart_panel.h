// AttentionChartPanel: a bar chart (Qt Charts) of one target word's attention over the source tokens —
// the focused row of the Selection (the last one, while the pointer is elsewhere). When variants are
// compared, one bar set (colour) per variant, all on the same forced target; otherwise the shown trace.
// Hovering a bar focuses its source token everywhere.
//
//   auto* panel = new AttentionChartPanel;  panel->setWorkspace(&ws);
//   panel->barSetCount();   // 1, or the number of compared variants
#pragma once

#include <QPointer>
#include <QStringList>
#include <vector>

#include "ui/panels/panel.h"

class QLabel;
class QChart;
class QChartView;
class QBarSeries;
class QBarSet;
class QValueAxis;

namespace attnviz::ui {

class AttentionChartPanel : public Panel {
  Q_OBJECT

 public:
  explicit AttentionChartPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Attention of one target word"); }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  QSizeF figureSize() const override;
  std::optional<HeatmapData> shownMatrix() const override;

  int barSetCount() const;
  QStringList barSetLabels() const;
  int shownRow() const { return row_; }
  QChartView* chartView() const { return view_; }

  // Qualitative colour k (Tableau 10), shared by every figure that tells variants apart by colour.
  static QColor variantColor(int k);
  // What the screen and every figure draw: one bar set per row of `data` (a variant), one bar group per
  // column (a source token), colours by `colours` (variant positions).
  static void fillChart(QChart* chart, QBarSeries* series, const HeatmapData& data, const std::vector<int>& colours);
  static void styleChart(QChart* chart);
  // Pieces the chart panels share (this one, the han sentence chart, the head entropy chart):
  // a bar set in variant colour k;
  static QBarSet* variantBarSet(const QString& label, int k);
  // category names made unique (a repeated token gets zero-width spaces) and escaped (labels are rich text);
  static QStringList uniqueCategories(const QStringList& labels);
  // a weight axis from 0 to a round top: 1 above 0.5, else the next tenth, ticks every 0.2 or 0.1;
  static void setWeightRange(QValueAxis* axis, float top);
  // a chart built for a figure (styled and filled, in no scene), laid out at rect's size and painted: text
  // stays text and vector items stay vectors on SVG/PDF painters. Deletes the chart.
  static void paintChart(QPainter& painter, const QRectF& rect, QChart* chart);

 private:
  void attach() override;
  void refresh();
  void onCellChanged(int row, int column);
  void highlightColumn(int column);

  QChart* chart_ = nullptr;
  QChartView* view_ = nullptr;
  QBarSeries* series_ = nullptr;
  QLabel* placeholder_ = nullptr;
  HeatmapData shown_;  // rows = bar sets, columns = source tokens (CSV export)
  std::vector<int> colours_;  // per row of shown_: the variant's colour index
  int row_ = -1;
};

}  // namespace attnviz::ui
