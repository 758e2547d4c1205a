// HeadEntropyPanel (encoder): a bar chart (Qt Charts) of every head's mean attention entropy — over the query
// rows, -sum_j p_ij log2 p_ij, in bits (0: every token looks at one token; log2 N: uniform). One bar set per
// layer, one bar group per head; the Selection's head is highlighted and clicking a bar selects its layer and
// head everywhere (Selection::setLayerHead). The screen and figures are drawn by the same fillChart (chart_panel.h).
//
//   auto* panel = new HeadEntropyPanel;  panel->setWorkspace(&ws);
//   panel->entropies();   // [layers * heads], bits
#pragma once

#include <utility>

#include "ui/panels/chart_panel.h"

class QBarSeries;

namespace attnviz::ui {

class HeadEntropyPanel : public ChartPanel {
  Q_OBJECT

 public:
  explicit HeadEntropyPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Head entropy"); }

  QBarSeries* series() const;
  // The highlighted bar: {layer, head}, or {-1, -1}.
  std::pair<int, int> highlighted() const;

 private:
  void attach() override;
  // One bar set per row of shown_ (rows = layers, columns = heads, bits), one bar per head; tokens_ gives the
  // log2 N reference on the axis.
  void fillChart(QChart& chart, QAbstractBarSeries& series) const override;
  QSizeF naturalFigureSize() const override;
  void refresh();
  void highlight(int layer, int head);

  int tokens_ = 0;
};

}  // namespace attnviz::ui
