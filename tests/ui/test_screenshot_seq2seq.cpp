// Screenshots of the seq2seq tabs, grabbed offscreen into $ATTNVIZ_SHOT_DIR (default /tmp) for people to
// look at: seq2seq-alignment.png (alignment heatmap with a hand-made gold sentence from
// resources/samples, argmax dots, bar chart, beam list) and compare-variants.png (the comparison grid,
// every variant on the same gold target, with the sentence and sample-set AER in the metrics table).
// Models: $ATTNVIZ_SEQ2SEQ_MODELS (colon-separated package paths, the grid's order), else the six shipped
// models/seq2seq-* (bahdanau, luong-dot, luong-general, luong-concat, scaled-dot, local-p), else the tiny
// tests/data/tiny-seq2seq-* packages, else fake models (a missing shipped model fails instead with
// ATTNVIZ_SHOT_REQUIRE_SHIPPED=1). resources/screenshots/make_screenshots.sh copies both grabs into
// resources/screenshots/. Also checks that the grabs are not blank.
#include <QImage>
#include <QPainter>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "tests/ui/fake_seq2seq.h"
#include "tests/ui/test_screenshot_support.h"
#include "ui/alignment/alignment_panel.h"
#include "ui/compare/compare_panel.h"
#include "ui/compare/compare_view.h"
#include "ui/export/figure_export.h"
#include "ui/alignment/gold_bar.h"
#include "ui/shell/main_window.h"
#include "ui/panels/panel_area.h"
#include "ui/document/workspace.h"
#include "ui/alignment/seq2seq_extension.h"

using namespace attnviz::ui;

using attnviz::test::distinctColours;
using attnviz::test::grabSteady;
using attnviz::test::shotPath;

namespace {

constexpr int kDemoSentence = 3;  // "the cat is sleeping on the bed ." in resources/samples/demo.*

// Empty: fake models (or a missing shipped model with ATTNVIZ_SHOT_REQUIRE_SHIPPED=1, the test failed).
QStringList modelPaths() {
  const QString env = qEnvironmentVariable("ATTNVIZ_SEQ2SEQ_MODELS");
  if (!env.isEmpty()) return env.split(QLatin1Char(':'), Qt::SkipEmptyParts);
  QStringList shipped;
  for (const char* v : {"bahdanau", "luong-dot", "luong-general", "luong-concat", "scaled-dot", "local-p"}) {
    const QByteArray relative = QByteArray("models/seq2seq-") + v;
    const QString p = attnviz::test::shotModel(relative.constData(), "attnviz.json", QString());
    if (QTest::currentTestFailed()) return {};
    if (p.isEmpty()) break;
    shipped << p;
  }
  if (shipped.size() == 6) return shipped;
  QStringList tiny;
  for (const char* v : {"bahdanau", "luong-dot", "local-p"}) {
    const QString p = attnviz::test::testDataDir() + QStringLiteral("/tiny-seq2seq-") + QLatin1String(v);
    if (QFileInfo::exists(p + QStringLiteral("/attnviz.json"))) tiny << p;
  }
  return tiny;
}

}  // namespace

class TestScreenshotSeq2seq : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void grabAlignmentAndComparison() {
    MainWindow w;
    Workspace* ws = w.workspace();
    const QStringList paths = modelPaths();
    if (QTest::currentTestFailed()) return;
    qInfo("models: %s", qPrintable(paths.isEmpty() ? QStringLiteral("fake seq2seq") : paths.join(QLatin1Char(' '))));
    if (paths.isEmpty()) {
      for (const char* v : {"bahdanau", "luong-dot", "local-p"})
        ws->addModel(std::make_shared<attnviz::test::FakeSeq2seq>(attnviz::test::FakeSeq2seq::Options{.variant = v}),
                     QStringLiteral("fake:") + QLatin1String(v));
    } else {
      for (int i = 0; i < paths.size(); ++i) {  // one after the other: the order of the list is the grid's
        ws->openModel(paths[i]);
        QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(ws->models().size()), i + 1, 60000);
      }
    }
    ws->setCurrentIndex(0);
    w.resize(1440, 1000);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));

    auto* alignment = qobject_cast<AlignmentPanel*>(w.panelArea()->panel(QStringLiteral("alignment")));
    QVERIFY(alignment);
    const QString samples = QStringLiteral(ATTNVIZ_SOURCE_DIR "/resources/samples/");
    QVERIFY(alignment->goldBar()->loadFiles(samples + QStringLiteral("demo.wa"), samples + QStringLiteral("demo.e"),
                                            samples + QStringLiteral("demo.f")));
    ws->extension<Seq2seqExtension>().useGoldSentence(kDemoSentence);
    QTRY_VERIFY_WITH_TIMEOUT(ws->trace() && ws->extension<Seq2seqExtension>().activeGoldSentence() == kDemoSentence, 30000);
    QTRY_VERIFY(!alignment->view()->data().empty());
    ws->selection().setCell(1, 1);  // "chat" -> "cat"
    QTest::qWait(100);
    const QImage first = grabSteady(w);
    QVERIFY(first.save(shotPath("seq2seq-alignment.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("seq2seq-alignment.png")));
    const QRect heat(alignment->view()->mapTo(&w, QPoint(0, 0)), alignment->view()->size());
    QVERIFY(distinctColours(first, heat) > 20);

    // The comparison: every open variant force-decoded on the gold target, with the AER over the sample set.
    QList<int> all;
    for (int i = 0; i < static_cast<int>(ws->models().size()); ++i) all << i;
    ws->setCompared(all);
    QSignalSpy corpus(&ws->extension<Seq2seqExtension>().corpusAerRunner(), &CorpusAerRunner::finished);
    ws->extension<Seq2seqExtension>().startCorpusAer();
    QTRY_COMPARE_WITH_TIMEOUT(corpus.count(), 1, 120000);
    w.panelArea()->showPanel(QStringLiteral("compare"));
    auto* compare = qobject_cast<ComparePanel*>(w.panelArea()->panel(QStringLiteral("compare")));
    QTRY_VERIFY_WITH_TIMEOUT(static_cast<int>(compare->view()->figure().maps.size()) == all.size() &&
                                 std::all_of(ws->comparedTraces().begin(), ws->comparedTraces().end(), [](const TracePtr& t) { return t != nullptr; }),
                             60000);
    QTRY_VERIFY(!compare->view()->figure().maps.front().empty());
    ws->selection().setCell(1, 1);
    QTest::qWait(100);
    const QImage second = grabSteady(w);
    QVERIFY(second.save(shotPath("compare-variants.png")));
    qInfo("screenshot: %s", qPrintable(shotPath("compare-variants.png")));
    const QRect grid(compare->view()->mapTo(&w, QPoint(0, 0)), compare->view()->size());
    QVERIFY(distinctColours(second, grid) > 20);

    // The figures a paper would take: the grid at its natural size, the bar chart as on screen.
    const QSizeF natural = CompareFigurePainter::naturalSize(compare->view()->figure());
    QVERIFY(exportFigure(shotPath("compare-figure.png"), {FigureFormat::Png, natural, 96, {}},
                         [compare](QPainter& p, const QRectF& r) { compare->paintFigure(p, r); }).ok);
    w.panelArea()->showPanel(QStringLiteral("alignment"));
    Panel* chart = w.panelArea()->panel(QStringLiteral("attentionChart"));
    QTRY_VERIFY(chart->isVisible());
    QVERIFY(exportFigure(shotPath("attention-chart.png"), {FigureFormat::Png, chart->figureSize(), 96, {}},
                         [chart](QPainter& p, const QRectF& r) { chart->paintFigure(p, r); }).ok);
  }
};

QTEST_MAIN(TestScreenshotSeq2seq)
#include "test_screenshot_seq2seq.moc"
