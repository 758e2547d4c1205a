// Screenshots of the han tabs, grabbed offscreen into $ATTNVIZ_SHOT_DIR (default /tmp) for people to look at:
// han-saliency.png (the saliency tab on resources/samples/review-positive.txt with a sentence hovered, its
// word chart beside) and han-occlusion.png (attention | occlusion with Kendall tau, once the background job
// has finished), han-heatmap.png (the sentences x words heatmap). Model: $ATTNVIZ_HAN_MODEL, else models/han-movie-reviews when it has been trained, else the
// fake han model. resources/screenshots/ holds grabs made with the trained model. Checks the grabs are not blank.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QPlainTextEdit>
#include <QSet>
#include <QSignalSpy>
#include <QtTest>

#include "tests/ui/fake_han.h"
#include "tests/ui/fake_model.h"
#include "ui/main_window.h"
#include "ui/occlusion_panel.h"
#include "ui/panel_area.h"
#include "ui/saliency_panel.h"
#include "ui/sentence_chart_panel.h"
#include "ui/workspace.h"

using namespace attnviz::ui;

namespace {

constexpr int kHoveredSentence = 3;  // "The two leads are wonderful together, ..."

QString modelPath() {
  const QString env = qEnvironmentVariable("ATTNVIZ_HAN_MODEL");
  if (!env.isEmpty()) return env;
  const QString trained = QStringLiteral(ATTNVIZ_SOURCE_DIR "/models/han-movie-reviews");
  return QFileInfo::exists(trained + QStringLiteral("/attnviz.json")) ? trained : QString();
}

int distinctColours(const QImage& shot, const QRect& area) {
  QSet<QRgb> colours;
  for (int y = area.top(); y < area.bottom(); y += 3)
    for (int x = area.left(); x < area.right(); x += 3) colours.insert(shot.pixel(x, y));
  return static_cast<int>(colours.size());
}

QString shotPath(const char* name) {
  return QDir(qEnvironmentVariable("ATTNVIZ_SHOT_DIR", QStringLiteral("/tmp"))).filePath(QString::fromLatin1(name));
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
    const QImage first = w.grab().toImage();
    QVERIFY(first.save(shotPath("han-saliency.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("han-saliency.png")));
    QVERIFY(distinctColours(first, QRect(view->mapTo(&w, QPoint(0, 0)), view->size())) > 20);

    w.panelArea()->showPanel(QStringLiteral("occlusion"));
    auto* occlusion = qobject_cast<OcclusionPanel*>(w.panelArea()->panel(QStringLiteral("occlusion")));
    QTRY_VERIFY(occlusion->view()->isVisible() && occlusion->view()->document().occlusion.has_value());
    QTest::qWait(150);
    const QImage second = w.grab().toImage();
    QVERIFY(second.save(shotPath("han-occlusion.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("han-occlusion.png")));
    QVERIFY(distinctColours(second, QRect(occlusion->view()->mapTo(&w, QPoint(0, 0)), occlusion->view()->size())) > 20);

    // The sentences x words heatmap of the same document, the hovered word still focused.
    w.panelArea()->showPanel(QStringLiteral("heatmap"));
    QTest::qWait(150);
    const QImage third = w.grab().toImage();
    QVERIFY(third.save(shotPath("han-heatmap.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("han-heatmap.png")));

    // The figures a paper would take: the whole document, both views.
    QVERIFY(exportFigure(shotPath("han-saliency-figure.png"), {FigureFormat::Png, saliency->figureSize(), 96, {}},
                         [saliency](QPainter& p, const QRectF& r) { saliency->paintFigure(p, r); }).ok);
    QVERIFY(exportFigure(shotPath("han-occlusion-figure.png"), {FigureFormat::Png, occlusion->figureSize(), 96, {}},
                         [occlusion](QPainter& p, const QRectF& r) { occlusion->paintFigure(p, r); }).ok);
  }
};

QTEST_MAIN(TestScreenshotHan)
#include "test_screenshot_han.moc"
