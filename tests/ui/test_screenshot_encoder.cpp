// Screenshots of the encoder tabs on the random-weight tests/data/tiny-encoder with "The animal didn't cross the
// street because it was too tired.", grabbed offscreen into $ATTNVIZ_SHOT_DIR (default /tmp) for people to look
// at: encoder-arcs.png (Arcs tab, all heads, "it" hovered), encoder-arcs-columns.png (two columns, one head),
// encoder-heads.png (All heads tab), encoder-attention.png (heatmap with the head entropy chart beside).
// resources/screenshots/ holds copies of encoder-arcs.png and encoder-heads.png. Checks the grabs are not blank.
#include <QDir>
#include <QImage>
#include <QPlainTextEdit>
#include <QSet>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "ui/arcs_panel.h"
#include "ui/heads_grid_panel.h"
#include "ui/main_window.h"
#include "ui/panel_area.h"
#include "ui/workspace.h"

using namespace attnviz::ui;

namespace {

constexpr int kIt = 10;  // [CLS] the animal didn ' t cross the street because it ...

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

class TestScreenshotEncoder : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void grabEncoderTabs() {
    MainWindow w;
    Workspace* ws = w.workspace();
    ws->openModel(attnviz::test::testDataDir() + QStringLiteral("/tiny-encoder"));
    QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(ws->models().size()), 1, 20000);
    w.resize(1280, 760);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.editor()->setPlainText(QStringLiteral("The animal didn't cross the street because it was too tired."));
    QTRY_VERIFY_WITH_TIMEOUT(ws->trace() && ws->trace()->sourceTokens.size() > kIt, 20000);
    QCOMPARE(QString::fromStdString(ws->trace()->sourceTokens[kIt]), QStringLiteral("it"));

    auto* arcs = qobject_cast<ArcsPanel*>(w.panelArea()->panel(QStringLiteral("arcs")));
    QVERIFY(arcs);
    w.panelArea()->showPanel(QStringLiteral("arcs"));
    QTRY_VERIFY(arcs->view()->isVisible() && !arcs->view()->data().empty());
    arcs->setAllHeads(true);
    QTest::qWait(50);
    QTest::mouseMove(arcs->view()->canvas(), arcs->view()->groupCenter(kIt).toPoint());
    QTRY_COMPARE(ws->selection().row(), kIt);
    QTest::qWait(150);
    const QImage shot = w.grab().toImage();
    QVERIFY(shot.save(shotPath("encoder-arcs.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("encoder-arcs.png")));
    QVERIFY(distinctColours(shot, QRect(arcs->view()->mapTo(&w, QPoint(0, 0)), arcs->view()->size())) > 10);

    arcs->setAllHeads(false);
    arcs->setLayoutKind(ArcsLayoutKind::Columns);
    QTest::qWait(150);
    QVERIFY(w.grab().toImage().save(shotPath("encoder-arcs-columns.png")));
    arcs->setLayoutKind(ArcsLayoutKind::Text);

    auto* grid = qobject_cast<HeadsGridPanel*>(w.panelArea()->panel(QStringLiteral("headsGrid")));
    QVERIFY(grid);
    w.panelArea()->showPanel(QStringLiteral("headsGrid"));
    QTRY_VERIFY(grid->canvas()->isVisible() && grid->canvas()->width() > 100);
    QTest::mouseClick(grid->canvas(), Qt::LeftButton, {}, grid->thumbnailCenter(1, 0).toPoint());
    QTRY_COMPARE(ws->selection().layer(), 1);
    QTest::qWait(150);
    const QImage heads = w.grab().toImage();
    QVERIFY(heads.save(shotPath("encoder-heads.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("encoder-heads.png")));
    QVERIFY(distinctColours(heads, QRect(grid->canvas()->mapTo(&w, QPoint(0, 0)), grid->canvas()->size())) > 20);

    w.panelArea()->showPanel(QStringLiteral("heatmap"));
    QTest::qWait(150);
    QVERIFY(w.grab().toImage().save(shotPath("encoder-attention.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("encoder-attention.png")));
  }
};

QTEST_MAIN(TestScreenshotEncoder)
#include "test_screenshot_encoder.moc"
