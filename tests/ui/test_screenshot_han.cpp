// Screenshots of the han tabs, grabbed offscreen into $ATTNVIZ_SHOT_DIR (default /tmp) for people to look at:
// han-saliency.png (the saliency tab on resources/samples/review-positive.txt with a sentence hovered, its
// word chart beside) and han-occlusion.png (attention | occlusion with Kendall tau, once the background job
// has finished), han-heatmap.png (the sentences x words heatmap). Model: $ATTNVIZ_HAN_MODEL, else the shipped
// models/han-movie-reviews, else the fake han model (a failure instead with ATTNVIZ_SHOT_REQUIRE_SHIPPED=1).
// resources/screenshots/make_screenshots.sh copies the three into resources/screenshots/. Checks the grabs are not blank.
#include <QFile>
#include <QImage>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QtTest>

#include "tests/ui/fake_han.h"
#include "tests/ui/fake_model.h"
#include "tests/ui/test_screenshot_support.h"
#include "ui/shell/main_window.h"
#include "ui/kinds/han/occlusion_panel.h"
#include "ui/panels/panel_area.h"
#include "ui/kinds/han/saliency_panel.h"
#include "ui/kinds/han/sentence_chart_panel.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;

using attnviz::test::distinctColours;
using attnviz::test::grabSteady;
using attnviz::test::shotPath;

namespace {

constexpr int kHoveredSentence = 3;  // "The two leads are wonderful together, ..."

// Empty: the fake han model.
QString modelPath() {
  const QString env = qEnvironmentVariable("ATTNVIZ_HAN_MODEL");
  if (!env.isEmpty()) return env;
  return attnviz::test::shotModel("models/han-movie-reviews", "attnviz.json", QString());
}

}  // namespace

class TestScreenshotHan : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void grabSaliencyAndOcclusion() {
    MainWindow w;
    Workspace* ws = w.workspace();
    const QString path = modelPath();
    if (QTest::currentTestFailed()) return;
    if (path.isEmpty()) {
      ws->addModel(std::make_shared<attnviz::test::FakeHan>(), QStringLiteral("fake:han"));
    } else {
      ws->openModel(path);
      QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(ws->models().size()), 1, 60000);
    }
    qInfo("model: %s", qPrintable(path.isEmpty() ? QStringLiteral("fake han") : path));
    w.resize(1440, 940);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.openTextFile(QStringLiteral(ATTNVIZ_SOURCE_DIR "/resources/samples/review-positive.txt")));
    QTRY_VERIFY_WITH_TIMEOUT(ws->trace() && ws->trace()->sentences.size() == 10, 30000);
    auto* saliency = qobject_cast<SaliencyPanel*>(w.panelArea()->panel(QStringLiteral("saliency")));
    QVERIFY(saliency);
    QTRY_VERIFY_WITH_TIMEOUT(ws->occlusionFor(ws->trace()), 120000);  // the tooltip and figure show its effects
    SaliencyView* view = saliency->view();
    QTest::mouseMove(view->canvas(), view->wordCenter(0, kHoveredSentence, 4).toPoint());
    QTRY_COMPARE(ws->selection().sentence(), kHoveredSentence);
    QTest::qWait(150);
    const QImage first = grabSteady(w);
    QVERIFY(first.save(shotPath("han-saliency.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("han-saliency.png")));
    QVERIFY(distinctColours(first, QRect(view->mapTo(&w, QPoint(0, 0)), view->size())) > 20);

    w.panelArea()->showPanel(QStringLiteral("occlusion"));
    auto* occlusion = qobject_cast<OcclusionPanel*>(w.panelArea()->panel(QStringLiteral("occlusion")));
    QTRY_VERIFY(occlusion->view()->isVisible() && occlusion->view()->document().occlusion.has_value());
    QTest::qWait(150);
    const QImage second = grabSteady(w);
    QVERIFY(second.save(shotPath("han-occlusion.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("han-occlusion.png")));
    QVERIFY(distinctColours(second, QRect(occlusion->view()->mapTo(&w, QPoint(0, 0)), occlusion->view()->size())) > 20);

    // The sentences x words heatmap of the same document.
    w.panelArea()->showPanel(QStringLiteral("heatmap"));
    QTest::qWait(150);
    const QImage third = grabSteady(w);
    QVERIFY(third.save(shotPath("han-heatmap.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("han-heatmap.png")));
    Panel* heatmap = w.panelArea()->panel(QStringLiteral("heatmap"));
    QVERIFY(distinctColours(third, QRect(heatmap->mapTo(&w, QPoint(0, 0)), heatmap->size())) > 20);

    // The figures a paper would take: the whole document, both views.
    QVERIFY(exportFigure(shotPath("han-saliency-figure.png"), {FigureFormat::Png, saliency->figureSize(), 96, {}},
                         [saliency](QPainter& p, const QRectF& r) { saliency->paintFigure(p, r); }).ok);
    QVERIFY(exportFigure(shotPath("han-occlusion-figure.png"), {FigureFormat::Png, occlusion->figureSize(), 96, {}},
                         [occlusion](QPainter& p, const QRectF& r) { occlusion->paintFigure(p, r); }).ok);
  }
};

QTEST_MAIN(TestScreenshotHan)
#include "test_screenshot_han.moc"
