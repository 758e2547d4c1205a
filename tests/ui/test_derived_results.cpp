// Derived results: the one BackgroundJob (progress, cancel, a replaced job's result dropped), the one cache of what
// is derived from a trace (rollout once per fusion and ratio, flow, occlusion), and File > Export Data writing every
// derived result computed, byte for byte as `attnviz run --rollout/--flow/--occlusion` writes the same trace.
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <thread>

#include "engine/analysis/attention_flow.h"
#include "engine/analysis/rollout.h"
#include "engine/api/model.h"
#include "tests/ui/fake_han.h"
#include "tests/ui/fake_model.h"
#include "ui/document/background_job.h"
#include "ui/document/derived_results.h"
#include "ui/document/workspace.h"
#include "ui/shell/main_window.h"

using namespace attnviz::ui;

namespace {

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A job of `steps` steps of 5 ms each that returns `steps`, or nothing once cancelled.
BackgroundJob::Work counting(int steps) {
  return [steps](JobControl& control) -> std::any {
    for (int i = 0; i < steps; ++i) {
      if (control.canceled()) return {};
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      control.setProgress(i + 1, steps);
    }
    return steps;
  };
}

}  // namespace

class TestDerivedResults : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void jobReportsProgressAndDelivers() {
    BackgroundJob job;
    QSignalSpy progress(&job, &BackgroundJob::progress);
    QSignalSpy finished(&job, &BackgroundJob::finished);
    int delivered = 0;
    job.start(counting(20), [&](std::any r) { delivered = std::any_cast<int>(r); });
    QVERIFY(job.isRunning());
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(delivered, 20);
    QVERIFY(!job.isRunning());
    QVERIFY(progress.count() >= 1);
    QCOMPARE(progress.last().at(0).toInt(), 20);
    QCOMPARE(progress.last().at(1).toInt(), 20);
    QCOMPARE(job.finishedCount(), 1);
  }

  void cancelStopsTheWorkAndDeliversNothing() {
    BackgroundJob job;
    QSignalSpy canceled(&job, &BackgroundJob::canceled);
    QSignalSpy finished(&job, &BackgroundJob::finished);
    bool delivered = false;
    job.start(counting(400), [&](std::any) { delivered = true; });  // ~2 s unless stopped
    QTRY_VERIFY(job.done() >= 2);
    job.cancel();
    QCOMPARE(canceled.count(), 1);
    QVERIFY(!job.isRunning());
    QTest::qWait(100);
    QVERIFY(!delivered);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(job.finishedCount(), 0);
  }

  void aNewJobReplacesTheOldSilently() {
    BackgroundJob job;
    QSignalSpy canceled(&job, &BackgroundJob::canceled);
    std::vector<int> delivered;
    job.start(counting(400), [&](std::any r) { delivered.push_back(std::any_cast<int>(r)); });
    job.start(counting(3), [&](std::any r) { delivered.push_back(std::any_cast<int>(r)); });
    QTRY_COMPARE(job.finishedCount(), 1);
    QTest::qWait(50);
    QCOMPARE(delivered, std::vector<int>{3});
    QCOMPARE(canceled.count(), 0);  // replaced, not cancelled: a canceled() slot may be what started the new one
  }

  void rolloutIsComputedOncePerFusionAndRatio() {
    auto trace = std::make_shared<attnviz::Trace>(
        attnviz::loadModel(attnviz::test::testDataDir().toStdString() + "/tiny-encoder")
            ->run(attnviz::Input::fromText("the cat sat on the mat"), {}));
    const attnviz::Tensor& self = trace->attention.at("self");  // [layers, heads, N, N]
    DerivedResults d;
    d.setTrace(trace, nullptr);
    QVERIFY(!d.rollout(attnviz::RolloutFusion::None, 0.0));
    QVERIFY(!d.rollout(attnviz::RolloutFusion::Max, 1.0));  // not a usable ratio
    const attnviz::Tensor* max = d.rollout(attnviz::RolloutFusion::Max, 0.5);
    QVERIFY(max);
    QCOMPARE(max->toVector(), attnviz::attentionRollout(self, attnviz::RolloutFusion::Max, 0.5).toVector());
    QCOMPARE(d.rolloutComputations(), 1);
    QCOMPARE(d.rollout(attnviz::RolloutFusion::Max, 0.5), max);  // kept
    QCOMPARE(d.rolloutComputations(), 1);
    QVERIFY(d.rollout(attnviz::RolloutFusion::Min, 0.5)->toVector() != max->toVector());
    QCOMPARE(d.rolloutComputations(), 2);
    d.setTrace(nullptr, nullptr);  // another trace: nothing kept
    QVERIFY(!d.rollout(attnviz::RolloutFusion::Max, 0.5));
  }

  void vitExportHoldsFlowAndRolloutAsTheCliWritesThem() {
    MainWindow w;
    Workspace* ws = w.workspace();
    ws->setDebounceMs(0);
    ws->openModel(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit"));
    QTRY_COMPARE_WITH_TIMEOUT(static_cast<int>(ws->models().size()), 1, 20000);
    const QString image = attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit-golden/rgb-32x32.png");
    ws->setImagePath(image);
    QTRY_VERIFY_WITH_TIMEOUT(ws->trace() && !ws->isRunning(), 20000);
    const attnviz::ui::TracePtr trace = ws->trace();
    QVERIFY(!trace->attention.count("flow") && !trace->attention.count("rollout"));  // the run derives nothing
    ws->setRolloutFusion(attnviz::RolloutFusion::Min);
    ws->setRolloutDiscard(0.25);
    QVERIFY(ws->derived().startFlow());
    QTRY_VERIFY_WITH_TIMEOUT(ws->flowFor(trace), 20000);
    QCOMPARE(ws->trace(), trace);  // no run either

    // What `attnviz run --rollout min --discard-ratio 0.25 --flow` adds to the same trace (encoder_model.cpp,
    // vit_model.cpp): attention.rollout [N, N] and attention.flow [1, N] from [CLS].
    attnviz::Trace cli = *trace;
    const attnviz::Tensor& self = trace->attention.at("self");
    cli.attention["rollout"] = attnviz::attentionRollout(self, attnviz::RolloutFusion::Min, 0.25);
    cli.attention["flow"] = attnviz::attentionFlow(self, {0});
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("trace.json"));
    QVERIFY(w.exportDataTo(path).ok);
    QCOMPARE(readAll(path), QByteArray::fromStdString(attnviz::traceToJson(cli)) + '\n');

    // Rollout off: the file holds no rollout (nothing is shown), flow stays.
    ws->setRolloutFusion(attnviz::RolloutFusion::None);
    cli.attention.erase("rollout");
    QVERIFY(w.exportDataTo(path).ok);
    QCOMPARE(readAll(path), QByteArray::fromStdString(attnviz::traceToJson(cli)) + '\n');
  }

  void hanExportHoldsBackgroundOcclusion() {
    MainWindow w;
    Workspace* ws = w.workspace();
    ws->setDebounceMs(0);
    auto han = std::make_shared<attnviz::test::FakeHan>();
    ws->addModel(han, QStringLiteral("fake:han"));
    ws->setInputText(QStringLiteral("a great film .\nan awful ending ."));
    QTRY_VERIFY_WITH_TIMEOUT(ws->trace() && ws->occlusionFor(ws->trace()), 20000);
    const attnviz::ui::TracePtr trace = ws->trace();
    QVERIFY(!trace->occlusion);  // computed in the background, not by the run
    attnviz::Trace cli = *trace;  // as `attnviz run --occlusion` writes it
    attnviz::OcclusionControl none;
    cli.occlusion = han->occlusion(*trace, none);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("trace.json"));
    QVERIFY(w.exportDataTo(path).ok);
    QCOMPARE(readAll(path), QByteArray::fromStdString(attnviz::traceToJson(cli)) + '\n');
  }
};

QTEST_MAIN(TestDerivedResults)
#include "test_derived_results.moc"
