// Screenshot: the main window with the tiny encoder (or the fake model when the package is missing),
// a sentence typed and a cell focused, grabbed offscreen to $ATTNVIZ_SHOT (default
// /tmp/attnviz-shot.png) for people to look at; resources/screenshots/main-window.png is one of these.
// Also checks that the grab is not blank.
#include <QImage>
#include <QPlainTextEdit>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "ui/heatmap_panel.h"
#include "ui/main_window.h"
#include "ui/panel_area.h"
#include "ui/workspace.h"

using namespace attnviz::ui;

class TestScreenshot : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void grabMainWindow() {
    MainWindow w;
    Workspace* ws = w.workspace();
    ws->setLoader(attnviz::test::fakeLoader());
    const QString tiny = attnviz::test::testDataDir() + QStringLiteral("/tiny-encoder");
    const bool real = QFileInfo::exists(tiny + QStringLiteral("/attnviz.json"));
    ws->openModel(real ? tiny : QStringLiteral("fake:encoder"));
    w.resize(1180, 760);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(ws->models().size()), 1, 20000);
    QTest::keyClicks(w.editor(), QStringLiteral("the movie was not bad at all"));
    QTRY_VERIFY_WITH_TIMEOUT(ws->trace() && ws->trace()->input == "the movie was not bad at all", 20000);
    auto* panel = qobject_cast<HeatmapPanel*>(w.panelArea()->panels().front());
    QTRY_VERIFY(!panel->view()->data().empty());
    ws->selection().setCell(4, 5);  // "not" -> "bad" in the real tokenizer ([CLS] first)
    QTest::qWait(50);

    const QImage shot = w.grab().toImage();
    const QString path = qEnvironmentVariable("ATTNVIZ_SHOT", QStringLiteral("/tmp/attnviz-shot.png"));
    QVERIFY(shot.save(path));
    qInfo("screenshot: %s (%dx%d)", qPrintable(path), shot.width(), shot.height());

    // Not blank: the heatmap area holds many distinct colours.
    const QRect area(panel->view()->mapTo(&w, QPoint(0, 0)), panel->view()->size());
    QSet<QRgb> colours;
    for (int y = area.top(); y < area.bottom(); y += 5)
      for (int x = area.left(); x < area.right(); x += 5) colours.insert(shot.pixel(x, y));
    QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
  }
};

QTEST_MAIN(TestScreenshot)
#include "test_screenshot.moc"
