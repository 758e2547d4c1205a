// SentenceChartPanel (han): a bar chart (Qt Charts) of one sentence's word attention — the Selection's
// sentence (the last hovered one, while the pointer is elsewhere). When han models are compared, one bar set
// per variant on the same words. Hovering a bar focuses its word everywhere. Horizontal bars, one word a row in
// reading order from the top, so every word stays readable however long the sentence; the screen and figures
// are drawn by the same fillSentenceChart.
//
//   auto* panel = new SentenceChartPanel;  panel->setWorkspace(&ws);
//   panel->shownSentence();   // -1 until a sentence is focused
#pragma once

#include <QPointer>
#include <vector>

#include "ui/panels/panel.h"

class QLabel;
class QChart;
class QChartView;
class QHorizontalBarSeries;

namespace attnviz::ui {

class SentenceChartPanel : public Panel {
  Q_OBJECT

 public:
  explicit SentenceChartPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Word attention of one sentence"); }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  QSizeF figureSize() const override;
  std::optional<HeatmapData> shownMatrix() const override;

  int shownSentence() const { return sentence_; }
  const HeatmapData& shown() const { return shown_; }  // rows = variants, columns = the sentence's words
  QChartView* chartView() const { return view_; }
  // What the screen and figures draw: one bar set per row of `data` (a variant), one bar per word.
  static void fillSentenceChart(QChart* chart, QHorizontalBarSeries* series, const HeatmapData& data, const std::vector<int>& colours);

 private:
  void attach() override;
  void refresh();
  void onCellChanged(int row, int column);
  void highlightColumn(int column);

  QChart* chart_ = nullptr;
  QChartView* view_ = nullptr;
  QHorizontalBarSeries* series_ = nullptr;
  QLabel* placeholder_ = nullptr;
  HeatmapData shown_;
  std::vector<int> colours_;
  int sentence_ = -1;
};

}  // namespace attnviz::ui
