// AttentionChartPanel: a bar chart (Qt Charts) of one target word's attention over the source tokens —
// the focused row of the Selection (the last one, while the pointer is elsewhere). When variants are
// compared, one bar set (colour) per variant, all on the same forced target; otherwise the shown trace.
// Hovering a bar focuses its source token everywhere.
//
//   auto* panel = new AttentionChartPanel;  panel->setWorkspace(&ws);
//   panel->barSetCount();   // 1, or the number of compared variants
#pragma once

#include <QStringList>
#include <vector>

#include "ui/panels/chart_panel.h"

namespace attnviz::ui {

class AttentionChartPanel : public ChartPanel {
  Q_OBJECT

 public:
  explicit AttentionChartPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Attention of one target word"); }

  int barSetCount() const;
  QStringList barSetLabels() const;
  int shownRow() const { return row_; }

 private:
  void attach() override;
  // One bar set per row of shown_ (a variant) in its colour, one bar group per column (a source token).
  void fillChart(QChart& chart, QAbstractBarSeries& series) const override;
  QSizeF naturalFigureSize() const override;
  void refresh();
  void onCellChanged(int row, int column);
  void highlightColumn(int column);

  std::vector<int> colours_;  // per row of shown_ (rows = variants, columns = source tokens): the variant's colour
  int row_ = -1;
};

}  // namespace attnviz::ui
