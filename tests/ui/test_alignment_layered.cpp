// The alignment view with a transformer's cross [L, H, T, S] (a fake: layer l's heads peak l words right of the
// diagonal) and the pair aligner kind: the layer/head boxes (means named, shown only for layered maps), the extraction
// method (argmax, Shift-Att, threshold) moving the drawn links and the sentence AER against a diagonal gold, the
// aligner in the window (target required, no beam) and beside seq2seq models in the comparison.
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "tests/ui/fake_seq2seq.h"
#include "tests/ui/window_test.h"
#include "ui/alignment/alignment_panel.h"
#include "ui/alignment/attention_chart_panel.h"
#include "ui/alignment/gold_bar.h"
#include "ui/alignment/gold_alignment.h"
#include "ui/alignment/seq2seq_extension.h"
#include "ui/alignment/seq2seq_run_bar.h"
#include "ui/compare/compare_panel.h"
#include "ui/compare/compare_view.h"
#include "ui/compare/comparison.h"
#include "ui/panels/panel_area.h"
#include "ui/document/workspace.h"
#include "ui/shell/main_window.h"

using namespace attnviz::ui;
using attnviz::test::FakeSeq2seq;

namespace {

bool hasMark(const HeatmapData& d, int row, int col, MarkShape shape) {
  return std::any_of(d.marks.begin(), d.marks.end(),
                     [&](const HeatmapMark& m) { return m.row == row && m.col == col && m.shape == shape; });
}

// Writes a one-sentence WPT gold set: "the cat sat" / "le chat assis", sure links on the diagonal.
void writeDiagonalGold(const QString& dir) {
  auto write = [&](const QString& name, const QByteArray& text) {
    QFile f(dir + QLatin1Char('/') + name);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
  };
  write(QStringLiteral("gold.wa"), "1 1 1 S\n1 2 2 S\n1 3 3 S\n");
  write(QStringLiteral("gold.e"), "the cat sat\n");
  write(QStringLiteral("gold.f"), "le chat assis\n");
}

}  // namespace

class TestAlignmentLayered : public attnviz::test::WindowTest {
  Q_OBJECT

  AlignmentPanel* alignment() { return panel<AlignmentPanel>("alignment"); }
  const HeatmapData& shown() { return alignment()->view()->data(); }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }
  void cleanup() { closeWindow(); }

  void layeredMapOffersLayersHeadsAndMeans() {
    createWindow();
    ws_->addModel(std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "marian", .layers = 2, .heads = 3}),
                  QStringLiteral("fake:marian"));
    QVERIFY(showWindow());
    w_->editor()->setPlainText(QStringLiteral("the cat sat"));
    QTRY_VERIFY(ws_->trace() && !shown().empty());
    QVERIFY(alignment()->layerBox()->isVisibleTo(alignment()));
    QCOMPARE(alignment()->layerBox()->count(), 3);  // mean + 2 layers
    QCOMPARE(alignment()->headBox()->count(), 4);   // mean + 3 heads
    // Default: the mean of all layers and heads, said so in the title.
    QVERIFY2(shown().title.contains(QStringLiteral("mean of all layers and heads")), qPrintable(shown().title));
    QVERIFY(shown().title.contains(QStringLiteral("links: argmax")));
    QCOMPARE(shown().rows, 4);
    // The shown map is the plain mean of the 6 maps: cell (0, 0) against the trace.
    const attnviz::Tensor& cross = ws_->trace()->attention.at("cross");
    double mean = 0;
    for (int l = 0; l < 2; ++l)
      for (int h = 0; h < 3; ++h) mean += cross.at({l, h, 0, 0});
    QVERIFY(std::abs(static_cast<double>(shown().at(0, 0)) - mean / 6) < 1e-6);

    // Layer 2 (peaks one word right): its mean of heads, named; the links move right.
    alignment()->layerBox()->setCurrentIndex(2);
    QTRY_VERIFY(shown().title.contains(QStringLiteral("layer 2, mean of heads")));
    QCOMPARE(ws_->extension<Seq2seqExtension>().method().layer, 1);
    QVERIFY(hasMark(shown(), 0, 1, MarkShape::Dot));
    QVERIFY(!hasMark(shown(), 0, 0, MarkShape::Dot));
    alignment()->headBox()->setCurrentIndex(3);
    QTRY_VERIFY(shown().title.contains(QStringLiteral("layer 2, head 3")));
    QCOMPARE(static_cast<double>(shown().at(0, 1)), static_cast<double>(cross.at({1, 2, 0, 1})));
    // The hovered word's chart charts the same map's row.
    ws_->selection().setCell(0, Selection::kNone);
    auto* chart = panel<AttentionChartPanel>("attentionChart");
    QTRY_COMPARE(chart->shownRow(), 0);
    QCOMPARE(chart->shownMatrix()->at(0, 1), cross.at({1, 2, 0, 1}));

    // Layer 1 with Shift-Att: target word t reads row t + 1, whose peak is source t + 1.
    alignment()->layerBox()->setCurrentIndex(1);
    alignment()->headBox()->setCurrentIndex(0);
    alignment()->methodBox()->setCurrentIndex(1);
    QTRY_VERIFY(shown().title.contains(QStringLiteral("links: shift-att")));
    QVERIFY(hasMark(shown(), 0, 1, MarkShape::Dot));
    QVERIFY(!alignment()->thresholdBox()->isEnabled());

    // Threshold: enabled only then; 0.99 is above every weight, so no links.
    alignment()->methodBox()->setCurrentIndex(2);
    QTRY_VERIFY(alignment()->thresholdBox()->isEnabled());
    alignment()->thresholdBox()->setValue(0.99);
    QTRY_VERIFY(shown().title.contains(QStringLiteral("threshold:0.99")));
    QVERIFY(std::none_of(shown().marks.begin(), shown().marks.end(), [](const HeatmapMark& m) { return m.shape == MarkShape::Dot; }));
  }

  void sentenceAerFollowsLayerAndMethod() {
    createWindow();
    ws_->addModel(std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "marian", .layers = 2, .heads = 2}),
                  QStringLiteral("fake:marian"));
    QVERIFY(showWindow());
    QTemporaryDir dir;
    writeDiagonalGold(dir.path());
    Seq2seqExtension& s = ws_->extension<Seq2seqExtension>();
    s.gold().load(dir.filePath("gold.wa"), dir.filePath("gold.e"), dir.filePath("gold.f"));
    QCOMPARE(s.gold().size(), 1);
    s.useGoldSentence(0);
    QTRY_VERIFY(ws_->trace() && ws_->trace()->prediction.forced && !shown().empty());
    alignment()->layerBox()->setCurrentIndex(1);  // layer 1: the diagonal, every link right
    QTRY_VERIFY2(shown().title.contains(QStringLiteral("AER 0.000")), qPrintable(shown().title));
    alignment()->layerBox()->setCurrentIndex(2);  // layer 2: "le" -> "cat", "chat" -> "sat", "assis" -> "sat"
    QTRY_VERIFY2(shown().title.contains(QStringLiteral("AER 0.667")), qPrintable(shown().title));
    QVERIFY(alignment()->goldBar()->sentenceAerText().contains(QStringLiteral("AER 0.667")));  // the bar says the same

    // AER on all: computed with the chosen map and rule, and it says which.
    s.startCorpusAer();
    QTRY_VERIFY(!s.gold().corpusAer().isEmpty());
    QCOMPARE(s.gold().corpusAer().first().counts.aer(), 1.0 - 2.0 / 6);
    QVERIFY2(alignment()->goldBar()->corpusAerText().contains(QStringLiteral("layer 2, mean of heads · argmax")),
             qPrintable(alignment()->goldBar()->corpusAerText()));
    // Against alignToGold itself (engine's alignWords): the same number.
    const SentenceAlignment a = alignToGold(*ws_->trace(), s.gold().at(0), {.method = s.method()});
    QVERIFY(a.comparable);
    QCOMPARE(a.counts.aer(), 1.0 - 2.0 * 1 / 6);

    // The AER grid: a row per layer, a column per head and the layer's mean; layer 1 is right, layer 2 is not.
    QTableWidget* grid = alignment()->aerGrid();
    QVERIFY(grid->isVisibleTo(alignment()));
    QCOMPARE(grid->rowCount(), 2);
    QCOMPARE(grid->columnCount(), 3);
    QCOMPARE(grid->item(0, 2)->text(), QStringLiteral("0.00"));
    QCOMPARE(grid->item(1, 0)->text(), QStringLiteral("0.67"));
    QCOMPARE(grid->item(1, 2)->text(), QStringLiteral("0.67"));
    // A click selects that layer and head in the view.
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, grid->visualItemRect(grid->item(0, 1)).center());
    QTRY_COMPARE(s.method().layer, 0);
    QCOMPARE(s.method().head, 1);
    QTRY_VERIFY2(shown().title.contains(QStringLiteral("layer 1, head 2")), qPrintable(shown().title));
    QCOMPARE(alignment()->headBox()->currentIndex(), 2);
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, {}, grid->visualItemRect(grid->item(1, 2)).center());
    QTRY_COMPARE(s.method().layer, 1);
    QCOMPARE(s.method().head, -1);
    QTRY_VERIFY(shown().title.contains(QStringLiteral("layer 2, mean of heads")));
  }

  void rnnMapHidesLayerBoxes() {
    createWindow();
    ws_->addModel(std::make_shared<FakeSeq2seq>(), QStringLiteral("fake:bahdanau"));
    QVERIFY(showWindow());
    w_->editor()->setPlainText(QStringLiteral("the cat sat"));
    QTRY_VERIFY(ws_->trace() && !shown().empty());
    QVERIFY(!alignment()->layerBox()->isVisibleTo(alignment()));
    QVERIFY(!shown().title.contains(QStringLiteral("mean")));
    QVERIFY(shown().title.contains(QStringLiteral("links: argmax")));
  }

  void alignerNeedsTheTargetAndHasNoBeam() {
    createWindow();
    auto aligner = std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "ibm1", .kind = "aligner"});
    ws_->addModel(aligner, QStringLiteral("fake:aligner"));
    QVERIFY(showWindow());
    QVERIFY(alignment() != nullptr);
    QVERIFY(!alignment()->runBar()->beamBox()->isVisibleTo(alignment()->runBar()));
    w_->editor()->setPlainText(QStringLiteral("the cat sat"));
    // No target: no run (no error either); the view asks for the target.
    QTest::qWait(50);
    QVERIFY(!ws_->trace() && ws_->runError().isEmpty());
    QCOMPARE(aligner->runs(), 0);
    QVERIFY(alignment()->findChild<QLabel*>() != nullptr);
    QTest::keyClicks(alignment()->runBar()->targetEdit(), QStringLiteral("le chat assis"));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->prediction.forced);
    QVERIFY(aligner->lastOptions().target.has_value());
    QTRY_VERIFY(!shown().empty());
    QCOMPARE(shown().rows, 4);
    QVERIFY(hasMark(shown(), 1, 1, MarkShape::Dot));
    QVERIFY2(shown().title.contains(QStringLiteral("link posteriors")), qPrintable(shown().title));
    // Shift-Att reads decoder steps an aligner has not (attnviz align refuses it): a Shift-Att choice is not
    // applied, the box shows the rule used and its Shift-Att items are disabled.
    attnviz::ExtractionMethod m = ws_->extension<Seq2seqExtension>().method();
    m.shift = true;
    ws_->extension<Seq2seqExtension>().setMethod(m);
    QTRY_COMPARE(alignment()->methodBox()->currentIndex(), 0);
    QVERIFY2(shown().title.contains(QStringLiteral("links: argmax")), qPrintable(shown().title));
    QVERIFY(hasMark(shown(), 1, 1, MarkShape::Dot));
    auto* items = qobject_cast<QStandardItemModel*>(alignment()->methodBox()->model());
    QVERIFY(items && !items->item(1)->isEnabled() && !items->item(3)->isEnabled() && items->item(2)->isEnabled());
  }

  void comparisonPutsSeq2seqAndAlignerSideBySide() {
    createWindow();
    ws_->addModel(std::make_shared<FakeSeq2seq>(), QStringLiteral("fake:bahdanau"));
    ws_->addModel(std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "marian", .layers = 2, .heads = 2}),
                  QStringLiteral("fake:marian"));
    ws_->addModel(std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "ibm1", .kind = "aligner"}),
                  QStringLiteral("fake:aligner"));
    ws_->setCurrentIndex(0);
    QVERIFY(showWindow());
    w_->editor()->setPlainText(QStringLiteral("the cat sat"));
    QTRY_VERIFY(ws_->trace());
    ws_->setCompared({0, 1, 2});
    QCOMPARE(ws_->compared(), (QList<int>{0, 1, 2}));  // seq2seq and aligner together
    // Every model aligns the reference's translation: the aligner gets it as its target, so T matches.
    QTRY_VERIFY(ws_->comparedTraces().size() == 3 && ws_->comparedTraces()[2]);
    for (const TracePtr& t : ws_->comparedTraces()) {
      QVERIFY(t);
      QCOMPARE(t->targetTokens, ws_->comparedTraces()[0]->targetTokens);
    }
    // The transformer's cell is the view's choice, named; the others are their [T, S] maps.
    Comparison c = buildComparison(*ws_, {QStringLiteral("cross"), 0, 0});
    QCOMPARE(static_cast<int>(c.rows.size()), 3);
    QVERIFY2(c.rows[1].label.endsWith(QStringLiteral("mean of all layers and heads")), qPrintable(c.rows[1].label));
    QCOMPARE(c.rows[0].label, QStringLiteral("bahdanau"));  // an RNN map: no layer named
    attnviz::ExtractionMethod m;
    m.layer = 1;
    m.head = 0;
    ws_->extension<Seq2seqExtension>().setMethod(m);
    c = buildComparison(*ws_, {QStringLiteral("cross"), 0, 0});
    QVERIFY(c.rows[1].label.endsWith(QStringLiteral("layer 2, head 1")));
    const attnviz::Tensor& cross = ws_->comparedTraces()[1]->attention.at("cross");
    QCOMPARE(c.rows[1].map.at(0, 1), cross.at({1, 0, 0, 1}));
    // The grid's title does not call attention maps link posteriors: cells of different maps are named in their labels.
    auto* grid = panel<ComparePanel>("compare");
    w_->panelArea()->showPanel(QStringLiteral("compare"));
    QVERIFY2(grid->view()->figure().title.startsWith(QStringLiteral("cross-attention ·")),
             qPrintable(grid->view()->figure().title));
    QCOMPARE(c.rows[2].label, QStringLiteral("ibm1 · link posteriors"));
    QVERIFY(comparableKinds(QStringLiteral("seq2seq"), QStringLiteral("aligner")));
    QVERIFY(!comparableKinds(QStringLiteral("seq2seq"), QStringLiteral("encoder")));
  }

  // An aligner translates nothing: it is never the default reference, and chosen as the reference without a target it
  // is not run; the note says so once, in the window's words; the others decode on their own.
  void anAlignerIsNoReferenceToDecodeOn() {
    createWindow();
    ws_->addModel(std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "ibm1", .kind = "aligner"}),
                  QStringLiteral("fake:aligner"));
    ws_->addModel(std::make_shared<FakeSeq2seq>(), QStringLiteral("fake:bahdanau"));
    ws_->addModel(std::make_shared<FakeSeq2seq>(FakeSeq2seq::Options{.variant = "marian", .layers = 2, .heads = 2}),
                  QStringLiteral("fake:marian"));
    ws_->setCurrentIndex(1);
    QVERIFY(showWindow());
    w_->editor()->setPlainText(QStringLiteral("the cat sat"));
    QTRY_VERIFY(ws_->trace());
    ws_->setCompared({0, 1, 2});
    QCOMPARE(ws_->reference(), 1);  // the first compared model that translates
    QTRY_VERIFY(ws_->comparedTraces().size() == 3 && ws_->comparedTraces()[0]);
    QVERIFY(ws_->comparison().forcedOnReference);

    ws_->setReference(0);
    QTRY_VERIFY(ws_->comparedTraces().size() == 3 && ws_->comparedTraces()[1] && !ws_->comparedTraces()[0]);
    QVERIFY(ws_->comparedTraces()[2]);
    const QStringList problems = ws_->comparison().problems;
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems[0].contains(QStringLiteral("translates nothing")) && problems[0].contains(QStringLiteral("Target box")) &&
                 !problems[0].contains(QStringLiteral("--target")),
             qPrintable(problems[0]));
    QVERIFY(ws_->comparison().forcedTarget.isEmpty());
  }
};

QTEST_MAIN(TestAlignmentLayered)
#include "test_alignment_layered.moc"
