// Screenshots of the encoder tabs with "The animal didn't cross the street because it was too tired.", on the
// trained coreference model models/coref-bert when it is there, else the random-weight tests/data/tiny-hf-coref
// (both have a coreference head, pre-selected; with ATTNVIZ_SHOT_REQUIRE_SHIPPED=1 a missing models/coref-bert fails),
// grabbed offscreen into $ATTNVIZ_SHOT_DIR (default /tmp) for people to look at: encoder-arcs.png (Arcs tab, the
// coreference head, "it" focused from the coreference line), encoder-arcs-columns.png (two columns),
// encoder-heads.png (All heads tab), encoder-attention.png (heatmap with the head entropy chart beside),
// encoder-compare-maps.png (comparison tab, maps of this trace: last layer, rollout with a discard ratio,
// coreference head, shown head). resources/screenshots/make_screenshots.sh copies encoder-arcs.png,
// encoder-heads.png and encoder-compare-maps.png into resources/screenshots/. Checks the grabs are not blank.
#include <QImage>
#include <QPlainTextEdit>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "tests/ui/test_screenshot_support.h"
#include "ui/kinds/encoder/arcs_panel.h"
#include "ui/compare/compare_panel.h"
#include "ui/compare/compare_view.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/kinds/encoder/heads_grid_panel.h"
#include "ui/shell/main_window.h"
#include "ui/panels/panel_area.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;

using attnviz::test::distinctColours;
using attnviz::test::grabSteady;
using attnviz::test::shotPath;

namespace {

const QString kSentence = QStringLiteral("The animal didn't cross the street because it was too tired.");

// The trained model when it has been made, else the tiny random one.
QString modelPath() {
  return attnviz::test::shotModel("models/coref-bert", "model.safetensors",
                                  attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-coref"));
}

}  // namespace

class TestScreenshotEncoder : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void grabEncoderTabs() {
    const QString model = modelPath();
    if (QTest::currentTestFailed()) return;
    MainWindow w;
    Workspace* ws = w.workspace();
    qInfo("model: %s", qPrintable(model));
    ws->openModel(model);
    QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(ws->models().size()), 1, 60000);
    w.resize(1280, 760);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.editor()->setPlainText(kSentence);
    QTRY_VERIFY_WITH_TIMEOUT(ws->trace() && !ws->trace()->prediction.coreference.empty(), 60000);
    const int it = static_cast<int>(ws->trace()->prediction.coreference.front().pronoun);
    QCOMPARE(QString::fromStdString(ws->trace()->sourceTokens[static_cast<std::size_t>(it)]), QStringLiteral("it"));

    auto* arcs = qobject_cast<ArcsPanel*>(w.panelArea()->panel(QStringLiteral("arcs")));
    QVERIFY(arcs);
    w.panelArea()->showPanel(QStringLiteral("arcs"));
    QTRY_VERIFY(arcs->view()->isVisible() && !arcs->view()->data().empty());
    QTest::qWait(50);
    arcs->focusCoreference(0);  // as a click on "it → ..." does
    QTRY_COMPARE(ws->selection().row(), it);
    QTest::qWait(150);
    const QImage shot = grabSteady(w);
    QVERIFY(shot.save(shotPath("encoder-arcs.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("encoder-arcs.png")));
    QVERIFY(distinctColours(shot, QRect(arcs->view()->mapTo(&w, QPoint(0, 0)), arcs->view()->size())) > 10);

    arcs->setAllHeads(false);
    arcs->setLayoutKind(ArcsLayoutKind::Columns);
    QTest::qWait(150);
    QVERIFY(grabSteady(w).save(shotPath("encoder-arcs-columns.png")));
    arcs->setLayoutKind(ArcsLayoutKind::Text);

    auto* grid = qobject_cast<HeadsGridPanel*>(w.panelArea()->panel(QStringLiteral("headsGrid")));
    QVERIFY(grid);
    w.panelArea()->showPanel(QStringLiteral("headsGrid"));
    QTRY_VERIFY(grid->canvas()->isVisible() && grid->canvas()->width() > 100);
    QTest::mouseClick(grid->canvas(), Qt::LeftButton, {}, grid->thumbnailCenter(0, 1).toPoint());
    QTRY_COMPARE(ws->selection().layer(), 0);  // another head shown: the coreference head keeps its own mark
    QTest::qWait(150);
    const QImage heads = grabSteady(w);
    QVERIFY(heads.save(shotPath("encoder-heads.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("encoder-heads.png")));
    QVERIFY(distinctColours(heads, QRect(grid->canvas()->mapTo(&w, QPoint(0, 0)), grid->canvas()->size())) > 20);

    w.panelArea()->showPanel(QStringLiteral("heatmap"));
    QTest::qWait(150);
    QVERIFY(grabSteady(w).save(shotPath("encoder-attention.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("encoder-attention.png")));

    // Maps of this trace: rollout (mean, lowest half of each row discarded) beside the raw maps and the heads.
    ws->setRolloutFusion(attnviz::RolloutFusion::Mean);
    ws->setRolloutDiscard(0.5);
    ws->selection().setLayerHead(0, 1);
    ws->selection().clearCell();
    auto* compare = qobject_cast<ComparePanel*>(w.panelArea()->panel(QStringLiteral("compare")));
    QVERIFY(compare);
    w.resize(1440, 800);  // wider than the other tabs: room for the four maps' titles
    w.panelArea()->showPanel(QStringLiteral("compare"));
    compare->setTraceMaps(true);
    compare->setDifference(-1, -1);  // the four maps alone: room for their titles
    QTRY_COMPARE(static_cast<int>(compare->comparison().rows.size()), 4);
    QTest::qWait(150);
    const QImage maps = grabSteady(w);
    QVERIFY(maps.save(shotPath("encoder-compare-maps.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("encoder-compare-maps.png")));
    QVERIFY(distinctColours(maps, QRect(compare->view()->mapTo(&w, QPoint(0, 0)), compare->view()->size())) > 20);
  }
};

QTEST_MAIN(TestScreenshotEncoder)
#include "test_screenshot_encoder.moc"
