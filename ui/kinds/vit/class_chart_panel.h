// ClassChartPanel (vit, any classifier trace): a bar chart (Qt Charts) of the class probabilities
// (prediction.probabilities), sorted, the most probable at the top; at most kMaxClasses bars. The screen and
// figures are drawn by the same fillChart (chart_panel.h).
//
//   auto* panel = new ClassChartPanel;  panel->setWorkspace(&ws);
#pragma once

#include "ui/panels/chart_panel.h"

namespace attnviz::ui {

class ClassChartPanel : public ChartPanel {
  Q_OBJECT

 public:
  static constexpr int kMaxClasses = 10;

  explicit ClassChartPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Class probabilities"); }

 private:
  void attach() override;
  // shown_: one row, columns = classes, most probable first; drawn as one bar a class, the most probable on top.
  void fillChart(QChart& chart, QAbstractBarSeries& series) const override;
  QSizeF naturalFigureSize() const override;
  void refresh();
};

}  // namespace attnviz::ui
