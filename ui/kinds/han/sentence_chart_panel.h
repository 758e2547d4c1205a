// SentenceChartPanel (han): a bar chart (Qt Charts) of one sentence's word attention — the Selection's
// sentence (the last hovered one, while the pointer is elsewhere). When han models are compared, one bar set
// per variant on the same words. Hovering a bar focuses its word everywhere. Horizontal bars, one word a row in
// reading order from the top, so every word stays readable however long the sentence; the screen and figures
// are drawn by the same fillChart (chart_panel.h).
//
//   auto* panel = new SentenceChartPanel;  panel->setWorkspace(&ws);
//   panel->shownSentence();   // -1 until a sentence is focused
#pragma once

#include <vector>

#include "ui/panels/chart_panel.h"

namespace attnviz::ui {

class SentenceChartPanel : public ChartPanel {
  Q_OBJECT

 public:
  explicit SentenceChartPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Word attention of one sentence"); }

  int shownSentence() const { return sentence_; }

 private:
  void attach() override;
  // One bar set per row of shown_ (rows = variants, columns = the sentence's words), one bar per word.
  void fillChart(QChart& chart, QAbstractBarSeries& series) const override;
  QSizeF naturalFigureSize() const override;
  void refresh();
  void onCellChanged(int row, int column);
  void highlightColumn(int column);

  std::vector<int> colours_;  // per row of shown_: the variant's colour
  int sentence_ = -1;
};

}  // namespace attnviz::ui
