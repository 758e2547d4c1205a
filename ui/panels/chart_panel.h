// ChartPanel: the scaffold of every panel that is one Qt Charts bar chart (the attention of one target word, the
// word attention of one sentence, class probabilities, head entropy). It owns the chart, its view, its bar series
// (vertical or horizontal bars), the grey placeholder shown instead when there is nothing to chart, and shown_:
// the matrix charted (rows = bar sets, columns = categories) that CSV export writes. A chart panel fills shown_ in
// its refresh and implements fillChart, which draws shown_ into a chart; the screen and every figure are drawn by
// that one function (STYLE.md 15), and a figure also keeps the bars highlighted on screen. Category labels are
// never elided: once the chart is laid out they are turned upright or shrunk to fit their slots (screen and figure).
//
//   class ClassChartPanel : public ChartPanel {
//     ClassChartPanel() : ChartPanel(Bars::Horizontal, "classChartView", {220, 160}) {}
//     void refresh() {
//       clearChart();
//       if (!showChartOr(nothing ? tr("… appears here.") : QString())) return;
//       shown_ = ...;                  // [bar sets, categories]
//       fillScreenChart();
//     }
//     void fillChart(QChart& chart, QAbstractBarSeries& series) const override;  // bar sets, axes, legend, title
//     QSizeF naturalFigureSize() const override;
//   };
#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

#include "ui/panels/panel.h"

class QAbstractBarSeries;
class QBarSet;
class QChart;
class QChartView;
class QColor;
class QValueAxis;

namespace attnviz::ui {

class ChartPanel : public Panel {
  Q_OBJECT

 public:
  enum class Bars { Vertical, Horizontal };

  void paintFigure(QPainter& painter, const QRectF& rect) const final;
  // naturalFigureSize(), and never smaller than the chart on screen.
  QSizeF figureSize() const final;
  std::optional<HeatmapData> shownMatrix() const final;

  const HeatmapData& shown() const { return shown_; }

  // Pieces every chart shares. Qualitative colour k (Tableau 10), also for every figure and table that tells
  // variants apart by colour:
  static QColor variantColor(int k);
  // a bar set in variant colour k;
  static QBarSet* variantBarSet(const QString& label, int k);
  // category names made unique (a repeated token gets zero-width spaces) and escaped (labels are rich text);
  static QStringList uniqueCategories(const QStringList& labels);
  // a value axis over [lo, hi] widened to nice ticks (nice_ticks.h: steps of 1, 2, 2.5, 5 x 10^k, enough decimals);
  static void setNiceRange(QValueAxis* axis, double lo, double hi);
  // a weight axis from 0 to the nice tick at or above top.
  static void setWeightRange(QValueAxis* axis, float top);

 protected:
  // viewName: the chart view's object name (tests find it by it); minimumSize: the view's.
  ChartPanel(Bars bars, const QString& viewName, QSize minimumSize, QWidget* parent);

  // Draws shown_ into chart and its empty series (already added to chart): bar sets, axes, legend, title.
  virtual void fillChart(QChart& chart, QAbstractBarSeries& series) const = 0;
  // The figure's size for what shown_ holds, e.g. room for every bar.
  virtual QSizeF naturalFigureSize() const = 0;

  // Start of a refresh: no axes, no bar sets, shown_ empty.
  void clearChart();
  // The chart when why is empty, else the placeholder saying why (a figure of an empty chart says it too).
  // Returns whether the chart is shown.
  bool showChartOr(const QString& why);

  // Draws shown_ into the screen's chart (end of a refresh).
  void fillScreenChart();
  QAbstractBarSeries* barSeries() const { return series_; }
  QChartView* chartView() const { return view_; }

  HeatmapData shown_;  // what the chart draws; filled by the panel's refresh

 private:
  QAbstractBarSeries* newSeries() const;
  void styleChart(QChart& chart) const;

  Bars bars_;
  QChart* chart_ = nullptr;
  QChartView* view_ = nullptr;
  QAbstractBarSeries* series_ = nullptr;
  QLabel* placeholder_ = nullptr;
};

}  // namespace attnviz::ui
