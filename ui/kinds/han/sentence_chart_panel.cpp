#include "ui/kinds/han/sentence_chart_panel.h"

#include <QBarCategoryAxis>
#include <QAbstractBarSeries>
#include <QLegend>
#include <QValueAxis>
#include <QBarSet>
#include <QChart>
#include <algorithm>

#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

constexpr double kNaturalWidth = 420.0;
constexpr double kBarPx = 9.0;        // figure: height of one bar
constexpr double kGroupGapPx = 8.0;   // figure: gap between words
constexpr double kAxisRoom = 120.0;   // figure: title, value axis and legend

// Word weights of sentence s of a han trace, empty when it has none.
std::vector<float> wordsOf(const attnviz::Trace& trace, int s) {
  const auto it = trace.raggedAttention.find("word");
  if (it == trace.raggedAttention.end() || s < 0 || s >= static_cast<int>(it->second.size())) return {};
  const attnviz::Tensor& t = it->second[static_cast<std::size_t>(s)];
  if (t.rank() != 1) return {};
  return {t.data(), t.data() + t.dim(0)};
}

float sentenceWeight(const attnviz::Trace& trace, int s) {
  const auto it = trace.attention.find("sentence");
  if (it == trace.attention.end() || it->second.rank() != 1 || s < 0 || s >= it->second.dim(0)) return 0.0f;
  return it->second.data()[s];
}

}  // namespace

SentenceChartPanel::SentenceChartPanel(QWidget* parent)
    : ChartPanel(Bars::Horizontal, QStringLiteral("sentenceChartView"), QSize(240, 180), parent) {
  connect(barSeries(), &QAbstractBarSeries::hovered, this, [this](bool on, int index, QBarSet*) {
    if (workspace_ && on && sentence_ >= 0) workspace_->selection().setCell(sentence_, shown_.cols - 1 - index);  // bars run bottom-up
  });
  refresh();
}

void SentenceChartPanel::attach() {
  sentence_ = -1;
  if (workspace_) {
    listen(workspace_, &Workspace::shownTraceChanged, this, &SentenceChartPanel::refresh);
    listen(workspace_, &Workspace::comparedTracesChanged, this, &SentenceChartPanel::refresh);
    listen(&workspace_->selection(), &Selection::cellChanged, this, &SentenceChartPanel::onCellChanged);
    listen(&workspace_->selection(), &Selection::sentenceChanged, this, [this](int s) { onCellChanged(s, workspace_->selection().column()); });
  }
  refresh();
}

void SentenceChartPanel::onCellChanged(int row, int column) {
  if (row >= 0 && row != sentence_) {
    sentence_ = row;  // sticky: leaving the document keeps the last sentence
    refresh();
  } else {
    highlightColumn(row == sentence_ ? column : -1);
  }
}

void SentenceChartPanel::refresh() {
  struct Source {
    QString label;
    TracePtr trace;
    int colour;
  };
  std::vector<Source> sources;
  if (workspace_) {
    const auto& compared = workspace_->comparedTraces();
    if (workspace_->isComparing() && !compared.empty()) {
      for (std::size_t i = 0; i < compared.size(); ++i)
        if (compared[i]) sources.push_back({workspace_->modelLabel(workspace_->compared()[static_cast<qsizetype>(i)]), compared[i], static_cast<int>(i)});
    } else if (const TracePtr t = workspace_->shownTrace()) {
      sources.push_back({workspace_->modelLabel(workspace_->currentIndex()), t, 0});
    }
  }
  const TracePtr first = sources.empty() ? nullptr : sources.front().trace;
  const int sentences = first ? static_cast<int>(first->sentences.size()) : 0;
  if (sentence_ >= sentences) sentence_ = -1;

  clearChart();
  colours_.clear();
  QString why;
  if (!first || sentences == 0) why = tr("The word attention of one sentence appears here.");
  else if (sentence_ < 0) why = tr("Hover a sentence of the document to chart its word attention.");
  if (!showChartOr(why)) return;

  const auto& words = first->sentences[static_cast<std::size_t>(sentence_)];
  for (const std::string& w : words) shown_.colLabels << QString::fromStdString(w);
  shown_.cols = static_cast<int>(words.size());
  shown_.rowAxis = tr("variant");
  shown_.colAxis = tr("word");
  shown_.title = tr("Sentence %1 (weight %2): word attention").arg(sentence_ + 1).arg(sentenceWeight(*first, sentence_), 0, 'f', 3);
  for (const Source& s : sources) {
    const std::vector<float> w = wordsOf(*s.trace, sentence_);
    if (static_cast<int>(w.size()) != shown_.cols) continue;  // another sentence split
    shown_.rowLabels << s.label;
    shown_.values.insert(shown_.values.end(), w.begin(), w.end());
    ++shown_.rows;
    colours_.push_back(s.colour);
  }
  fillScreenChart();
  if (workspace_) highlightColumn(workspace_->selection().row() == sentence_ ? workspace_->selection().column() : -1);
}

void SentenceChartPanel::highlightColumn(int column) {
  for (QBarSet* set : barSeries()->barSets()) {
    set->deselectAllBars();
    if (column >= 0 && column < set->count()) set->selectBar(set->count() - 1 - column);
  }
}

void SentenceChartPanel::fillChart(QChart& chart, QAbstractBarSeries& series) const {
  const HeatmapData& data = shown_;
  // Horizontal bar charts list categories from the bottom: words go in reversed so the sentence reads downwards.
  float top = 0.0f;
  for (int r = 0; r < data.rows; ++r) {
    auto* set = variantBarSet(data.rowLabels.value(r),
                              r < static_cast<int>(colours_.size()) ? colours_[static_cast<std::size_t>(r)] : r);
    for (int col = data.cols - 1; col >= 0; --col) {
      set->append(data.at(r, col));
      top = std::max(top, data.at(r, col));
    }
    series.append(set);
  }
  // Category names must be unique (a repeated word gets zero-width spaces) and are rich text (escaped).
  QStringList labels;
  for (int col = data.cols - 1; col >= 0; --col) labels << data.colLabels.value(col);
  auto* y = new QBarCategoryAxis;
  y->append(uniqueCategories(labels));
  auto* x = new QValueAxis;
  setWeightRange(x, top);
  x->setTitleText(tr("weight in the sentence"));
  chart.addAxis(y, Qt::AlignLeft);
  chart.addAxis(x, Qt::AlignBottom);
  series.attachAxis(y);
  series.attachAxis(x);
  chart.legend()->setVisible(series.count() > 1);
  chart.legend()->setAlignment(Qt::AlignBottom);
  chart.setTitle(data.title.toHtmlEscaped());
}

QSizeF SentenceChartPanel::naturalFigureSize() const {
  const double sets = std::max(1, shown_.rows);
  return {kNaturalWidth, kAxisRoom + std::max(8, shown_.cols) * (sets * kBarPx + kGroupGapPx)};
}

}  // namespace attnviz::ui
