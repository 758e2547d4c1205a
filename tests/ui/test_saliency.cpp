// The han saliency tab with a deterministic fake han model: hovering a sentence (its bar) charts its word
// weights and writes the Selection, hovering a word shows its weight (and its occlusion effect once computed),
// the heatmap's han "word" map is linked both ways, the sentence-mode control reaches RunOptions, .txt files
// open into the input (menu action and drop), a 250-sentence document lays out once and scrolls, compared han
// variants fill the comparison and the chart, and the panels export as SVG, PDF and PNG (the whole document).
#include <QComboBox>
#include <QElapsedTimer>
#include <QImage>
#include <QMimeData>
#include <QPainter>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/fake_han.h"
#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/compare/compare_panel.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/shell/main_window.h"
#include "ui/kinds/han/occlusion_panel.h"
#include "ui/panels/panel_area.h"
#include "ui/kinds/han/saliency_panel.h"
#include "ui/kinds/han/sentence_chart_panel.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;
using attnviz::test::FakeHan;

namespace {

const char* const kReview =
    "The plot was dull and the pacing was awful.\n"
    "But the acting is superb and the score is wonderful.\n"
    "I loved the final scene.\n"
    "Overall a good film with a bad first hour.";

void settle() {
  QCoreApplication::sendPostedEvents();
  QCoreApplication::processEvents();
  QTest::qWait(30);
  QCoreApplication::processEvents();
}

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString longDocument(int sentences) {
  QStringList lines;
  const QStringList fillers{QStringLiteral("the film was great and the cast was good ."), QStringLiteral("some scenes felt dull and slow ."),
                            QStringLiteral("a wonderful score carries the long middle part of the story that follows the two brothers ."),
                            QStringLiteral("the worst moment is the ending .")};
  for (int i = 0; i < sentences; ++i) lines << fillers[i % fillers.size()];
  return lines.join(QLatin1Char('\n'));
}

}  // namespace

class TestSaliency : public attnviz::test::WindowTest {
  Q_OBJECT

  std::shared_ptr<FakeHan> model_;

  SaliencyPanel* saliency() { return panel<SaliencyPanel>("saliency"); }

  void type(const QString& text) {
    w_->editor()->setPlainText(text);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace() && QString::fromStdString(ws_->trace()->input) == text, 10000);
    QTRY_VERIFY(!saliency()->view()->document().empty());
    settle();
  }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void init() {
    createWindow();
    model_ = std::make_shared<FakeHan>();
    ws_->addModel(model_, QStringLiteral("fake:han"));
    QVERIFY(showWindow());
    type(QString::fromLatin1(kReview));
  }

  void cleanup() {
    closeWindow();
    model_.reset();
  }

  void hanGetsItsPanels() {
    QVERIFY(saliency());
    QVERIFY(panel<SentenceChartPanel>("sentenceChart"));
    QVERIFY(panel<OcclusionPanel>("occlusion"));
    QVERIFY(panel<HeatmapPanel>("heatmap"));
    QVERIFY(panel<ComparePanel>("compare"));
    const HanDocument& doc = saliency()->view()->document();
    QCOMPARE(doc.sentenceCount(), 4);  // Auto: one sentence per line
    QCOMPARE(doc.words[2].join(QLatin1Char(' ')), QStringLiteral("i loved the final scene ."));
    QCOMPARE(doc.label, QStringLiteral("positive"));
    QCOMPARE(model_->lastSentenceMode(), attnviz::SentenceMode::Auto);
  }

  void hoverSentenceChartsItsWords() {
    SaliencyView* view = saliency()->view();
    auto* chart = panel<SentenceChartPanel>("sentenceChart");
    QCOMPARE(chart->shownSentence(), -1);
    QSignalSpy cells(&ws_->selection(), &Selection::cellChanged);
    QTest::mouseMove(view->canvas(), view->sentenceBarCenter(0, 2).toPoint());
    QTRY_COMPARE(ws_->selection().sentence(), 2);
    QCOMPARE(ws_->selection().row(), 2);
    QCOMPARE(ws_->selection().column(), -1);
    QCOMPARE(cells.count(), 1);  // no bounce
    QTRY_COMPARE(chart->shownSentence(), 2);
    QCOMPARE(chart->shown().cols, 6);  // "i loved the final scene ."
    QCOMPARE(chart->shown().colLabels.value(1), QStringLiteral("loved"));
    QCOMPARE(chart->shown().at(0, 1), ws_->trace()->raggedAttention.at("word")[2].data()[1]);
    QCOMPARE(view->saliencyStyle().highlightSentence, 2);
    QVERIFY(view->toolTipAt(view->sentenceBarCenter(0, 2)).startsWith(QStringLiteral("sentence 3: attention ")));
  }

  void hoverWordShowsItsWeight() {
    SaliencyView* view = saliency()->view();
    const QPointF loved = view->wordCenter(0, 2, 1);
    QTest::mouseMove(view->canvas(), loved.toPoint());
    QTRY_COMPARE(ws_->selection().row(), 2);
    QCOMPARE(ws_->selection().column(), 1);
    QCOMPARE(ws_->selection().sentence(), 2);
    const float weight = ws_->trace()->raggedAttention.at("word")[2].data()[1];
    QTRY_VERIFY(ws_->occlusionFor(ws_->trace()) != nullptr);  // fast here: computed in the background already
    const QString tip = view->toolTipAt(loved);
    QVERIFY2(tip.startsWith(QStringLiteral("“loved” — sentence 3, word 2\nattention %1 within its sentence").arg(weight, 0, 'f', 3)),
             qPrintable(tip));
    const float effect = ws_->occlusionFor(ws_->trace())->word[2][1];
    QVERIFY(effect > 0);  // "loved" supports "positive"
    QVERIFY2(tip.contains(QStringLiteral("occlusion +%1: without it p(positive) falls by").arg(effect, 0, 'f', 4)), qPrintable(tip));
    // The editor shades the same word (flat token index 2 sentences in).
    QTRY_COMPARE(w_->editor()->extraSelections().size(), 1);
    QCOMPARE(w_->editor()->extraSelections().front().cursor.selectedText(), QStringLiteral("loved"));
    // Leaving clears the cell but keeps the sentence (the chart stays).
    QTest::mouseMove(view->canvas(), QPoint(view->canvas()->width() - 5, static_cast<int>(view->layoutNow().height) + 4));
    QTRY_COMPARE(ws_->selection().row(), -1);
    QCOMPARE(ws_->selection().sentence(), 2);
  }

  void heatmapAndSaliencyAreLinked() {
    w_->panelArea()->showPanel(QStringLiteral("heatmap"));
    auto* heatmap = panel<HeatmapPanel>("heatmap");
    QTRY_VERIFY(heatmap->view()->isVisible());
    settle();
    const HeatmapData& d = heatmap->view()->data();
    QCOMPARE(heatmap->mapName(), QStringLiteral("word"));
    QCOMPARE(d.rows, 4);
    QCOMPARE(d.cols, 11);  // "but the acting is superb and the score is wonderful ."
    QCOMPARE(d.colLabelAt(2, 1), QStringLiteral("loved"));
    QVERIFY(std::isnan(d.at(2, 7)));  // past the end of sentence 3
    QVERIFY(d.rowLabels[2].startsWith(QStringLiteral("3 · i loved")));
    QTest::mouseMove(heatmap->view(), heatmap->view()->cellCenter(2, 1).toPoint());
    QTRY_COMPARE(ws_->selection().row(), 2);
    QCOMPARE(ws_->selection().column(), 1);
    QCOMPARE(saliency()->view()->saliencyStyle().highlightSentence, 2);
    QCOMPARE(saliency()->view()->saliencyStyle().highlightWord, 1);
    QVERIFY(heatmap->view()->toolTipAt(heatmap->view()->cellCenter(2, 1)).startsWith(QStringLiteral("3 · i loved")));
    QVERIFY(heatmap->view()->toolTipAt(heatmap->view()->cellCenter(2, 7)).isEmpty());  // padding: no word
    // And back: a word hovered in the saliency panel highlights its cell.
    ws_->selection().setCell(1, 4);
    QCOMPARE(heatmap->view()->highlightRow(), 1);
    QCOMPARE(heatmap->view()->highlightCol(), 4);
  }

  void sentenceModeReachesTheModel() {
    QComboBox* mode = saliency()->sentenceModeBox();
    const QString oneLine = QStringLiteral("Great start. Awful middle! A good end.");
    type(oneLine);
    QCOMPARE(saliency()->view()->document().sentenceCount(), 3);  // Auto on one line: split by punctuation
    mode->setCurrentIndex(mode->findData(static_cast<int>(attnviz::SentenceMode::Lines)));
    emit mode->activated(mode->currentIndex());
    QTRY_COMPARE(model_->lastSentenceMode(), attnviz::SentenceMode::Lines);
    QCOMPARE(ws_->sentenceMode(), attnviz::SentenceMode::Lines);
    QTRY_COMPARE(saliency()->view()->document().sentenceCount(), 1);
    ws_->setSentenceMode(attnviz::SentenceMode::Split);  // and the control follows the Workspace
    QCOMPARE(mode->currentData().toInt(), static_cast<int>(attnviz::SentenceMode::Split));
    QTRY_COMPARE(saliency()->view()->document().sentenceCount(), 3);
  }

  void textFilesOpenIntoTheInput() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("review.txt"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("A wonderful film.\nThe best score in years.\n");
    f.close();
    QVERIFY(w_->openTextFile(path));
    QCOMPARE(w_->editor()->toPlainText(), QStringLiteral("A wonderful film.\nThe best score in years.\n"));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->sentences.size() == 2);
    QVERIFY(!w_->openTextFile(dir.filePath(QStringLiteral("missing.txt"))));

    // Dropped onto the window: loaded as the input, not opened as a model.
    const QString dropped = dir.filePath(QStringLiteral("dropped.TXT"));
    QFile g(dropped);
    QVERIFY(g.open(QIODevice::WriteOnly));
    g.write("Boring. Dull. Awful.");
    g.close();
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(dropped)});
    QDragEnterEvent enter(QPoint(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w_.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w_.get(), &drop);
    QCOMPARE(w_->editor()->toPlainText(), QStringLiteral("Boring. Dull. Awful."));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->prediction.label == std::optional<std::string>("negative"));
    QCOMPARE(static_cast<int>(ws_->models().size()), 1);
  }

  void longDocumentLaysOutOnceAndScrolls() {
    type(longDocument(250));
    SaliencyView* view = saliency()->view();
    QCOMPARE(view->document().sentenceCount(), 250);
    // One tall canvas (every sentence at least a line), scrolled in a viewport a fraction of its height.
    QVERIFY(view->canvas()->height() > 250 * view->layoutNow().lineHeight);
    QVERIFY(view->canvas()->height() > 8 * view->viewport()->height());
    const int layouts = view->layoutCount();
    QElapsedTimer timer;
    timer.start();
    for (int s = 0; s < 6; ++s) {
      QTest::mouseMove(view->canvas(), view->wordCenter(0, s, 1).toPoint());
      QTRY_COMPARE(ws_->selection().row(), s);
    }
    QCOMPARE(view->layoutCount(), layouts);  // hover repaints, never lays out again
    // Scroll to the end: the last sentence is in view and can be hovered.
    view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum());
    settle();
    const QPointF last = view->wordCenter(0, 249, 0);
    const QPoint inViewport = view->canvas()->mapTo(view->viewport(), last.toPoint());
    QVERIFY(view->viewport()->rect().contains(inViewport));
    QTest::mouseMove(view->canvas(), last.toPoint());
    QTRY_COMPARE(ws_->selection().row(), 249);
    QImage shot(view->viewport()->size(), QImage::Format_ARGB32);
    view->viewport()->render(&shot);
    qInfo("250 sentences: hover and scroll in %lld ms; %d layouts", static_cast<long long>(timer.elapsed()), view->layoutCount());
    QCOMPARE(view->layoutCount(), layouts);
    // The figure is the whole document, far taller than the view.
    QVERIFY(saliency()->figureSize().height() > view->canvas()->height());
  }

  void comparedHanVariants() {
    auto sharp = std::make_shared<FakeHan>(FakeHan::Options{.name = "fake-han", .variant = "sharp", .sharpness = 3.0f});
    ws_->addModel(sharp, QStringLiteral("fake:han-sharp"));
    ws_->setCurrentIndex(0);
    ws_->setCompared({0, 1});
    w_->panelArea()->showPanel(QStringLiteral("compare"));
    auto* compare = panel<ComparePanel>("compare");
    QTRY_VERIFY_WITH_TIMEOUT(ws_->comparedTraces().size() == 2 && ws_->comparedTraces()[0] && ws_->comparedTraces()[1], 10000);
    QTRY_COMPARE(static_cast<int>(compare->comparison().rows.size()), 2);
    const Comparison& c = compare->comparison();
    QCOMPARE(c.key.name, QStringLiteral("word"));
    QVERIFY(c.sameShape());
    QCOMPARE(c.rows[0].map.rows, 4);
    QVERIFY(c.rows[1].js.has_value() && *c.rows[1].js > 0);
    w_->panelArea()->showPanel(QStringLiteral("saliency"));
    ws_->selection().setSentence(1);
    auto* chart = panel<SentenceChartPanel>("sentenceChart");
    QTRY_COMPARE(chart->shown().rows, 2);  // one bar set per variant
  }

  void exportsTheWholeDocument() {
    QTemporaryDir dir;
    w_->panelArea()->showPanel(QStringLiteral("saliency"));
    const auto& panels = w_->panelArea()->panels();
    const int index = static_cast<int>(std::find(panels.begin(), panels.end(), saliency()) - panels.begin());
    const QSizeF size = saliency()->figureSize();
    QVERIFY(size.height() > 100 && size.width() > 300);
    const QString svg = dir.filePath(QStringLiteral("s.svg")), pdf = dir.filePath(QStringLiteral("s.pdf")),
                  png = dir.filePath(QStringLiteral("s.png"));
    QVERIFY(w_->exportFigureTo(svg, {FigureFormat::Svg, size, 96, {}}, index).ok);
    QVERIFY(w_->exportFigureTo(pdf, {FigureFormat::Pdf, size, 96, {}}, index).ok);
    QVERIFY(w_->exportFigureTo(png, {FigureFormat::Png, QSizeF(700, 400), 192, {}}, index).ok);
    const QByteArray svgBytes = readAll(svg);
    QVERIFY(svgBytes.startsWith("<?xml"));
    QVERIFY(svgBytes.contains("<svg"));
    QVERIFY(svgBytes.contains("wonderful"));  // text stays text
    QVERIFY(readAll(pdf).startsWith("%PDF"));
    QVERIFY(readAll(png).startsWith("\x89PNG"));
    const QImage image(png);
    QCOMPARE(image.size(), QSize(1400, 800));
    // Every sentence is in the figure, even those scrolled out of view: paint at natural size and look for
    // the last sentence's words in the SVG.
    type(longDocument(40));
    const QString longSvg = dir.filePath(QStringLiteral("long.svg"));
    QVERIFY(w_->exportFigureTo(longSvg, {FigureFormat::Svg, saliency()->figureSize(), 96, {}}, index).ok);
    QVERIFY(readAll(longSvg).count("worst") >= 10);  // every 4th of the 40 sentences

    auto* occlusion = panel<OcclusionPanel>("occlusion");
    const int occIndex = static_cast<int>(std::find(panels.begin(), panels.end(), occlusion) - panels.begin());
    QTRY_VERIFY(ws_->occlusionFor(ws_->trace()));
    const QString occPdf = dir.filePath(QStringLiteral("o.pdf"));
    QVERIFY(w_->exportFigureTo(occPdf, {FigureFormat::Pdf, occlusion->figureSize(), 96, {}}, occIndex).ok);
    QVERIFY(readAll(occPdf).startsWith("%PDF"));
    const QString occPng = dir.filePath(QStringLiteral("o.png"));
    QVERIFY(w_->exportFigureTo(occPng, {FigureFormat::Png, QSizeF(900, 500), 96, {}}, occIndex).ok);
    QCOMPARE(QImage(occPng).size(), QSize(900, 500));
  }
};

QTEST_MAIN(TestSaliency)
#include "test_saliency.moc"
