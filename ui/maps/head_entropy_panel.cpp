#include "ui/maps/head_entropy_panel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QLegend>
#include <QValueAxis>
#include <cmath>

#include "ui/maps/colormap.h"
#include "ui/maps/encoder_attention.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

constexpr double kNaturalWidth = 440.0;
constexpr double kNaturalHeight = 320.0;
const QColor kSelected(0xd0, 0x20, 0x20);

QColor layerColor(int layer, int layers) {
  // Viridis from the first layer to the last, stopping short of the pale yellow end.
  return Colormap::byId(ColormapId::Viridis).color(layers > 1 ? 0.85 * layer / (layers - 1) : 0.35);
}

}  // namespace

HeadEntropyPanel::HeadEntropyPanel(QWidget* parent)
    : ChartPanel(Bars::Vertical, QStringLiteral("headEntropyView"), QSize(240, 180), parent) {
  setObjectName(QStringLiteral("headEntropyPanel"));
  chartView()->setToolTip(tr("Mean attention entropy of each head over its query tokens, in bits: low = the head looks at "
                             "one token, high = it spreads its attention. Click a bar to show that head everywhere"));
  connect(barSeries(), &QAbstractBarSeries::clicked, this, [this](int index, QBarSet* set) {
    const int layer = static_cast<int>(barSeries()->barSets().indexOf(set));
    if (workspace_ && layer >= 0) workspace_->selection().setLayerHead(layer, index);
  });
  refresh();
}

QBarSeries* HeadEntropyPanel::series() const { return static_cast<QBarSeries*>(barSeries()); }

void HeadEntropyPanel::attach() {
  if (workspace_) {
    listen(workspace_, &Workspace::shownTraceChanged, this, &HeadEntropyPanel::refresh);
    listen(&workspace_->selection(), &Selection::layerHeadChanged, this, &HeadEntropyPanel::highlight);
  }
  refresh();
}

void HeadEntropyPanel::refresh() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const EncoderAttention a = trace ? EncoderAttention::fromTrace(*trace) : EncoderAttention{};
  clearChart();
  tokens_ = a.n;
  const QString why = a.empty() ? tr("Each head's mean attention entropy appears here.") : QString();
  if (!showChartOr(why)) return;
  const std::vector<double> e = headEntropies(a);
  QStringList layers, heads;
  for (int l = 0; l < a.layers; ++l) layers << tr("layer %1").arg(l + 1);
  for (int h = 0; h < a.heads; ++h) heads << tr("head %1").arg(h + 1);
  shown_ = HeatmapData::fromValues(a.layers, a.heads, std::vector<float>(e.begin(), e.end()), layers, heads,
                                   tr("Mean attention entropy per head (bits)"));
  shown_.rowAxis = tr("layer");
  shown_.colAxis = tr("head");
  fillScreenChart();
  highlight(workspace_->selection().layer(), workspace_->selection().head());
}

void HeadEntropyPanel::highlight(int layer, int head) {
  const QList<QBarSet*> sets = barSeries()->barSets();
  for (int l = 0; l < sets.size(); ++l) {
    sets[l]->deselectAllBars();
    if (l == layer && head >= 0 && head < sets[l]->count()) sets[l]->selectBar(head);
  }
}

std::pair<int, int> HeadEntropyPanel::highlighted() const {
  const QList<QBarSet*> sets = barSeries()->barSets();
  for (int l = 0; l < sets.size(); ++l) {
    const QList<int> bars = sets[l]->selectedBars();
    if (!bars.isEmpty()) return {l, bars.front()};
  }
  return {-1, -1};
}

void HeadEntropyPanel::fillChart(QChart& chart, QAbstractBarSeries& series) const {
  const HeatmapData& data = shown_;
  const int tokens = tokens_;
  float top = 0.0f;
  for (int l = 0; l < data.rows; ++l) {
    const QColor c = layerColor(l, data.rows);
    auto* set = new QBarSet(data.rowLabels.value(l));
    set->setColor(c);
    set->setBorderColor(c.darker(130));
    set->setSelectedColor(kSelected);
    for (int h = 0; h < data.cols; ++h) {
      set->append(data.at(l, h));
      top = std::max(top, data.at(l, h));
    }
    series.append(set);
  }
  auto* x = new QBarCategoryAxis;
  x->append(data.colLabels);
  auto* y = new QValueAxis;
  const double uniform = tokens > 0 ? std::log2(static_cast<double>(tokens)) : 1.0;
  setNiceRange(y, 0.0, std::max<double>(top, uniform));  // up to the uniform entropy at least
  y->setTitleText(tr("bits (uniform over %1 tokens: %2)").arg(tokens).arg(uniform, 0, 'f', 2));
  chart.addAxis(x, Qt::AlignBottom);
  chart.addAxis(y, Qt::AlignLeft);
  series.attachAxis(x);
  series.attachAxis(y);
  chart.legend()->setVisible(data.rows > 1);
  chart.legend()->setAlignment(Qt::AlignBottom);
  chart.setTitle(tr("Mean attention entropy per head"));
}

QSizeF HeadEntropyPanel::naturalFigureSize() const {
  return {std::max(kNaturalWidth, 60.0 + shown_.rows * shown_.cols * 14.0), kNaturalHeight};
}

}  // namespace attnviz::ui
