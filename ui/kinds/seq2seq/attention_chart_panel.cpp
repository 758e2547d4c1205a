#include "ui/kinds/seq2seq/attention_chart_panel.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGraphicsScene>
#include <QLegend>
#include <QLabel>
#include <QPainter>
#include <QValueAxis>
#include <QVBoxLayout>
#include <array>

#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

constexpr QSizeF kNaturalSize{520, 340};
constexpr double kBarPx = 9.0;        // figure: width of one bar
constexpr double kGroupGapPx = 14.0;  // figure: gap between source tokens
constexpr double kAxisRoom = 200.0;   // figure: axis, title and legend
constexpr int kTitlePx = 13;
constexpr int kLegendPx = 11;
constexpr int kUprightLabels = 8;     // more source tokens than this: labels slanted

struct Source {
  QString label;
  TracePtr trace;
  int colour = 0;
};

// Weights of row `row` of trace's cross map, or empty when the row does not exist.
std::vector<float> rowOf(const attnviz::Trace& trace, int row) {
  const auto it = trace.attention.find("cross");
  if (it == trace.attention.end() || it->second.rank() != 2 || row < 0 || row >= it->second.dim(0)) return {};
  const auto cols = static_cast<std::size_t>(it->second.dim(1));
  const float* base = it->second.data() + static_cast<std::size_t>(row) * cols;
  return {base, base + cols};
}

}  // namespace

QBarSet* AttentionChartPanel::variantBarSet(const QString& label, int k) {
  const QColor c = variantColor(k);
  auto* set = new QBarSet(label);
  set->setColor(c);
  set->setBorderColor(c.darker(120));
  set->setSelectedColor(c.darker(160));
  return set;
}

QStringList AttentionChartPanel::uniqueCategories(const QStringList& labels) {
  QStringList categories;
  for (const QString& label : labels) {
    QString unique = label.toHtmlEscaped();
    while (categories.contains(unique)) unique += QChar(0x200B);
    categories << unique;
  }
  return categories;
}

void AttentionChartPanel::setWeightRange(QValueAxis* axis, float top) {
  const double range = top > 0.5f ? 1.0 : std::max(0.1, std::ceil(top * 10.0) / 10.0);
  axis->setRange(0.0, range);
  axis->setTickCount(range > 0.5 ? 6 : static_cast<int>(std::lround(range * 10.0)) + 1);
  axis->setLabelFormat(QStringLiteral("%.1f"));
}

void AttentionChartPanel::paintChart(QPainter& painter, const QRectF& rect, QChart* chart) {
  QGraphicsScene scene;
  scene.addItem(chart);  // the scene owns and deletes it
  chart->setGeometry(QRectF(QPointF(0, 0), rect.size()));
  scene.setSceneRect(QRectF(QPointF(0, 0), rect.size()));
  scene.render(&painter, rect, scene.sceneRect(), Qt::IgnoreAspectRatio);
}

void AttentionChartPanel::styleChart(QChart* chart) {
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setMargins(QMargins(4, 4, 4, 4));
  QFont titleFont = chart->titleFont();
  titleFont.setPixelSize(kTitlePx);
  titleFont.setBold(true);
  chart->setTitleFont(titleFont);
  QFont legendFont = chart->legend()->font();
  legendFont.setPixelSize(kLegendPx);
  chart->legend()->setFont(legendFont);
  chart->legend()->setShowToolTips(true);
}

void AttentionChartPanel::fillChart(QChart* chart, QBarSeries* series, const HeatmapData& data, const std::vector<int>& colours) {
  float top = 0.0f;
  for (int r = 0; r < data.rows; ++r) {
    auto* set = variantBarSet(data.rowLabels.value(r),
                              r < static_cast<int>(colours.size()) ? colours[static_cast<std::size_t>(r)] : r);
    for (int col = 0; col < data.cols; ++col) {
      set->append(data.at(r, col));
      top = std::max(top, data.at(r, col));
    }
    series->append(set);
  }
  // Category names must be unique: a repeated token ("the ... the") gets invisible zero-width spaces.
  // Chart labels are rich text: "<eos>" is escaped so it shows.
  auto* x = new QBarCategoryAxis;
  x->append(uniqueCategories(data.colLabels));
  x->setLabelsAngle(data.cols > kUprightLabels ? -60 : 0);
  auto* y = new QValueAxis;
  setWeightRange(y, top);
  y->setTitleText(tr("weight"));
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  series->attachAxis(x);
  series->attachAxis(y);
  // Several variants: the legend on the right, one name a line, so names are not cut short.
  chart->legend()->setVisible(series->count() > 1);
  chart->legend()->setAlignment(series->count() > 2 ? Qt::AlignRight : Qt::AlignBottom);
  chart->setTitle(data.title.toHtmlEscaped());
}

QColor AttentionChartPanel::variantColor(int k) {
  static constexpr std::array<QRgb, 10> kTableau{0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                                 0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
  return QColor::fromRgb(kTableau[static_cast<std::size_t>(std::abs(k)) % kTableau.size()]);
}

AttentionChartPanel::AttentionChartPanel(QWidget* parent) : Panel(parent) {
  chart_ = new QChart;
  styleChart(chart_);
  series_ = new QBarSeries;
  chart_->addSeries(series_);
  view_ = new QChartView(chart_, this);  // owns the chart
  view_->setObjectName(QStringLiteral("attentionChartView"));
  view_->setRenderHint(QPainter::Antialiasing);
  view_->setMinimumSize(240, 180);
  placeholder_ = placeholderLabel(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(view_, 1);
  layout->addWidget(placeholder_, 1);
  connect(series_, &QBarSeries::hovered, this, [this](bool on, int index, QBarSet*) {
    if (workspace_ && on && row_ >= 0) workspace_->selection().setCell(row_, index);
  });
  refresh();
}

void AttentionChartPanel::attach() {
  row_ = -1;
  if (workspace_) {
    listen(workspace_, &Workspace::shownTraceChanged, this, &AttentionChartPanel::refresh);
    listen(workspace_, &Workspace::comparedTracesChanged, this, &AttentionChartPanel::refresh);
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
  const int rows = first && first->attention.count("cross") ? static_cast<int>(first->attention.at("cross").dim(0)) : 0;
  if (row_ >= rows) row_ = -1;

  for (QAbstractAxis* axis : chart_->axes()) {
    chart_->removeAxis(axis);
    delete axis;
  }
  series_->clear();
  shown_ = HeatmapData{};
  colours_.clear();
  QString why;
  if (!first || rows == 0) {
    why = tr("The attention of one target word over the source appears here.");
  } else if (row_ < 0) {
    why = tr("Hover a target word — a heatmap row or a word of the translation — to chart its attention over the source.");
  }
  view_->setVisible(why.isEmpty());
  placeholder_->setText(why);
  placeholder_->setVisible(!why.isEmpty());
  if (!why.isEmpty()) return;

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
    std::vector<float> w = rowOf(*s.trace, row_);
    if (static_cast<int>(w.size()) != categories.size()) continue;  // another tokenisation or a shorter output
    shown_.rowLabels << s.label;
    shown_.values.insert(shown_.values.end(), w.begin(), w.end());
    ++shown_.rows;
    colours_.push_back(s.colour);
  }
  fillChart(chart_, series_, shown_, colours_);
  if (workspace_) highlightColumn(workspace_->selection().column());
}

void AttentionChartPanel::highlightColumn(int column) {
  for (QBarSet* set : series_->barSets()) {
    set->deselectAllBars();
    if (column >= 0 && column < set->count()) set->selectBar(column);
  }
}

int AttentionChartPanel::barSetCount() const { return static_cast<int>(series_->count()); }

QStringList AttentionChartPanel::barSetLabels() const {
  QStringList out;
  for (QBarSet* set : series_->barSets()) out << set->label();
  return out;
}

void AttentionChartPanel::paintFigure(QPainter& painter, const QRectF& rect) const {
  painter.fillRect(rect, Qt::white);
  if (shown_.empty()) {
    painter.drawText(rect, Qt::AlignCenter, placeholder_->text());
    return;
  }
  // The same chart as on screen (fillChart), laid out anew at the figure's size so text stays text
  // and nothing is squeezed; vector items stay vectors on SVG/PDF painters.
  auto* chart = new QChart;
  styleChart(chart);
  auto* series = new QBarSeries;
  chart->addSeries(series);
  fillChart(chart, series, shown_, colours_);
  const int column = workspace_ ? workspace_->selection().column() : -1;
  for (QBarSet* set : series->barSets()) {
    if (column >= 0 && column < set->count()) set->selectBar(column);
  }
  paintChart(painter, rect, chart);
}

QSizeF AttentionChartPanel::figureSize() const {
  // Room for every bar and every variant's name, and never smaller than on screen.
  const double sets = std::max(1, shown_.rows);
  const QSizeF natural(std::max(kNaturalSize.width(), kAxisRoom + shown_.cols * (sets * kBarPx + kGroupGapPx)), kNaturalSize.height());
  if (view_->isVisible() && view_->width() > 0) return natural.expandedTo(QSizeF(view_->size()));
  return natural;
}

std::optional<HeatmapData> AttentionChartPanel::shownMatrix() const {
  if (shown_.empty()) return std::nullopt;
  return shown_;
}

}  // namespace attnviz::ui
