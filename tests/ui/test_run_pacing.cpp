// RunPacing's decisions (pure logic, durations fed by hand: no clock) and its wiring in the Workspace: the worker's
// measured run time sets the wait of the next edit, a fixed debounce overrides it, another model starts unmeasured.
// The Workspace part only relies on lower bounds of time (a fake that sleeps 300 ms runs at least 300 ms), never on
// how fast anything is.
#include <QSignalSpy>
#include <QtTest>
#include <cmath>
#include <limits>
#include <memory>

#include "tests/ui/fake_model.h"
#include "ui/document/run_pacing.h"
#include "ui/document/workspace.h"

using attnviz::test::FakeModel;
using attnviz::ui::RunPacing;
using attnviz::ui::Workspace;

class TestRunPacing : public QObject {
  Q_OBJECT

 private slots:
  void nothingMeasuredRunsAtOnce() {
    const RunPacing p;
    QVERIFY(!p.typicalRunMs());
    QCOMPARE(p.runCount(), 0);
    QCOMPARE(p.delayMs(), 0);
  }

  void fastRunsRunAtOnce() {
    RunPacing p;
    for (double ms : {0.7, 3.0, 2.8}) p.recordRun(ms);
    QCOMPARE(*p.typicalRunMs(), 2.8);
    QCOMPARE(p.delayMs(), 0);
    p.recordRun(RunPacing::kImmediateRunMs);  // the boundary still runs at once
    p.recordRun(RunPacing::kImmediateRunMs);
    p.recordRun(RunPacing::kImmediateRunMs);
    QCOMPARE(p.delayMs(), 0);
  }

  // The wait is the typical run less kImmediateRunMs (rounded up): it grows with the run time, capped at 150.
  void slowerRunsWaitMoreUpToTheCap() {
    constexpr double kFree = RunPacing::kImmediateRunMs;
    const struct {
      double runMs;
      int delayMs;
    } rows[] = {{kFree + 0.5, 1}, {kFree + 15.0, 15}, {kFree + 100.0, 100}, {kFree + 149.0, 149}, {kFree + 150.0, 150},
                {400.0, 150}, {1e9, 150}};
    static_assert(RunPacing::kImmediateRunMs + RunPacing::kMaxDelayMs < 400.0);
    int previous = 0;
    for (const auto& row : rows) {
      RunPacing p;
      p.recordRun(row.runMs);
      QCOMPARE(p.delayMs(), row.delayMs);
      QVERIFY(p.delayMs() >= previous);
      QVERIFY(p.delayMs() <= RunPacing::kMaxDelayMs);
      previous = p.delayMs();
    }
  }

  // The median of the latest kRecentRuns: one slow first run (primitives created) or one run slowed by another job
  // does not make a fast model wait, and one fast run does not make a slow model run on every key.
  void oneOutlierDoesNotMoveTheWait() {
    RunPacing fast;
    fast.recordRun(400.0);  // first run
    for (int i = 0; i < 4; ++i) fast.recordRun(3.0);
    QCOMPARE(fast.delayMs(), 0);
    fast.recordRun(250.0);  // and one hiccup later: the 400 ms run has left the window
    QCOMPARE(*fast.typicalRunMs(), 3.0);
    QCOMPARE(fast.delayMs(), 0);

    RunPacing slow;
    for (double ms : {300.0, 310.0, 2.0, 305.0, 290.0}) slow.recordRun(ms);
    QCOMPARE(slow.delayMs(), RunPacing::kMaxDelayMs);
  }

  // Only the latest kRecentRuns count: a model that became fast (a shorter input) stops waiting after a few runs.
  void followsTheRecentRuns() {
    RunPacing p;
    for (int i = 0; i < 10; ++i) p.recordRun(500.0);
    QCOMPARE(p.runCount(), RunPacing::kRecentRuns);
    QCOMPARE(p.delayMs(), RunPacing::kMaxDelayMs);
    p.recordRun(4.0);
    p.recordRun(4.0);
    QCOMPARE(p.delayMs(), RunPacing::kMaxDelayMs);  // 2 of 5 fast: still slow
    p.recordRun(4.0);
    QCOMPARE(p.delayMs(), 0);  // 3 of 5
  }

  void evenCountTakesTheMiddleMean() {
    RunPacing p;
    p.recordRun(RunPacing::kImmediateRunMs + 10.0);
    p.recordRun(RunPacing::kImmediateRunMs + 30.0);
    QCOMPARE(*p.typicalRunMs(), RunPacing::kImmediateRunMs + 20.0);
    QCOMPARE(p.delayMs(), 20);
  }

  void badDurationsAreIgnoredAndResetForgets() {
    RunPacing p;
    p.recordRun(std::numeric_limits<double>::quiet_NaN());
    p.recordRun(std::numeric_limits<double>::infinity());
    p.recordRun(-5.0);
    QVERIFY(!p.typicalRunMs());
    p.recordRun(200.0);
    QCOMPARE(p.delayMs(), RunPacing::kMaxDelayMs);
    p.reset();
    QVERIFY(!p.typicalRunMs());
    QCOMPARE(p.delayMs(), 0);
  }

  // The Workspace paces by what the worker measured: a model whose runs take >= 300 ms makes the next edit wait the
  // cap; a fixed debounce overrides the pacing; another model starts unmeasured (runs at once).
  void workspaceWaitsForItsSlowModel() {
    Workspace ws;
    QCOMPARE(ws.debounceMs(), 0);  // adaptive by default, nothing measured
    ws.addModel(std::make_shared<FakeModel>(FakeModel::Options{.delayMs = 300}), QStringLiteral("fake:slow"));
    ws.setInputText(QStringLiteral("one"));  // no wait: runs at the next turn of the event loop
    QTRY_VERIFY_WITH_TIMEOUT(ws.trace() && ws.trace()->input == "one", 10000);
    QTRY_VERIFY_WITH_TIMEOUT(ws.runPacing().typicalRunMs().has_value(), 10000);
    QVERIFY2(*ws.runPacing().typicalRunMs() >= 300.0, qPrintable(QString::number(*ws.runPacing().typicalRunMs())));
    QCOMPARE(ws.debounceMs(), RunPacing::kMaxDelayMs);

    ws.setDebounceMs(0);  // fixed
    QCOMPARE(ws.debounceMs(), 0);
    ws.setDebounceMs(Workspace::kAdaptiveDebounce);
    QCOMPARE(ws.debounceMs(), RunPacing::kMaxDelayMs);

    ws.setInputText({});  // nothing to run: the next model opens without a run
    ws.addModel(std::make_shared<FakeModel>(), QStringLiteral("fake:encoder"));
    QVERIFY(!ws.runPacing().typicalRunMs());
    QCOMPARE(ws.debounceMs(), 0);
  }

  // A run of the model that was current before is not counted for the new one (its request was sent before). The
  // worker runs requests in order and reports each run after its result: the old model's 600 ms report arrives before
  // the new model's, so had it been counted the new one's would make two. (The fake encoder's run, a few small
  // tensors, is assumed to take less than 600 ms: the only upper bound of time here.)
  void aRunOfThePreviousModelIsNotCounted() {
    Workspace ws;
    auto slow = std::make_shared<FakeModel>(FakeModel::Options{.delayMs = 600});
    ws.addModel(slow, QStringLiteral("fake:slow"));
    ws.setInputText(QStringLiteral("slow"));
    ws.runNow();
    QTRY_COMPARE_WITH_TIMEOUT(slow->runs(), 1, 10000);  // started on the worker (else the next model would skip it)
    ws.addModel(std::make_shared<FakeModel>(), QStringLiteral("fake:encoder"));  // runs "slow" after the slow run
    QTRY_VERIFY_WITH_TIMEOUT(ws.trace() && ws.trace()->model.name == "fake-encoder", 10000);
    QTRY_VERIFY_WITH_TIMEOUT(ws.runPacing().runCount() == 1 && *ws.runPacing().typicalRunMs() < 600.0, 10000);
  }
};

QTEST_MAIN(TestRunPacing)
#include "test_run_pacing.moc"
