// HeadEntropyPanel (encoder): a bar chart (Qt Charts) of every head's mean attention entropy — over the query
// rows, -sum_j p_ij log2 p_ij, in bits (0: every token looks at one token; log2 N: uniform). One bar set per
// layer, one bar group per head; the Selection's head is highlighted and clicking a bar selects its layer and
// head everywhere (Selection::setLayerHead). The screen and figures are drawn by the same fillEntropyChart.
//
//   auto* panel = new HeadEntropyPanel;  panel->setWorkspace(&ws);
//   panel->entropies();   // [layers * heads], bits
#pragma once

#include <QPointer>
#include <vector>

#include "ui/panels/panel.h"

class QBarSeries;
class QChart;
class QChartView;
class QLabel;

namespace attnviz::ui {

class HeadEntropyPanel : public Panel {
  Q_OBJECT

 public:
  explicit HeadEntropyPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Head entropy"); }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  QSizeF figureSize() const override;
  std::optional<HeatmapData> shownMatrix() const override;

  const HeatmapData& shown() const { return shown_; }  // rows = layers, columns = heads, bits
  QChartView* chartView() const { return view_; }
  QBarSeries* series() const { return series_; }
  // The highlighted bar: {layer, head}, or {-1, -1}.
  std::pair<int, int> highlighted() const;
  // One bar set per row of `data` (a layer), one bar per head; `tokens` gives the log2 N reference in the title.
  static void fillEntropyChart(QChart* chart, QBarSeries* series, const HeatmapData& data, int tokens);

 private:
  void attach() override;
  void refresh();
  void highlight(int layer, int head);

  QChart* chart_ = nullptr;
  QChartView* view_ = nullptr;
  QBarSeries* series_ = nullptr;
  QLabel* placeholder_ = nullptr;
  HeatmapData shown_;
  int tokens_ = 0;
};

}  // namespace attnviz::ui
