// Encoder maps on the random-weight tests/data/tiny-hf-coref (2 layers × 2 heads, coreference head [1, 0]):
// the rollout discard control recomputes the shown rollout without rerunning the model (rows still sum to 1, the
// map changes, ratio 0 is the engine's rollout); the heatmap zooms (buttons, Ctrl+wheel) and scrolls; the comparison
// tab's "Maps of this trace" shows the last layer's mean, rollout, the coreference head and the shown head in one
// grid that exports as SVG/PDF/PNG and CSV/JSON like a comparison of models.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QImage>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>
#include <cmath>

#include "engine/analysis/rollout.h"
#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/compare/compare_panel.h"
#include "ui/compare/compare_view.h"
#include "ui/export/figure_export.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/shell/main_window.h"
#include "ui/compare/metrics_table.h"
#include "ui/panels/panel_area.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;

namespace {

const QString kSentence = QStringLiteral("The animal didn't cross the street because it was too tired.");

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

double maxRowError(const HeatmapData& d) {
  double worst = 0;
  for (int r = 0; r < d.rows; ++r) {
    double sum = 0;
    for (int c = 0; c < d.cols; ++c) sum += d.at(r, c);
    worst = std::max(worst, std::abs(sum - 1.0));
  }
  return worst;
}

}  // namespace

class TestEncoderMaps : public attnviz::test::WindowTest {
  Q_OBJECT


 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void init() {
    createWindow();
    QVERIFY(openModelAndWait(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-coref")));
    QVERIFY(showWindow());
    QVERIFY(typeAndWait(kSentence));
  }

  void cleanup() {
    closeWindow();
  }

  void discardRatioRecomputesRolloutWithoutRerunning() {
    auto* heatmap = panel<HeatmapPanel>("heatmap");
    w_->panelArea()->showPanel(QStringLiteral("heatmap"));
    QVERIFY(!heatmap->discardBox()->isVisible());  // rollout off
    ws_->setRolloutFusion(attnviz::RolloutFusion::Max);
    QTRY_COMPARE(heatmap->mapName(), QStringLiteral("rollout"));
    QCOMPARE(ws_->trace()->attention.count("rollout"), std::size_t{0});  // derived from attention.self, not run
    QTRY_VERIFY(heatmap->view()->data().title.contains(QStringLiteral("heads max")));
    QVERIFY(heatmap->discardBox()->isVisible() && heatmap->discardBox()->isEnabled());
    // Ratio 0: plain rollout (rollout.h).
    const std::vector<float> engine =
        attnviz::attentionRollout(ws_->trace()->attention.at("self"), attnviz::RolloutFusion::Max).toVector();
    QCOMPARE(heatmap->view()->data().values, engine);
    const attnviz::ui::TracePtr before = ws_->trace();

    heatmap->discardBox()->setValue(0.5);  // as the user types it
    QCOMPARE(ws_->rolloutDiscard(), 0.5);
    const HeatmapData& shown = heatmap->view()->data();
    QVERIFY(shown.title.contains(QStringLiteral("discarded")));
    QVERIFY(shown.values != engine);
    QCOMPARE_LE(maxRowError(shown), 1e-5);
    const attnviz::Tensor expected = attnviz::attentionRollout(ws_->trace()->attention.at("self"), attnviz::RolloutFusion::Max, 0.5);
    QCOMPARE(shown.values, expected.toVector());
    QCOMPARE(ws_->trace(), before);  // no rerun
    QVERIFY(!ws_->isRunning());

    for (double ratio : {0.2, 0.8, 0.95}) {
      heatmap->discardBox()->setValue(ratio);
      QCOMPARE_LE(maxRowError(heatmap->view()->data()), 1e-5);
    }
    // A new layer/head does not recompute the rollout (cached per trace, fusion and ratio).
    const int computed = heatmap->rolloutComputations();
    ws_->selection().setLayerHead(0, 1);
    QCOMPARE(heatmap->rolloutComputations(), computed);
    heatmap->discardBox()->setValue(0.0);
    QCOMPARE(heatmap->view()->data().values, engine);
  }

  void heatmapZoomsAndScrolls() {
    auto* heatmap = panel<HeatmapPanel>("heatmap");
    w_->panelArea()->showPanel(QStringLiteral("heatmap"));
    QTRY_VERIFY(heatmap->view()->isVisible() && heatmap->view()->width() > 100);
    const QSize fit = heatmap->view()->size();
    QCOMPARE(fit, heatmap->scrollArea()->viewport()->size());
    heatmap->setZoom(4.0);
    QTRY_VERIFY(heatmap->view()->width() > 3 * fit.width());
    QVERIFY(heatmap->scrollArea()->horizontalScrollBar()->maximum() > 0);
    // Hover still finds the cells of the zoomed map (scrolled well into view: at the viewport's edges the pinned
    // labels and colour bar lie over the cells).
    const QPointF c = heatmap->view()->cellCenter(3, 4);
    heatmap->scrollArea()->ensureVisible(static_cast<int>(c.x()), static_cast<int>(c.y()), 200, 200);
    QTest::mouseMove(heatmap->view(), c.toPoint());
    QTRY_COMPARE(ws_->selection().row(), 3);
    QCOMPARE(ws_->selection().column(), 4);
    // Ctrl+wheel zooms out again.
    QWheelEvent wheel(QPointF(10, 10), heatmap->view()->mapToGlobal(QPointF(10, 10)), QPoint(), QPoint(0, -120), Qt::NoButton,
                      Qt::ControlModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(heatmap->view(), &wheel);
    QCOMPARE_LT(heatmap->zoom(), 4.0);
    heatmap->setZoom(1.0);
    QTRY_COMPARE(heatmap->view()->size(), heatmap->scrollArea()->viewport()->size());
  }

  void compareMapsOfOneTrace() {
    auto* compare = panel<ComparePanel>("compare");
    QVERIFY(compare);
    w_->panelArea()->showPanel(QStringLiteral("compare"));
    auto* button = compare->findChild<QPushButton*>(QStringLiteral("compareTraceMapsButton"));
    QVERIFY(button && button->isVisible());  // one model open: nothing to compare but the maps of this trace
    QTest::mouseClick(button, Qt::LeftButton);
    QVERIFY(compare->traceMaps());
    // The coreference head is the shown head (pre-selected): last layer mean, rollout, coreference head.
    QCOMPARE(static_cast<int>(compare->comparison().rows.size()), 3);
    QCOMPARE(compare->view()->figure().maps.size(), std::size_t{3});
    QVERIFY(compare->comparison().rows[2].label.startsWith(QStringLiteral("coreference head L2 H1")));
    // Another head: it is added as the fourth map.
    ws_->selection().setLayerHead(0, 1);
    QCOMPARE(static_cast<int>(compare->comparison().rows.size()), 4);
    QVERIFY(compare->comparison().rows[3].label.contains(QStringLiteral("L1 H2")));
    QVERIFY(compare->comparison().rows[1].label.startsWith(QStringLiteral("rollout")));
    QCOMPARE_LE(maxRowError(compare->comparison().rows[1].map), 1e-5);
    QCOMPARE(compare->metrics()->rowCount(), 4);
    const int n = static_cast<int>(ws_->trace()->sourceTokens.size());
    for (const VariantRow& r : compare->comparison().rows) {
      QCOMPARE(r.map.rows, n);
      QCOMPARE(r.map.cols, n);
    }
    // The discard ratio reaches the rollout map here too.
    ws_->setRolloutDiscard(0.5);
    QVERIFY(compare->comparison().rows[1].label.contains(QStringLiteral("discard 0.5")));

    // Export: one figure, and the data, as for compared models.
    QTemporaryDir dir;
    const QSizeF size = compare->figureSize();
    const FigurePainter paint = [compare](QPainter& p, const QRectF& r) { compare->paintFigure(p, r); };
    QVERIFY(exportFigure(dir.filePath(QStringLiteral("maps.svg")), {FigureFormat::Svg, size, 96, {}}, paint).ok);
    QVERIFY(exportFigure(dir.filePath(QStringLiteral("maps.pdf")), {FigureFormat::Pdf, size, 96, {}}, paint).ok);
    const FigureOptions png{FigureFormat::Png, size, 192, {}};
    QVERIFY(exportFigure(dir.filePath(QStringLiteral("maps.png")), png, paint).ok);
    const QByteArray svg = readAll(dir.filePath(QStringLiteral("maps.svg")));
    QXmlStreamReader xml(svg);
    while (!xml.atEnd()) xml.readNext();
    QVERIFY(!xml.hasError());
    QVERIFY(svg.contains("(d)"));
    QVERIFY(readAll(dir.filePath(QStringLiteral("maps.pdf"))).startsWith("%PDF"));
    QCOMPARE(QImage(dir.filePath(QStringLiteral("maps.png"))).size(), pngPixelSize(png));
    const QByteArray csv = compare->exportData(QStringLiteral("csv"));
    QVERIFY(csv.contains("coreference head"));
    QVERIFY(compare->exportData(QStringLiteral("json")).contains("rollout"));

    // Off again: back to the page that offers it.
    compare->setTraceMaps(false);
    QVERIFY(compare->comparison().rows.empty());
    QVERIFY(button->isVisible());
  }
};

QTEST_MAIN(TestEncoderMaps)
#include "test_encoder_maps.moc"
