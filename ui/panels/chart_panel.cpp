#include "ui/panels/chart_panel.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QTextDocument>
#include <QChart>
#include <QChartView>
#include <QColor>
#include <QGraphicsScene>
#include <QHorizontalBarSeries>
#include <QBarSeries>
#include <QLabel>
#include <QLegend>
#include <QPainter>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <array>
#include <cmath>

#include "ui/panels/nice_ticks.h"

namespace attnviz::ui {
namespace {

constexpr int kTitlePx = 13;
constexpr int kLegendPx = 11;

constexpr int kMinLabelPx = 7;     // category labels shrink down to this size to fit, never to "…"
constexpr double kLabelPad = 4.0;  // between neighbouring category labels
constexpr int kMaxValueTicks = 6;
const char* const kBaseLabelPx = "attnvizBaseLabelPx";  // axis property: label size before fitting

// Category labels are rich text ("&lt;eos&gt;"): what they show.
QString shownText(const QString& label) {
  QTextDocument doc;
  doc.setHtml(label);
  return doc.toPlainText();
}

// Every category label of the chart's category axes in full: upright where each fits its slot, else turned to read
// upwards, shrunk (down to kMinLabelPx) where even a turned label is taller than its slot. Qt Charts would elide
// them to "…". Returns whether anything changed (the chart then needs laying out again).
bool fitCategoryLabels(QChart& chart) {
  const QRectF plot = chart.plotArea();
  bool changed = false;
  for (QAbstractAxis* a : chart.axes()) {
    auto* axis = qobject_cast<QBarCategoryAxis*>(a);
    if (!axis || axis->count() == 0 || plot.isEmpty()) continue;
    if (axis->truncateLabels()) {
      axis->setTruncateLabels(false);
      changed = true;
    }
    const bool horizontal = axis->orientation() == Qt::Horizontal;
    const double slot = (horizontal ? plot.width() : plot.height()) / axis->count();
    // From the size the labels had before any fitting, so a wider chart grows them back.
    QFont font = axis->labelsFont();
    if (!axis->property(kBaseLabelPx).isValid())
      axis->setProperty(kBaseLabelPx, font.pixelSize() > 0 ? font.pixelSize() : static_cast<int>(QFontMetricsF(font).ascent()));
    font.setPixelSize(axis->property(kBaseLabelPx).toInt());
    double widest = 0;
    for (const QString& c : axis->categories()) widest = std::max(widest, QFontMetricsF(font).horizontalAdvance(shownText(c)));
    // Upright where every label fits its slot's width; else turned to read upwards. Turned labels, and the labels of
    // a vertical axis, are stacked by their height: shrunk until that fits the slot.
    const int angle = horizontal && widest + kLabelPad > slot ? -90 : 0;
    if (!horizontal || angle != 0) {
      while (font.pixelSize() > kMinLabelPx && QFontMetricsF(font).height() > slot) font.setPixelSize(font.pixelSize() - 1);
    }
    if (axis->labelsAngle() != angle) {
      axis->setLabelsAngle(angle);
      changed = true;
    }
    if (axis->labelsFont() != font) {
      axis->setLabelsFont(font);
      changed = true;
    }
  }
  return changed;
}

// A chart built for a figure (styled and filled, in no scene), laid out at rect's size and painted: text stays
// text and vector items stay vectors on SVG/PDF painters. Deletes the chart.
void paintChart(QPainter& painter, const QRectF& rect, QChart* chart) {
  QGraphicsScene scene;
  scene.addItem(chart);  // the scene owns and deletes it
  chart->setGeometry(QRectF(QPointF(0, 0), rect.size()));
  for (int pass = 0; pass < 3; ++pass) {  // lay out, fit the labels to the plot, lay out again
    if (chart->layout()) chart->layout()->activate();
    if (!fitCategoryLabels(*chart)) break;
  }
  scene.setSceneRect(QRectF(QPointF(0, 0), rect.size()));
  scene.render(&painter, rect, scene.sceneRect(), Qt::IgnoreAspectRatio);
}

}  // namespace

ChartPanel::ChartPanel(Bars bars, const QString& viewName, QSize minimumSize, QWidget* parent) : Panel(parent), bars_(bars) {
  chart_ = new QChart;
  styleChart(*chart_);
  series_ = newSeries();
  chart_->addSeries(series_);
  view_ = new QChartView(chart_, this);  // owns the chart
  view_->setObjectName(viewName);
  view_->setRenderHint(QPainter::Antialiasing);
  view_->setMinimumSize(minimumSize);
  // Once Qt has laid the chart out (queued: not inside its layout), its category labels are fitted to the plot.
  connect(chart_, &QChart::plotAreaChanged, this, [this] { fitCategoryLabels(*chart_); }, Qt::QueuedConnection);
  placeholder_ = placeholderLabel(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(view_, 1);
  layout->addWidget(placeholder_, 1);
}

QAbstractBarSeries* ChartPanel::newSeries() const {
  if (bars_ == Bars::Horizontal) return new QHorizontalBarSeries;
  return new QBarSeries;
}

void ChartPanel::styleChart(QChart& chart) const {
  chart.setAnimationOptions(QChart::NoAnimation);
  chart.setMargins(QMargins(4, 4, 4, 4));
  QFont titleFont = chart.titleFont();
  titleFont.setPixelSize(kTitlePx);
  titleFont.setBold(true);
  chart.setTitleFont(titleFont);
  QFont legendFont = chart.legend()->font();
  legendFont.setPixelSize(kLegendPx);
  chart.legend()->setFont(legendFont);
  chart.legend()->setShowToolTips(true);
}

void ChartPanel::clearChart() {
  for (QAbstractAxis* axis : chart_->axes()) {
    chart_->removeAxis(axis);
    delete axis;
  }
  series_->clear();
  shown_ = HeatmapData{};
}

bool ChartPanel::showChartOr(const QString& why) {
  view_->setVisible(why.isEmpty());
  placeholder_->setText(why);
  placeholder_->setVisible(!why.isEmpty());
  return why.isEmpty();
}

void ChartPanel::fillScreenChart() { fillChart(*chart_, *series_); }

void ChartPanel::paintFigure(QPainter& painter, const QRectF& rect) const {
  painter.fillRect(rect, Qt::white);
  if (shown_.empty()) {
    painter.drawText(rect, Qt::AlignCenter, placeholder_->text());
    return;
  }
  // The same chart as on screen (fillChart), laid out anew at the figure's size so text stays text and nothing
  // is squeezed, with the bars highlighted on screen highlighted.
  auto* chart = new QChart;
  styleChart(*chart);
  QAbstractBarSeries* series = newSeries();
  chart->addSeries(series);
  fillChart(*chart, *series);
  const QList<QBarSet*> screenSets = series_->barSets();
  const QList<QBarSet*> figureSets = series->barSets();
  for (qsizetype i = 0; i < std::min(screenSets.size(), figureSets.size()); ++i)
    figureSets[i]->selectBars(screenSets[i]->selectedBars());
  paintChart(painter, rect, chart);
}

QSizeF ChartPanel::figureSize() const {
  const QSizeF natural = naturalFigureSize();
  if (view_->isVisible() && view_->width() > 0) return natural.expandedTo(QSizeF(view_->size()));
  return natural;
}

std::optional<HeatmapData> ChartPanel::shownMatrix() const {
  if (shown_.empty()) return std::nullopt;
  return shown_;
}

QColor ChartPanel::variantColor(int k) {
  static constexpr std::array<QRgb, 10> kTableau{0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                                 0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
  return QColor::fromRgb(kTableau[static_cast<std::size_t>(std::abs(k)) % kTableau.size()]);
}

QBarSet* ChartPanel::variantBarSet(const QString& label, int k) {
  const QColor c = variantColor(k);
  auto* set = new QBarSet(label);
  set->setColor(c);
  set->setBorderColor(c.darker(120));
  set->setSelectedColor(c.darker(160));
  return set;
}

QStringList ChartPanel::uniqueCategories(const QStringList& labels) {
  QStringList categories;
  for (const QString& label : labels) {
    QString unique = label.toHtmlEscaped();
    while (categories.contains(unique)) unique += QChar(0x200B);
    categories << unique;
  }
  return categories;
}

void ChartPanel::setWeightRange(QValueAxis* axis, float top) { setNiceRange(axis, 0.0, top > 0.0f ? top : 1.0); }

void ChartPanel::setNiceRange(QValueAxis* axis, double lo, double hi) {
  const NiceAxis nice = niceAxis(lo, hi, kMaxValueTicks);
  axis->setRange(nice.lo, nice.hi);
  axis->setTickCount(nice.ticks);
  axis->setLabelFormat(nice.labelFormat());
}

}  // namespace attnviz::ui
