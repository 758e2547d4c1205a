// Screenshot: the main window as a user first sees it, grabbed offscreen to $ATTNVIZ_SHOT (default
// /tmp/attnviz-shot.png) for people to look at; resources/screenshots/main-window.png is one of these
// (resources/screenshots/make_screenshots.sh). The shipped coreference model models/coref-bert on the first line
// of resources/samples/coref-animal.txt, its coreference head shown, the cell "it" -> its antecedent focused.
// Without that model: the random-weight tests/data/tiny-encoder on "the movie was not bad at all" ("not" -> "bad"),
// else the fake model (a failure instead with ATTNVIZ_SHOT_REQUIRE_SHIPPED=1). Also checks the grab is not blank.
// The same window at 1280x720 (main-window-1280x720.png) and its heatmap exported as a paper figure at one column
// (8.5 cm, 7 pt, 600 dpi: figure-one-column.png) go to $ATTNVIZ_SHOT_DIR, as a user would save them.
#include <QFile>
#include <QImage>
#include <QPlainTextEdit>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "ui/export/figure_export.h"
#include "ui/export/figure_style.h"
#include "tests/ui/test_screenshot_support.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/shell/main_window.h"
#include "ui/panels/panel_area.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;
using attnviz::test::grabSteady;

namespace {

const QString kSample = QStringLiteral(ATTNVIZ_SOURCE_DIR "/resources/samples/coref-animal.txt");
const QString kTinySentence = QStringLiteral("the movie was not bad at all");

QString firstLine(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) return {};
  return QString::fromUtf8(f.readLine()).trimmed();
}

}  // namespace

class TestScreenshot : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void grabMainWindow() { grabAt(QSize(1440, 900), qEnvironmentVariable("ATTNVIZ_SHOT", QStringLiteral("/tmp/attnviz-shot.png"))); }

  void grabAt1280x720() { grabAt(QSize(1280, 720), shotDir() + QStringLiteral("/main-window-1280x720.png")); }

 private:
  static QString shotDir() { return qEnvironmentVariable("ATTNVIZ_SHOT_DIR", QStringLiteral("/tmp")); }

  // The window at `size` on the sample, the pronoun -> antecedent cell focused, grabbed to `path`; at 1440x900 the
  // heatmap is also exported as a one-column paper figure.
  void grabAt(QSize size, const QString& path) {
    const QString tiny = attnviz::test::testDataDir() + QStringLiteral("/tiny-encoder");
    const QString fallback = QFileInfo::exists(tiny + QStringLiteral("/attnviz.json")) ? tiny : QStringLiteral("fake:encoder");
    const QString model = attnviz::test::shotModel("models/coref-bert", "model.safetensors", fallback);
    if (QTest::currentTestFailed()) return;
    const bool shipped = model.endsWith(QLatin1String("/models/coref-bert"));
    const QString sentence = shipped ? firstLine(kSample) : kTinySentence;
    QVERIFY2(!sentence.isEmpty(), qPrintable(kSample));
    qInfo("model: %s", qPrintable(model));

    MainWindow w;
    Workspace* ws = w.workspace();
    ws->setLoader(attnviz::test::fakeLoader());
    ws->openModel(model);
    w.resize(size);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(ws->models().size()), 1, 60000);
    w.editor()->setPlainText(sentence);
    QTRY_VERIFY_WITH_TIMEOUT(ws->trace() && QString::fromStdString(ws->trace()->input) == sentence, 60000);
    auto* panel = qobject_cast<HeatmapPanel*>(w.panelArea()->panel(QStringLiteral("heatmap")));
    QVERIFY(panel);
    QTRY_VERIFY(panel->view()->isVisible() && !panel->view()->data().empty());
    if (shipped) {  // the pronoun's row, its antecedent's column, in the coreference head the model opens on
      QVERIFY(!ws->trace()->prediction.coreference.empty());
      const attnviz::CoreferenceLink& link = ws->trace()->prediction.coreference.front();
      ws->selection().setCell(static_cast<int>(link.pronoun), static_cast<int>(link.antecedent));
    } else {
      ws->selection().setCell(4, 5);  // "not" -> "bad" in the tiny encoder's tokenizer ([CLS] first)
    }
    QTest::qWait(150);

    const QImage shot = grabSteady(w);
    QVERIFY(shot.save(path));
    qInfo("screenshot: %s (%dx%d)", qPrintable(path), shot.width(), shot.height());

    // Not blank: the heatmap area holds many distinct colours.
    const QRect area(panel->view()->mapTo(&w, QPoint(0, 0)), panel->view()->size());
    const int colours = attnviz::test::distinctColours(shot, area, 5);
    QVERIFY2(colours > 20, qPrintable(QString::number(colours)));

    if (size != QSize(1440, 900)) return;
    // The export dialog's "Paper, one column (8.5 cm)" preset: 8.5 cm wide at the map's own shape, 7 pt, 600 dpi.
    const QSizeF natural = panel->figureSize();
    const double width = 8.5 / 2.54 * 96;
    FigureStyle style;
    style.fontPoints = 7;
    const QString figure = shotDir() + QStringLiteral("/figure-one-column.png");
    const int index = static_cast<int>(std::find(w.panelArea()->panels().begin(), w.panelArea()->panels().end(), panel) -
                                       w.panelArea()->panels().begin());
    const SaveResult saved = w.exportFigureTo(
        figure, FigureOptions{FigureFormat::Png, QSizeF(width, width * natural.height() / natural.width()), 600, {}}, index, style);
    QVERIFY2(saved, qPrintable(saved.error));
    qInfo("figure: %s", qPrintable(figure));
  }
};

QTEST_MAIN(TestScreenshot)
#include "test_screenshot.moc"
