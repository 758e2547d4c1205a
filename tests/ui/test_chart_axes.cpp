// Chart axes say the numbers they mean and every category label in full (issue 18, item 9): ticks on nice steps
// whose labels read back as the tick's value (no "0.3" for 0.25, no "1.1" for 1.125), and category labels turned or
// shrunk to fit, never elided to "…", on screen at any width and in figures.
#include <QBarCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QRandomGenerator>
#include <QValueAxis>
#include <QtTest>
#include <cmath>

#include "tests/ui/fake_model.h"
#include "ui/document/workspace.h"
#include "ui/kinds/vit/class_chart_panel.h"
#include "ui/maps/head_entropy_panel.h"
#include "ui/panels/nice_ticks.h"

using namespace attnviz::ui;
using attnviz::test::FakeModel;

namespace {

template <typename Axis>
Axis* axisOf(QChart* chart) {
  for (QAbstractAxis* a : chart->axes())
    if (auto* axis = qobject_cast<Axis*>(a)) return axis;
  return nullptr;
}

// Every tick of a value axis, as Qt places them (min + i * (max - min) / (count - 1)), reads back as its value.
void checkTickLabels(const QValueAxis* axis) {
  const int n = axis->tickCount();
  QVERIFY(n >= 2);
  for (int i = 0; i < n; ++i) {
    const double v = axis->min() + i * (axis->max() - axis->min()) / (n - 1);
    const QString label = QString::asprintf(axis->labelFormat().toLatin1().constData(), v);
    QVERIFY2(std::abs(label.toDouble() - v) < 1e-9, qPrintable(QStringLiteral("tick %1 labelled %2").arg(v).arg(label)));
  }
}

}  // namespace

class TestChartAxes : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void niceAxisPicksRoundSteps_data() {
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addColumn<int>("maxTicks");
    QTest::addColumn<double>("step");
    QTest::addColumn<double>("top");
    QTest::addColumn<QString>("second");
    QTest::newRow("probability in 5 ticks") << 0.0 << 1.0 << 5 << 0.25 << 1.0 << QStringLiteral("0.25");
    QTest::newRow("probability in 6 ticks") << 0.0 << 1.0 << 6 << 0.2 << 1.0 << QStringLiteral("0.2");
    QTest::newRow("entropy 4.46 bits") << 0.0 << 4.46 << 6 << 1.0 << 5.0 << QStringLiteral("1");
    QTest::newRow("weights up to 0.37") << 0.0 << 0.37 << 6 << 0.1 << 0.4 << QStringLiteral("0.1");
    QTest::newRow("2.5 steps") << 0.0 << 9.0 << 5 << 2.5 << 10.0 << QStringLiteral("2.5");
  }
  void niceAxisPicksRoundSteps() {
    QFETCH(double, lo);
    QFETCH(double, hi);
    QFETCH(int, maxTicks);
    QFETCH(double, step);
    QFETCH(double, top);
    QFETCH(QString, second);
    const NiceAxis a = niceAxis(lo, hi, maxTicks);
    QCOMPARE(a.step, step);
    QCOMPARE(a.hi, top);
    QCOMPARE(a.label(a.lo + a.step).toDouble(), a.lo + a.step);
    QCOMPARE(QString::number(a.label(a.lo + a.step).toDouble()), second);
  }

  // Random ranges: the axis covers the range, in at most maxTicks ticks on steps of {1, 2, 2.5, 5} x 10^k, and
  // every tick's label is its exact value.
  void niceAxisNeverMisstates() {
    QRandomGenerator rng(18);
    for (int i = 0; i < 2000; ++i) {
      const double scale = std::pow(10.0, rng.bounded(-3, 4));
      const double lo = rng.bounded(2) ? 0.0 : -rng.generateDouble() * scale;
      const double hi = lo + (0.01 + rng.generateDouble()) * scale;
      const int maxTicks = 3 + rng.bounded(6);
      const NiceAxis a = niceAxis(lo, hi, maxTicks);
      QVERIFY(a.lo <= lo + 1e-12 && a.hi >= hi - 1e-12);
      QVERIFY(a.ticks >= 2 && a.ticks <= maxTicks);
      const double mantissa = a.step / std::pow(10.0, std::floor(std::log10(a.step) + 1e-12));
      QVERIFY2(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 || std::abs(mantissa - 2.5) < 1e-9 ||
                   std::abs(mantissa - 5) < 1e-9,
               qPrintable(QString::number(a.step)));
      for (int t = 0; t < a.ticks; ++t) {
        const double v = a.lo + t * a.step;
        QVERIFY2(std::abs(a.label(v).toDouble() - v) < 1e-9 * std::max(1.0, std::abs(v)),
                 qPrintable(QStringLiteral("%1 labelled %2").arg(v).arg(a.label(v))));
      }
    }
  }

  // The class chart's probability axis and the head entropy axis, as the panels set them up.
  void panelAxesReadBackExactly() {
    Workspace ws;
    ws.addModel(std::make_shared<FakeModel>(FakeModel::Options{.layers = 3, .heads = 4}), QStringLiteral("fake:encoder"));
    ws.setInputText(QStringLiteral("the cat sat on the mat because it was tired"));
    ws.runNow();
    QTRY_VERIFY(ws.trace() != nullptr);
    ClassChartPanel classes;
    classes.setWorkspace(&ws);
    HeadEntropyPanel entropy;
    entropy.setWorkspace(&ws);
    for (Panel* p : std::initializer_list<Panel*>{&classes, &entropy}) {
      auto* view = p->findChild<QChartView*>();
      QVERIFY(view);
      const QValueAxis* axis = axisOf<QValueAxis>(view->chart());
      QVERIFY(axis);
      checkTickLabels(axis);
    }
    // Entropy reaches at least the uniform entropy over the tokens, on a whole tick.
    const QValueAxis* bits = axisOf<QValueAxis>(entropy.findChild<QChartView*>()->chart());
    QVERIFY(bits->max() >= std::log2(10.0));
  }

  // 16 heads in a narrow side panel: labels turn and shrink instead of "he…"; wide again: upright, full size.
  void categoryLabelsAreNeverElided() {
    Workspace ws;
    ws.addModel(std::make_shared<FakeModel>(FakeModel::Options{.layers = 2, .heads = 16}), QStringLiteral("fake:encoder"));
    ws.setInputText(QStringLiteral("the cat sat on the mat"));
    ws.runNow();
    QTRY_VERIFY(ws.trace() != nullptr);
    HeadEntropyPanel panel;
    panel.setWorkspace(&ws);
    panel.resize(300, 260);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QChart* chart = panel.findChild<QChartView*>()->chart();
    QBarCategoryAxis* heads = axisOf<QBarCategoryAxis>(chart);
    QVERIFY(heads);
    QTRY_VERIFY(!heads->truncateLabels());
    QTRY_COMPARE(heads->labelsAngle(), -90);
    const double slot = chart->plotArea().width() / heads->count();
    QVERIFY(QFontMetricsF(heads->labelsFont()).height() <= slot || heads->labelsFont().pixelSize() == 7);
    const int narrowPx = heads->labelsFont().pixelSize();
    panel.resize(1800, 400);
    QTRY_COMPARE(heads->labelsAngle(), 0);
    QVERIFY(heads->labelsFont().pixelSize() >= narrowPx);
  }
};

QTEST_MAIN(TestChartAxes)
#include "test_chart_axes.moc"
