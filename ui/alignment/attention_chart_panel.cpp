#include "ui/alignment/attention_chart_panel.h"

#include <QBarCategoryAxis>
#include <QAbstractBarSeries>
#include <QBarSet>
#include <QChart>
#include <QLegend>
#include <QValueAxis>
#include <algorithm>

#include "ui/alignment/gold_alignment.h"
#include "ui/alignment/seq2seq_extension.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

constexpr QSizeF kNaturalSize{520, 340};
constexpr double kBarPx = 9.0;        // figure: width of one bar
constexpr double kGroupGapPx = 14.0;  // figure: gap between source tokens
constexpr double kAxisRoom = 200.0;   // figure: axis, title and legend

struct Source {
  QString label;
  TracePtr trace;
  int colour = 0;
};

// Weights of row `row` of the trace's cross map as the alignment view reads it (a transformer's [L, H, T, S]: the chosen
// layer and head, or their mean), or empty when the row does not exist.
std::vector<float> rowOf(const attnviz::Trace& trace, int row, const attnviz::ExtractionMethod& method) {
  if (!trace.attention.count("cross")) return {};
  const attnviz::Tensor map = crossMapFor(trace, method);
  if (map.rank() != 2 || row < 0 || row >= map.dim(0)) return {};
  const auto cols = static_cast<std::size_t>(map.dim(1));
  const float* base = map.data() + static_cast<std::size_t>(row) * cols;
  return {base, base + cols};
}

}  // namespace

void AttentionChartPanel::fillChart(QChart& chart, QAbstractBarSeries& series) const {
  const HeatmapData& data = shown_;
  float top = 0.0f;
  for (int r = 0; r < data.rows; ++r) {
    auto* set = variantBarSet(data.rowLabels.value(r),
                              r < static_cast<int>(colours_.size()) ? colours_[static_cast<std::size_t>(r)] : r);
    for (int col = 0; col < data.cols; ++col) {
      set->append(data.at(r, col));
      top = std::max(top, data.at(r, col));
    }
    series.append(set);
  }
  // Category names must be unique: a repeated token ("the ... the") gets invisible zero-width spaces.
  // Chart labels are rich text: "<eos>" is escaped so it shows.
  auto* x = new QBarCategoryAxis;
  x->append(uniqueCategories(data.colLabels));
  auto* y = new QValueAxis;
  setWeightRange(y, top);
  y->setTitleText(tr("weight"));
  chart.addAxis(x, Qt::AlignBottom);
  chart.addAxis(y, Qt::AlignLeft);
  series.attachAxis(x);
  series.attachAxis(y);
  // Several variants: the legend on the right, one name a line, so names are not cut short.
  chart.legend()->setVisible(series.count() > 1);
  chart.legend()->setAlignment(series.count() > 2 ? Qt::AlignRight : Qt::AlignBottom);
  chart.setTitle(data.title.toHtmlEscaped());
}

AttentionChartPanel::AttentionChartPanel(QWidget* parent)
    : ChartPanel(Bars::Vertical, QStringLiteral("attentionChartView"), QSize(240, 180), parent) {
  connect(barSeries(), &QAbstractBarSeries::hovered, this, [this](bool on, int index, QBarSet*) {
    if (workspace_ && on && row_ >= 0) workspace_->selection().setCell(row_, index);
  });
  refresh();
}

void AttentionChartPanel::attach() {
  row_ = -1;
  if (workspace_) {
    listen(workspace_, &Workspace::shownTraceChanged, this, &AttentionChartPanel::refresh);
    listen(workspace_, &Workspace::comparedTracesChanged, this, &AttentionChartPanel::refresh);
    listen(&workspace_->extension<Seq2seqExtension>(), &Seq2seqExtension::methodChanged, this, &AttentionChartPanel::refresh);
    listen(&workspace_->selection(), &Selection::cellChanged, this, &AttentionChartPanel::onCellChanged);
  }
  refresh();
}

void AttentionChartPanel::onCellChanged(int row, int column) {
  if (row >= 0 && row != row_) {
    row_ = row;  // sticky: moving the pointer off the maps keeps the last word
    refresh();
  } else {
    highlightColumn(column);
  }
}

void AttentionChartPanel::refresh() {
  std::vector<Source> sources;
  if (workspace_) {
    const auto& compared = workspace_->comparedTraces();
    if (workspace_->isComparing() && !compared.empty()) {
      for (std::size_t i = 0; i < compared.size(); ++i) {
        if (compared[i]) sources.push_back({workspace_->modelLabel(workspace_->compared()[static_cast<qsizetype>(i)]), compared[i], static_cast<int>(i)});
      }
    } else if (const TracePtr t = workspace_->shownTrace()) {
      sources.push_back({workspace_->modelLabel(workspace_->currentIndex()), t, 0});
    }
  }
  const TracePtr first = sources.empty() ? nullptr : sources.front().trace;
  const attnviz::Tensor* firstCross = first && first->attention.count("cross") ? &first->attention.at("cross") : nullptr;
  // Target tokens: the rows of [T, S], the third axis of [L, H, T, S].
  const int rows = firstCross ? static_cast<int>(firstCross->dim(firstCross->rank() == 4 ? 2 : 0)) : 0;
  if (row_ >= rows) row_ = -1;

  clearChart();
  colours_.clear();
  QString why;
  if (!first || rows == 0) {
    why = tr("The attention of one target word over the source appears here.");
  } else if (row_ < 0) {
    why = tr("Hover a target word — a heatmap row or a word of the translation — to chart its attention over the source.");
  }
  if (!showChartOr(why)) return;

  QStringList categories;
  for (const std::string& s : first->sourceTokens) categories << QString::fromStdString(s);
  const QString word = row_ < static_cast<int>(first->targetTokens.size()) ? QString::fromStdString(first->targetTokens[static_cast<std::size_t>(row_)])
                                                                       : QString::number(row_);
  shown_.cols = static_cast<int>(categories.size());
  shown_.colLabels = categories;
  shown_.rowAxis = tr("variant");
  shown_.colAxis = tr("source token");
  shown_.title = tr("“%1” (target %2) attends to").arg(word).arg(row_ + 1);
  colours_.clear();
  for (const Source& s : sources) {
    std::vector<float> w = rowOf(*s.trace, row_, workspace_->extension<Seq2seqExtension>().method());
    if (static_cast<int>(w.size()) != categories.size()) continue;  // another tokenisation or a shorter output
    shown_.rowLabels << s.label;
    shown_.values.insert(shown_.values.end(), w.begin(), w.end());
    ++shown_.rows;
    colours_.push_back(s.colour);
  }
  fillScreenChart();
  if (workspace_) highlightColumn(workspace_->selection().column());
}

void AttentionChartPanel::highlightColumn(int column) {
  for (QBarSet* set : barSeries()->barSets()) {
    set->deselectAllBars();
    if (column >= 0 && column < set->count()) set->selectBar(column);
  }
}

int AttentionChartPanel::barSetCount() const { return static_cast<int>(barSeries()->count()); }

QStringList AttentionChartPanel::barSetLabels() const {
  QStringList out;
  for (QBarSet* set : barSeries()->barSets()) out << set->label();
  return out;
}

QSizeF AttentionChartPanel::naturalFigureSize() const {
  // Room for every bar and every variant's name.
  const double sets = std::max(1, shown_.rows);
  return {std::max(kNaturalSize.width(), kAxisRoom + shown_.cols * (sets * kBarPx + kGroupGapPx)), kNaturalSize.height()};
}

}  // namespace attnviz::ui
