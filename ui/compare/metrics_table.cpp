#include "ui/compare/metrics_table.h"

#include <algorithm>
#include <cmath>

#include <QHeaderView>

#include "ui/panels/chart_panel.h"

namespace attnviz::ui {
namespace {

constexpr int kVisibleRows = 6;
constexpr int kRowPadding = 10;  // px above and below a row's text
constexpr int kSlack = 6;        // px, so the last row is never cut by rounding

QTableWidgetItem* number(const std::optional<double>& v, int decimals, const QString& missingWhy) {
  auto* item = new QTableWidgetItem(v ? QString::number(*v, 'f', decimals) : QStringLiteral("—"));
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  if (!v) item->setToolTip(missingWhy);
  return item;
}

}  // namespace

MetricsTable::MetricsTable(QWidget* parent) : QTableWidget(0, ColumnCount, parent) {
  setObjectName(QStringLiteral("metricsTable"));
  const QStringList headers{tr("variant"), tr("decoded target"), tr("row entropy (bits)"), tr("mean max weight"),
                            tr("AER sentence"), tr("AER gold set"), tr("JS to reference"), tr("AOPC comp. ↑"),
                            tr("AOPC suff. ↓"), tr("τ vs leave-one-out ↑")};
  const QStringList tips{
      tr("The compared model (its variant name)"),
      tr("The target the variant decoded: the reference's translation when forced on it"),
      tr("Mean over target words of the entropy of their attention over the source, in bits; 0 = every word attends "
         "to one source token"),
      tr("Mean over target words of their largest attention weight; 1 = hard alignment"),
      tr("Alignment error rate of the argmax alignment against the picked gold sentence (needs the gold target "
         "force-decoded)"),
      tr("Alignment error rate over the whole gold set (“AER on all” in the alignment panel)"),
      tr("Mean over target words of the Jensen-Shannon divergence (base 2, 0..1) between this variant's attention and "
         "the reference's; needs maps of the same shape"),
      tr("Comprehensiveness (ERASER): how far the prediction falls when the 10, 20, 30, 40, 50% of the tokens this map "
         "ranks highest (its [CLS] row, or the pronoun's) are removed, averaged; higher: the ranking found what the "
         "model uses"),
      tr("Sufficiency (ERASER): how far the prediction falls when every token but those 10 … 50% is removed, averaged; "
         "lower: the top tokens alone keep the prediction"),
      tr("Kendall's tau-b between this map's ranking and leave-one-out occlusion (the fall when each token alone is "
         "removed); 1: the same order")};
  setHorizontalHeaderLabels(headers);
  for (int c = 0; c < ColumnCount; ++c) horizontalHeaderItem(c)->setToolTip(tips[c]);
  verticalHeader()->setVisible(false);
  verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  verticalHeader()->setDefaultSectionSize(fontMetrics().height() + kRowPadding);
  horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  horizontalHeader()->setSectionResizeMode(Translation, QHeaderView::Stretch);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setSelectionMode(QAbstractItemView::NoSelection);
  setAlternatingRowColors(true);
}

void MetricsTable::setComparison(const Comparison& c) {
  setRowCount(static_cast<int>(c.rows.size()));
  for (int i = 0; i < static_cast<int>(c.rows.size()); ++i) {
    const VariantRow& r = c.rows[static_cast<std::size_t>(i)];
    const bool ref = i == c.reference;
    auto* name = new QTableWidgetItem(ref ? tr("%1 (reference)").arg(r.label) : r.label);
    name->setForeground(ChartPanel::variantColor(i).darker(130));
    QFont f = name->font();
    f.setBold(ref);
    name->setFont(f);
    setItem(i, Variant, name);
    setItem(i, Translation, new QTableWidgetItem(r.trace ? r.translation : tr("(running or failed)")));
    const bool hasMap = !r.map.empty();
    setItem(i, Entropy, number(hasMap ? std::optional<double>(r.metrics.meanRowEntropyBits) : std::nullopt, 3, tr("no map")));
    setItem(i, MaxWeight, number(hasMap ? std::optional<double>(r.metrics.meanMaxWeight) : std::nullopt, 3, tr("no map")));
    setItem(i, SentenceAer, number(r.sentenceAer, 3, tr("Pick a gold sentence in the alignment panel")));
    setItem(i, SetAer, number(r.corpusAer ? std::optional<double>(r.corpusAer->counts.aer()) : std::nullopt, 3,
                              tr("Run “AER on all” in the alignment panel")));
    setItem(i, JsToReference, number(r.js, 4, tr("Different shapes: this variant decoded another target than the reference. "
                                                  "Compare on the reference's output (the default) to line the rows up")));
    const QString noFaithfulness = r.faithfulnessMethod.isEmpty()
                                       ? tr("No faithfulness method ranks tokens by this map (single heads, a rollout "
                                            "with max/min fusion or a discard ratio)")
                                       : tr("Not computed yet (Faithfulness above the grid)");
    const auto finite = [](double v) { return std::isfinite(v) ? std::optional<double>(v) : std::nullopt; };
    const std::optional<attnviz::RankingFaithfulness>& scores = r.faithfulness;
    setItem(i, AopcComprehensiveness, number(scores ? finite(scores->aopcComprehensiveness) : std::nullopt, 4, noFaithfulness));
    setItem(i, AopcSufficiency, number(scores ? finite(scores->aopcSufficiency) : std::nullopt, 4, noFaithfulness));
    setItem(i, TauLeaveOneOut, number(scores ? finite(scores->tau) : std::nullopt, 3, noFaithfulness));
  }
  // Kinds that decode nothing (encoders, han) have no translation and no alignment error rate: no empty columns.
  const bool decodes = std::any_of(c.rows.begin(), c.rows.end(), [](const VariantRow& r) { return !r.translation.isEmpty(); });
  for (Column column : {Translation, SentenceAer, SetAer}) setColumnHidden(column, !decodes && !c.rows.empty());
  const bool ranks = std::any_of(c.rows.begin(), c.rows.end(), [](const VariantRow& r) { return !r.faithfulnessMethod.isEmpty(); });
  for (Column column : {AopcComprehensiveness, AopcSufficiency, TauLeaveOneOut}) setColumnHidden(column, !ranks);
  updateGeometry();  // the splitter keeps every row in view
}

QString MetricsTable::cellText(int row, Column column) const {
  const QTableWidgetItem* it = item(row, column);
  return it ? it->text() : QString();
}

QSize MetricsTable::sizeHint() const {
  const int rowsShown = std::min(std::max(rowCount(), 2), kVisibleRows);
  const int header = std::max(horizontalHeader()->height(), horizontalHeader()->sizeHint().height());
  const int row = std::max(verticalHeader()->defaultSectionSize(), verticalHeader()->minimumSectionSize());
  return {QTableWidget::sizeHint().width(), header + rowsShown * row + 2 * frameWidth() + kSlack};
}

QSize MetricsTable::minimumSizeHint() const {
  return {QTableWidget::minimumSizeHint().width(), sizeHint().height()};
}

}  // namespace attnviz::ui
