// ClassChartPanel (vit, any classifier trace): a bar chart (Qt Charts) of the class probabilities
// (prediction.probabilities), sorted, the most probable at the top; at most kMaxClasses bars. The screen and
// figures are drawn by the same fillClassChart.
//
//   auto* panel = new ClassChartPanel;  panel->setWorkspace(&ws);
#pragma once

#include <QPointer>

#include "ui/panels/panel.h"

class QChart;
class QChartView;
class QHorizontalBarSeries;
class QLabel;

namespace attnviz::ui {

class ClassChartPanel : public Panel {
  Q_OBJECT

 public:
  static constexpr int kMaxClasses = 10;

  explicit ClassChartPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Class probabilities"); }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  QSizeF figureSize() const override;
  std::optional<HeatmapData> shownMatrix() const override;

  const HeatmapData& shown() const { return shown_; }  // one row, columns = classes, most probable first
  QChartView* chartView() const { return view_; }
  static void fillClassChart(QChart* chart, QHorizontalBarSeries* series, const HeatmapData& data);

 private:
  void attach() override;
  void refresh();

  QChart* chart_ = nullptr;
  QChartView* view_ = nullptr;
  QHorizontalBarSeries* series_ = nullptr;
  QLabel* placeholder_ = nullptr;
  HeatmapData shown_;
};

}  // namespace attnviz::ui
