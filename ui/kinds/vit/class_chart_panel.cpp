#include "ui/kinds/vit/class_chart_panel.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QAbstractBarSeries>
#include <QValueAxis>
#include <algorithm>
#include <numeric>

#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

constexpr double kNaturalWidth = 360.0;
constexpr double kAxisRoom = 110.0;  // figure: title and value axis
constexpr double kBarRowPx = 24.0;

}  // namespace

ClassChartPanel::ClassChartPanel(QWidget* parent)
    : ChartPanel(Bars::Horizontal, QStringLiteral("classChartView"), QSize(220, 160), parent) {
  refresh();
}

void ClassChartPanel::attach() {
  if (workspace_) listen(workspace_, &Workspace::shownTraceChanged, this, &ClassChartPanel::refresh);
  refresh();
}

void ClassChartPanel::refresh() {
  clearChart();
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const auto& probs = trace ? trace->prediction.probabilities : std::vector<std::pair<std::string, float>>{};
  QString why;
  if (probs.empty()) why = tr("The class probabilities of a classifier appear here.");
  if (probs.empty() && trace && !trace->prediction.scores.empty()) {  // a regression head: raw scores, nothing to chart
    QStringList scores;
    for (const auto& [label, score] : trace->prediction.scores)
      scores << QStringLiteral("%1 = %2").arg(QString::fromStdString(label), QString::number(score, 'g', 5));
    why = tr("This model's head is a regression: its score is %1 (not a probability).").arg(scores.join(QStringLiteral(", ")));
  }
  if (!showChartOr(why)) return;
  std::vector<std::size_t> order(probs.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return probs[a].second > probs[b].second; });
  order.resize(std::min<std::size_t>(order.size(), kMaxClasses));
  shown_.rows = 1;
  shown_.cols = static_cast<int>(order.size());
  shown_.rowLabels << tr("probability");
  for (std::size_t i : order) {
    shown_.colLabels << QString::fromStdString(probs[i].first);
    shown_.values.push_back(probs[i].second);
  }
  shown_.title = order.size() < probs.size() ? tr("Class probabilities (top %1 of %2)").arg(order.size()).arg(probs.size())
                                              : tr("Class probabilities");
  if (trace->prediction.multiLabel) shown_.title += tr(" · multi-label: independent sigmoids, need not sum to 1");
  shown_.rowAxis = tr("model");
  shown_.colAxis = tr("class");
  fillScreenChart();
}

void ClassChartPanel::fillChart(QChart& chart, QAbstractBarSeries& series) const {
  const HeatmapData& data = shown_;
  // Horizontal bar charts list categories from the bottom: the most probable class goes in last, so it is on top.
  auto* set = variantBarSet(data.rowLabels.value(0), 0);
  QStringList labels;
  for (int c = data.cols - 1; c >= 0; --c) {
    set->append(data.at(0, c));
    labels << data.colLabels.value(c);
  }
  series.append(set);
  auto* y = new QBarCategoryAxis;
  y->append(uniqueCategories(labels));
  auto* x = new QValueAxis;
  setNiceRange(x, 0.0, 1.0);  // 0, 0.25, ..., 1
  x->setTitleText(tr("probability"));
  chart.addAxis(y, Qt::AlignLeft);
  chart.addAxis(x, Qt::AlignBottom);
  series.attachAxis(y);
  series.attachAxis(x);
  chart.legend()->setVisible(false);
  chart.setTitle(data.title.toHtmlEscaped());
}

QSizeF ClassChartPanel::naturalFigureSize() const { return {kNaturalWidth, kAxisRoom + std::max(4, shown_.cols) * kBarRowPx}; }

}  // namespace attnviz::ui
