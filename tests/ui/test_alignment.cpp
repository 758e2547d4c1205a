// The seq2seq alignment tab with a deterministic fake translation model: decoding controls (beam 5 by
// default, forced target), hover of a cell / a translation word / an editor word moves the Selection and
// every panel follows without bounce, argmax dots, beam explorer picks the shown hypothesis, the bar
// chart charts the focused target word.
#include <QCheckBox>
#include <QLabel>
#include <QPainter>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QtTest>

#include "tests/ui/fake_model.h"
#include "tests/ui/fake_seq2seq.h"
#include "tests/ui/window_test.h"
#include "ui/alignment/alignment_panel.h"
#include "ui/alignment/attention_chart_panel.h"
#include "ui/alignment/beam_panel.h"
#include "ui/shell/editor_token_link.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/document/hypothesis_trace.h"
#include "ui/shell/main_window.h"
#include "ui/panels/panel_area.h"
#include "ui/alignment/seq2seq_run_bar.h"
#include "ui/shell/token_spans.h"
#include "ui/alignment/token_strip.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;
using attnviz::test::FakeSeq2seq;

namespace {

// Lets pending layout requests run, so cell centres computed next stay where the pointer goes.
void settle() {
  QCoreApplication::sendPostedEvents();
  QCoreApplication::processEvents();
  QTest::qWait(30);
  QCoreApplication::processEvents();
}

int countMarks(const HeatmapData& d, MarkShape shape) {
  return static_cast<int>(std::count_if(d.marks.begin(), d.marks.end(), [shape](const HeatmapMark& m) { return m.shape == shape; }));
}

}  // namespace

class TestAlignment : public attnviz::test::WindowTest {
  Q_OBJECT

  std::shared_ptr<FakeSeq2seq> model_;

  AlignmentPanel* alignment() { return panel<AlignmentPanel>("alignment"); }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void init() {
    createWindow();
    model_ = std::make_shared<FakeSeq2seq>();
    ws_->addModel(model_, QStringLiteral("fake:bahdanau"));
    QVERIFY(showWindow());
    w_->editor()->setPlainText(QStringLiteral("the cat sat"));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->input == "the cat sat");
    QTRY_VERIFY(!alignment()->view()->data().empty());
    settle();
  }

  void cleanup() {
    closeWindow();
    model_.reset();
  }

  void seq2seqGetsItsPanels() {
    QVERIFY(alignment() != nullptr);
    QVERIFY(panel<AttentionChartPanel>("attentionChart") != nullptr);
    QVERIFY(panel<BeamPanel>("beam") != nullptr);
    QVERIFY(w_->panelArea()->panel(QStringLiteral("compare")) != nullptr);
    const HeatmapData& d = alignment()->view()->data();
    QCOMPARE(d.rows, 4);  // "le chat assis" + <eos>
    QCOMPARE(d.cols, 4);  // "the cat sat" + <eos>
    QCOMPARE(d.rowLabels.front(), QStringLiteral("le"));
    QCOMPARE(d.colLabels.back(), QStringLiteral("<eos>"));
  }

  void beamWidthDefaultsToFiveAndTargetForces() {
    QCOMPARE(ws_->beamWidth(), 5);
    QCOMPARE(alignment()->runBar()->beamBox()->value(), 5);
    QCOMPARE(model_->lastOptions().beam, 5);
    QCOMPARE(static_cast<int>(ws_->trace()->hypotheses.size()), 5);

    QLineEdit* target = alignment()->runBar()->targetEdit();
    QTest::keyClicks(target, QStringLiteral("le gros chat assis"));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->targetTokens.size() == 5);
    QVERIFY(model_->lastOptions().target.has_value());
    QVERIFY(ws_->trace()->hypotheses.empty());
    QVERIFY(!alignment()->runBar()->beamBox()->isEnabled());
    QVERIFY(alignment()->view()->data().title.contains(QStringLiteral("forced target")));
    QCOMPARE(alignment()->translationStrip()->tokens().value(1), QStringLiteral("gros"));

    target->clear();  // back to free decoding with the beam
    QTRY_VERIFY(ws_->trace() && ws_->trace()->hypotheses.size() == 5);
    alignment()->runBar()->beamBox()->setValue(1);
    QTRY_VERIFY(ws_->trace() && ws_->trace()->hypotheses.empty());
    QCOMPARE(model_->lastOptions().beam, 1);
  }

  void hoverCellHighlightsRowColumnWithTooltip() {
    HeatmapView* view = alignment()->view();
    QSignalSpy spy(&ws_->selection(), &Selection::cellChanged);
    QTest::mouseMove(view, view->cellCenter(1, 2).toPoint());
    QTRY_COMPARE(ws_->selection().row(), 1);
    QCOMPARE(ws_->selection().column(), 2);
    QCOMPARE(spy.count(), 1);  // no bounce
    QCOMPARE(view->highlightRow(), 1);
    QCOMPARE(view->highlightCol(), 2);
    QCOMPARE(alignment()->translationStrip()->highlight(), 1);
    const QString tip = view->toolTipAt(view->cellCenter(1, 2));
    QVERIFY2(tip.contains(QStringLiteral("chat → sat")), qPrintable(tip));
    QVERIFY(tip.contains(QStringLiteral("weight")));
    // The bar chart follows the focused target word.
    auto* chart = panel<AttentionChartPanel>("attentionChart");
    QTRY_COMPARE(chart->shownRow(), 1);
    QCOMPARE(chart->barSetCount(), 1);
    QCOMPARE(chart->shownMatrix()->colLabels, (QStringList{"the", "cat", "sat", "<eos>"}));
  }

  void translationWordHoverHighlightsRow() {
    TokenStrip* strip = alignment()->translationStrip();
    QCOMPARE(strip->tokens(), QStringList({QStringLiteral("le"), QStringLiteral("chat"), QStringLiteral("assis"), QStringLiteral("<eos>")}));
    QTest::mouseMove(strip, strip->chipRect(2).center());
    QTRY_COMPARE(ws_->selection().row(), 2);
    QCOMPARE(ws_->selection().column(), Selection::kNone);
    QCOMPARE(alignment()->view()->highlightRow(), 2);
    QCOMPARE(strip->highlight(), 2);
  }

  void editorWordHoverHighlightsColumn() {
    auto* link = w_->editor()->findChild<EditorTokenLink*>();
    QVERIFY(link != nullptr);
    const QRect cat = link->tokenRect(1);
    QVERIFY(!cat.isEmpty());
    QSignalSpy spy(&ws_->selection(), &Selection::cellChanged);
    QTest::mouseMove(w_->editor()->viewport(), cat.center());
    QTRY_COMPARE(ws_->selection().column(), 1);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(alignment()->view()->highlightCol(), 1);
    // And back: a column focused elsewhere is shaded in the editor.
    ws_->selection().setCell(0, 2);
    QCOMPARE(w_->editor()->extraSelections().size(), 1);
    QCOMPARE(w_->editor()->extraSelections().front().cursor.selectedText(), QStringLiteral("sat"));
  }

  void argmaxDotsToggle() {
    const HeatmapData& d = alignment()->view()->data();
    QCOMPARE(countMarks(d, MarkShape::Dot), 3);  // one per target word, <eos> row left out
    for (const HeatmapMark& m : d.marks) QCOMPARE(m.row, m.col);  // the fake peaks on the diagonal
    alignment()->setArgmaxShown(false);
    QCOMPARE(countMarks(alignment()->view()->data(), MarkShape::Dot), 0);
  }

  void beamExplorerPicksTheShownHypothesis() {
    auto* beam = panel<BeamPanel>("beam");
    QCOMPARE(beam->table()->rowCount(), 5);
    QCOMPARE(beam->table()->item(0, 2)->text(), QStringLiteral("le chat assis"));
    QCOMPARE(beam->table()->currentRow(), 0);
    const std::vector<float> best = alignment()->view()->data().values;
    QSignalSpy shown(ws_, &Workspace::shownTraceChanged);
    beam->table()->setCurrentCell(2, 0);
    QCOMPARE(ws_->selection().hypothesis(), 2);
    QCOMPARE(shown.count(), 1);
    QVERIFY(ws_->shownTrace() != ws_->trace());
    const HeatmapData& d = alignment()->view()->data();
    QCOMPARE(d.rowLabels.value(3), QStringLiteral("v2"));
    QVERIFY(d.values != best);
    QVERIFY(d.title.contains(QStringLiteral("beam hypothesis 3/5")));
    QCOMPARE(alignment()->translationStrip()->tokens().value(3), QStringLiteral("v2"));
    QVERIFY(w_->findChild<QLabel*>(QStringLiteral("prediction"))->text().contains(QStringLiteral("le chat assis v2")));
    // The selection drives the table too, without writing back.
    ws_->selection().setHypothesis(4);
    QCOMPARE(beam->table()->currentRow(), 4);
    QCOMPARE(shown.count(), 2);
    // A new input starts again from the best hypothesis.
    w_->editor()->setPlainText(QStringLiteral("a dog sleeps"));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->input == "a dog sleeps");
    QCOMPARE(ws_->selection().hypothesis(), 0);
    QCOMPARE(beam->table()->currentRow(), 0);
  }

  void beamFigurePaints() {
    auto* beam = panel<BeamPanel>("beam");
    const QSizeF size = beam->figureSize();
    QVERIFY(size.height() > 100);
    QImage img(size.toSize(), QImage::Format_RGB32);
    QPainter p(&img);
    beam->paintFigure(p, QRectF(QPointF(), size));
    p.end();
    QVERIFY(img.pixel(4, 4) == qRgb(255, 255, 255));
  }

  void tokenSpansAndDetokenize() {
    const auto spans = tokenSpans(QStringLiteral("The cat’s mat"), {"the", "cat", "'", "s", "mat", "<eos>"});
    QCOMPARE(spans[0], (TokenSpan{0, 3}));
    QCOMPARE(spans[2], (TokenSpan{7, 1}));  // the typographic apostrophe
    QCOMPARE(spans[5].start, -1);
    QCOMPARE(tokenAt(spans, 5), 1);
    QCOMPARE(tokenAt(spans, 3), -1);  // the space
    const auto unk = tokenSpans(QStringLiteral("the zyzzyva's mat"), {"the", "<unk>", "'", "s", "mat", "<eos>"});
    QCOMPARE(unk[1], (TokenSpan{4, 7}));  // "zyzzyva", up to the known "'"
    QCOMPARE(unk[2], (TokenSpan{11, 1}));
    QCOMPARE(hypothesisText({"l'", "homme", "est", "peut", "-", "être", "là", ".", "<eos>"}), QStringLiteral("l'homme est peut-être là."));
  }
};

QTEST_MAIN(TestAlignment)
#include "test_alignment.moc"
