// Occlusion in the background for han (fake model with a slow occlusion): progress reaches the end and the
// result shows with Kendall tau at both levels; Cancel stops the job; a new document cancels the old
// document's job and only the new result is kept; Compute starts it again; no job when switched off.
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

#include "tests/ui/fake_han.h"
#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/shell/main_window.h"
#include "ui/kinds/han/han_extension.h"
#include "ui/kinds/han/occlusion_panel.h"
#include "ui/panels/panel_area.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;
using attnviz::test::FakeHan;

namespace {

const QString kReview = QStringLiteral(
    "The plot was dull and the pacing was awful.\nBut the acting is superb and the score is wonderful.\n"
    "I loved the final scene.\nOverall a good film with a bad first hour.");
constexpr int kReviewUnits = 10 + 11 + 6 + 10 + 4;  // words + sentences

}  // namespace

class TestOcclusion : public attnviz::test::WindowTest {
  Q_OBJECT

  std::shared_ptr<FakeHan> model_;

  OcclusionPanel* panel() { return qobject_cast<OcclusionPanel*>(w_->panelArea()->panel(QStringLiteral("occlusion"))); }

  void open(int delayMs) {
    createWindow();
    model_ = std::make_shared<FakeHan>(FakeHan::Options{.occlusionDelayMs = delayMs});
    ws_->addModel(model_, QStringLiteral("fake:han"));
    QVERIFY(showWindow());
    w_->panelArea()->showPanel(QStringLiteral("occlusion"));
  }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }
  void cleanup() {
    closeWindow();
    model_.reset();
  }

  void progressReachesTheEndWithTau() {
    open(3);
    QSignalSpy progress(&ws_->derived().occlusionJob(), &BackgroundJob::progress);
    QSignalSpy finished(&ws_->derived().occlusionJob(), &BackgroundJob::finished);
    w_->editor()->setPlainText(kReview);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace(), 10000);
    // Attention is there at once; occlusion follows.
    QTRY_VERIFY(!panel()->view()->document().empty());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QVERIFY(progress.count() >= 2);
    QCOMPARE(progress.last().at(0).toInt(), kReviewUnits);
    QCOMPARE(progress.last().at(1).toInt(), kReviewUnits);
    const attnviz::Occlusion* o = ws_->occlusionFor(ws_->trace());
    QVERIFY(o);
    QCOMPARE(static_cast<int>(o->word.size()), 4);
    QCOMPARE(static_cast<int>(o->sentence.size()), 4);
    QTRY_VERIFY(panel()->view()->document().occlusion.has_value());
    QCOMPARE(panel()->progressBar()->value(), panel()->progressBar()->maximum());
    const QString tau = panel()->tauLabel()->text();
    QVERIFY2(tau.contains(QStringLiteral("words: <b>%1</b>").arg(o->kendallTauWord, 0, 'f', 2)), qPrintable(tau));
    QVERIFY(tau.contains(QStringLiteral("sentences: <b>%1</b>").arg(o->kendallTauSentence, 0, 'f', 2)));
    QVERIFY(!panel()->cancelButton()->isEnabled());
    QVERIFY(!panel()->computeButton()->isEnabled());
    QVERIFY(panel()->explanation().contains(QStringLiteral("Attention is not Explanation")));
    QVERIFY(panel()->explanation().contains(QStringLiteral("Attention is not not Explanation")));
    // The two colourings: a word that supports the prediction is red in the occlusion column.
    const HanDocument& doc = panel()->view()->document();
    const QColor loved = SaliencyPainter::wordBackground(doc, panel()->view()->saliencyStyle(), Colouring::Occlusion, 2, 1);
    QVERIFY(loved.red() > loved.blue());
    // Hover in the occlusion column focuses the same word.
    SaliencyView* view = panel()->view();
    QTest::mouseMove(view->canvas(), view->wordCenter(1, 2, 1).toPoint());
    QTRY_COMPARE(ws_->selection().row(), 2);
    QCOMPARE(ws_->selection().column(), 1);
    QCOMPARE(view->hitAt(view->wordCenter(1, 2, 1)).column, 1);
  }

  void cancelStopsTheJob() {
    open(40);  // 41 units: about 1.6 s
    QSignalSpy canceled(&ws_->derived().occlusionJob(), &BackgroundJob::canceled);
    w_->editor()->setPlainText(kReview);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->derived().occlusionJob().isRunning() && ws_->derived().occlusionJob().done() >= 2, 10000);
    QVERIFY(panel()->cancelButton()->isEnabled());
    QVERIFY(panel()->progressBar()->isVisible());
    QTest::mouseClick(panel()->cancelButton(), Qt::LeftButton);
    QCOMPARE(canceled.count(), 1);
    QVERIFY(!ws_->derived().occlusionJob().isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(model_->occlusionCancelled(), 1, 5000);  // the model's loop saw it
    const int units = model_->occlusionUnits();
    QVERIFY(units < kReviewUnits);
    QTest::qWait(200);
    QCOMPARE(model_->occlusionUnits(), units);  // stopped
    QVERIFY(!ws_->occlusionFor(ws_->trace()));
    QVERIFY(panel()->computeButton()->isEnabled());
    QVERIFY(panel()->tauLabel()->text().contains(QStringLiteral("press Compute")));
    // Compute starts it again, to the end.
    QSignalSpy finished(&ws_->derived().occlusionJob(), &BackgroundJob::finished);
    QTest::mouseClick(panel()->computeButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QVERIFY(ws_->occlusionFor(ws_->trace()));
  }

  void aNewDocumentCancelsTheOldJob() {
    open(40);
    QSignalSpy finished(&ws_->derived().occlusionJob(), &BackgroundJob::finished);
    w_->editor()->setPlainText(kReview);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->derived().occlusionJob().isRunning() && ws_->derived().occlusionJob().done() >= 1, 10000);
    const TracePtr old = ws_->trace();
    w_->editor()->setPlainText(QStringLiteral("Awful. Boring."));
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace() && ws_->trace() != old, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(model_->occlusionCancelled(), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(ws_->derived().trace(), ws_->trace());  // the one result is the new document's
    QVERIFY(ws_->occlusionFor(ws_->trace()));
    QVERIFY(!ws_->occlusionFor(old));
    QCOMPARE(static_cast<int>(ws_->occlusionFor(ws_->trace())->sentence.size()), 2);
    QCOMPARE(model_->occlusionStarted(), 2);
  }

  void switchedOffComputesNothing() {
    open(0);
    ws_->extension<HanExtension>().setAutoOcclusion(false);
    w_->editor()->setPlainText(kReview);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace(), 10000);
    QTest::qWait(100);
    QCOMPARE(model_->occlusionStarted(), 0);
    QVERIFY(panel()->computeButton()->isEnabled());
    ws_->derived().startOcclusion();
    QTRY_VERIFY(ws_->occlusionFor(ws_->trace()));
  }
};

QTEST_MAIN(TestOcclusion)
#include "test_occlusion.moc"
