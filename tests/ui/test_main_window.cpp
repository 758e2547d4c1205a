// The main window end to end: it opens, opens models (the real tiny encoder package and fakes),
// typing runs the model on the worker thread and updates the heatmap, stale results are dropped,
// failures show in the message bar (and clear), exports work from the window, drops open models.
#include <cmath>

#include <QAction>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QListWidget>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include "engine/ops/cpu_capabilities.h"
#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/alignment/alignment_panel.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/shell/main_window.h"
#include "ui/shell/message_bar.h"
#include "ui/shell/models_dock.h"
#include "ui/panels/panel_area.h"
#include "ui/shell/recent_files.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;
using attnviz::test::FakeModel;

namespace {

HeatmapPanel* heatmapOf(MainWindow& w) {
  const auto& panels = w.panelArea()->panels();
  return panels.empty() ? nullptr : qobject_cast<HeatmapPanel*>(panels.front());
}

QString tinyEncoder() { return attnviz::test::testDataDir() + QStringLiteral("/tiny-encoder"); }

}  // namespace

class TestMainWindow : public attnviz::test::WindowTest {
  Q_OBJECT

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void init() {
    w_ = std::make_unique<MainWindow>();
    ws_ = w_->workspace();
    ws_->setLoader(attnviz::test::fakeLoader());
    w_->show();
    QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
  }

  void cleanup() {
    closeWindow();
  }

  void opensEmpty() {
    QVERIFY(w_->isVisible());
    QCOMPARE(ws_->models().size(), std::size_t{0});
    QVERIFY(w_->statusText().contains(QStringLiteral("No model open")));
    QVERIFY(heatmapOf(*w_) != nullptr);
    QVERIFY(!w_->messageBar()->isVisible());
  }

  void opensTheTinyEncoderAndTypingUpdatesTheHeatmap() {
    QVERIFY2(QFileInfo::exists(tinyEncoder() + QStringLiteral("/attnviz.json")), "tests/data/tiny-encoder is missing");
    QSignalSpy opened(ws_, &Workspace::modelOpened);
    ws_->openModel(tinyEncoder());
    QTRY_COMPARE_WITH_TIMEOUT(opened.count() + w_->messageBar()->count(), 1, 20000);
    QVERIFY2(opened.count() == 1, qPrintable(w_->messageBar()->text(QStringLiteral("load"))));
    QCOMPARE(ws_->currentKind(), QStringLiteral("encoder"));
    QVERIFY(w_->modelsDock()->modelList()->currentItem()->text().contains(QStringLiteral("tiny-encoder")));
    QCOMPARE(w_->recentModels()->paths().value(0), QDir::cleanPath(QFileInfo(tinyEncoder()).absoluteFilePath()));

    QTest::keyClicks(w_->editor(), QStringLiteral("the movie was good"));
    QCOMPARE(ws_->inputText(), QStringLiteral("the movie was good"));
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace() && ws_->trace()->input == "the movie was good", 20000);
    QVERIFY2(ws_->runError().isEmpty(), qPrintable(ws_->runError()));
    const auto& self = ws_->trace()->attention.at("self");
    QCOMPARE(self.dim(0), 2);
    QCOMPARE(self.dim(1), 2);
    HeatmapPanel* panel = heatmapOf(*w_);
    QTRY_COMPARE(panel->view()->data().rows, static_cast<int>(ws_->trace()->sourceTokens.size()));
    QVERIFY(panel->view()->data().colLabels.contains(QStringLiteral("movie")));
    QVERIFY(w_->statusText().contains(QStringLiteral("ms")));

    // Rollout on request: derived from attention.self [N, N] without a rerun, and the panel switches to it.
    ws_->setRolloutFusion(attnviz::RolloutFusion::Mean);
    QVERIFY(ws_->trace() && ws_->trace()->attention.count("rollout") == 0);
    QTRY_COMPARE(panel->mapName(), QStringLiteral("rollout"));
    QCOMPARE(panel->view()->data().rows, static_cast<int>(ws_->trace()->sourceTokens.size()));
  }

  void typingRunsOnTheWorkerAndDebounces() {
    auto model = std::make_shared<FakeModel>();
    ws_->addModel(model, QStringLiteral("fake:encoder"));
    QTRY_COMPARE(ws_->isRunning(), false);
    const int before = model->runs();
    QTest::keyClicks(w_->editor(), QStringLiteral("a quick brown fox"));  // one keystroke at a time
    QTRY_VERIFY(ws_->trace() && ws_->trace()->input == "a quick brown fox");
    QVERIFY2(model->runs() - before <= 3, qPrintable(QString::number(model->runs() - before)));  // debounced
    QCOMPARE(heatmapOf(*w_)->view()->data().rowLabels.value(2), QStringLiteral("quick"));
    // The time Model::run measured, as the status bar shows it.
    QVERIFY2(w_->statusText().contains(QRegularExpression(QStringLiteral("[0-9.]+ ms"))), qPrintable(w_->statusText()));
    QVERIFY(!w_->statusText().contains(QStringLiteral("fake warning")));

    // Trace warnings go to the status bar (the fake warns past 8 tokens).
    w_->editor()->setPlainText(QStringLiteral("one two three four five six seven eight"));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->sourceTokens.size() == 10);
    QVERIFY2(w_->statusText().contains(QStringLiteral("fake warning: long input")), qPrintable(w_->statusText()));
  }

  void uiStaysResponsiveAndLatestInputWins() {
    auto slow = std::make_shared<FakeModel>(FakeModel::Options{.delayMs = 300});
    ws_->addModel(slow, QStringLiteral("fake:slow"));
    ws_->setDebounceMs(0);
    ws_->setInputText(QStringLiteral("first"));
    ws_->runNow();
    QElapsedTimer t;
    t.start();
    ws_->setInputText(QStringLiteral("second"));
    ws_->runNow();
    ws_->setInputText(QStringLiteral("third"));
    ws_->runNow();
    QVERIFY(t.elapsed() < 250);  // runNow never waits for the model (each run takes 300 ms)
    QVERIFY(ws_->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace() && ws_->trace()->input == "third", 5000);
    QTest::qWait(400);
    QCOMPARE(ws_->trace()->input, std::string("third"));  // "first"'s late result was dropped
    QVERIFY(slow->runs() <= 2);  // "second" was skipped before it started
    QVERIFY(!ws_->isRunning());
  }

  void modelThatThrowsShowsMessageBarAndRecovers() {
    ws_->addModel(std::make_shared<FakeModel>(), QStringLiteral("fake:encoder"));
    ws_->setInputText(QStringLiteral("this goes boom"));
    ws_->runNow();
    QTRY_VERIFY(!ws_->runError().isEmpty());
    QVERIFY(w_->messageBar()->isVisible());
    QVERIFY(w_->messageBar()->text(QStringLiteral("run")).contains(QStringLiteral("refuses the word 'boom'")));
    QVERIFY(w_->messageBar()->text(QStringLiteral("run")).contains(QStringLiteral("editor")));
    ws_->setInputText(QStringLiteral("this is fine"));
    ws_->runNow();
    QTRY_VERIFY(ws_->trace() && ws_->trace()->input == "this is fine");
    QVERIFY(ws_->runError().isEmpty());
    QVERIFY(!w_->messageBar()->hasMessage(QStringLiteral("run")));
    QVERIFY(!w_->messageBar()->isVisible());
  }

  void failingLoadShowsMessageBar() {
    QSignalSpy failed(ws_, &Workspace::loadFailed);
    QSignalSpy loading(ws_, &Workspace::loadingChanged);
    ws_->openModel(QStringLiteral("fake:broken"));
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(loading.count(), 2);  // busy on, busy off
    QVERIFY(!w_->modelsDock()->busyIndicator()->isVisible());
    const QString text = w_->messageBar()->text(QStringLiteral("load"));
    QVERIFY2(text.contains(QStringLiteral("model file error")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("re-export")));
    QCOMPARE(ws_->models().size(), std::size_t{0});
    QVERIFY(w_->isVisible());
  }

  // A slow load shows a message with Cancel; cancelling drops the model when its reading finishes.
  void slowLoadCanBeCancelled() {
    ws_->setLoader([](const std::string&, const attnviz::LoadOptions&) -> ModelPtr {
      QThread::msleep(1500);
      return std::make_shared<FakeModel>();
    });
    QSignalSpy loading(ws_, &Workspace::loadingChanged);
    ws_->openModel(QStringLiteral("/tmp/slow-model"));
    QVERIFY(ws_->isLoading());
    QTRY_VERIFY_WITH_TIMEOUT(w_->messageBar()->hasMessage(QStringLiteral("loading")), 1200);
    QPushButton* cancel = nullptr;
    for (QPushButton* b : w_->messageBar()->findChildren<QPushButton*>())
      if (b->text() == QStringLiteral("Cancel")) cancel = b;
    QVERIFY(cancel);
    cancel->click();
    QVERIFY(!ws_->isLoading());
    QCOMPARE(loading.count(), 2);  // true, then false at once
    QVERIFY(!w_->messageBar()->hasMessage(QStringLiteral("loading")));
    QTest::qWait(1800);  // the reading finishes: its model is dropped
    QVERIFY(ws_->models().empty());
    QVERIFY(!w_->messageBar()->hasMessage(QStringLiteral("load")));
  }

  void missingModelPathShowsMessageBar() {
    ws_->setLoader([](const std::string& p, const attnviz::LoadOptions& o) -> ModelPtr { return attnviz::loadModel(p, o); });
    const QString path = QStringLiteral("/nonexistent/model-folder");
    ws_->openModel(path);
    QTRY_VERIFY(w_->messageBar()->hasMessage(QStringLiteral("load")));
  }

  // Skipped where bf16 cannot run; bf16MenuFollowsTheCpu and unit_test_cpu_capabilities check that is exactly where
  // oneDNN has no bf16 kernel.
  void bf16MenuRerunsEncodersInBfloat16() {
    if (const auto& cpu = attnviz::ops::cpuCapabilities(); !cpu.bf16)
      QSKIP(qPrintable(QStringLiteral("no bfloat16 on this CPU: ") + QString::fromStdString(cpu.bf16Reason)));
    ws_->setLoader([](const std::string& p, const attnviz::LoadOptions& o) -> ModelPtr { return attnviz::loadModel(p, o); });
    ws_->openModel(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-bert"));
    QTRY_COMPARE(ws_->models().size(), std::size_t{1});
    ws_->setInputText(QStringLiteral("the animal didn't cross the street because it was too tired."));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->attention.count("self"));
    const TracePtr f32 = ws_->trace();
    auto* action = w_->findChild<QAction*>(QStringLiteral("bf16Action"));
    QVERIFY(action && action->isCheckable());
    action->trigger();
    QVERIFY(ws_->bf16());
    QTRY_VERIFY(ws_->trace() != f32);  // rerun
    const attnviz::Tensor& a = f32->attention.at("self");
    const attnviz::Tensor& b = ws_->trace()->attention.at("self");
    QCOMPARE(a.shape(), b.shape());
    double worst = 0;
    for (std::int64_t i = 0; i < a.numel(); ++i) worst = std::max(worst, std::fabs(double(a.data()[i]) - b.data()[i]));
    QVERIFY2(worst > 0 && worst < 0.05, qPrintable(QString::number(worst)));  // bf16, close to f32
  }

  // Run > Transformers in bfloat16 is enabled exactly where bf16 runs; elsewhere it is disabled, its tooltip names the
  // missing feature, and the workspace refuses bf16 even when asked directly.
  void bf16MenuFollowsTheCpu() {
    const auto& cpu = attnviz::ops::cpuCapabilities();
    auto* action = w_->findChild<QAction*>(QStringLiteral("bf16Action"));
    QVERIFY(action);
    QCOMPARE(action->isEnabled(), cpu.bf16);
    if (cpu.bf16) return;
    QVERIFY2(action->toolTip().contains(QString::fromStdString(cpu.bf16Missing)), qPrintable(action->toolTip()));
    action->trigger();  // disabled: nothing happens
    QVERIFY(!action->isChecked());
    ws_->setBf16(true);
    QVERIFY(!ws_->bf16());
  }

  void vitModelRunsOnTheOpenedImage() {
    ws_->setLoader([](const std::string& p, const attnviz::LoadOptions& o) -> ModelPtr { return attnviz::loadModel(p, o); });
    ws_->openModel(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit"));
    QTRY_COMPARE(ws_->models().size(), std::size_t{1});
    ws_->setInputText(QStringLiteral("text is not what a vit model reads"));
    QTest::qWait(ws_->debounceMs() + 100);
    QVERIFY(!ws_->trace());  // no image yet: nothing to run, no error
    QVERIFY(!w_->messageBar()->isVisible());
    w_->openImage(attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit-golden/rgb-32x32.png"));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->attention.count("self"));
    QCOMPARE(ws_->trace()->sourceTokens.size(), std::size_t{17});
    QCOMPARE(ws_->trace()->sourceTokens[1], std::string("patch 0,0"));
    // A dropped image becomes the input too.
    const QString other = attnviz::test::testDataDir() + QStringLiteral("/tiny-hf-vit-golden/grey-20x20.png");
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(other)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w_.get(), &enter);
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w_.get(), &drop);
    QCOMPARE(ws_->imagePath(), other);
    QTRY_VERIFY(ws_->trace() && ws_->trace()->input == other.toStdString());

    // An image in the clipboard: Ctrl+V in the input writes it to a PNG of this session and runs on it.
    QImage pixels(24, 16, QImage::Format_RGB32);
    pixels.fill(QColor(200, 40, 90));
    QApplication::clipboard()->setImage(pixels);
    QPlainTextEdit* editor = w_->findChild<QPlainTextEdit*>(QStringLiteral("inputEditor"));
    const QString typed = editor->toPlainText();
    QTest::keyClick(editor, Qt::Key_V, Qt::ControlModifier);
    QVERIFY(ws_->imagePath().endsWith(QStringLiteral("pasted-1.png")));
    QCOMPARE(QImage(ws_->imagePath()).size(), QSize(24, 16));
    QCOMPARE(QImage(ws_->imagePath()).pixel(3, 3), pixels.pixel(3, 3));
    QCOMPARE(editor->toPlainText(), typed);  // no text pasted
    QTRY_VERIFY(ws_->trace() && ws_->trace()->input == ws_->imagePath().toStdString());
    const QString pasted = ws_->imagePath();
    // Text only: Paste Image says so and keeps the image; Ctrl+V pastes the text as usual.
    QApplication::clipboard()->setText(QStringLiteral("just words"));
    auto* paste = w_->findChild<QAction*>(QStringLiteral("pasteImageAction"));
    QVERIFY(paste);
    paste->trigger();
    QCOMPARE(ws_->imagePath(), pasted);
    QVERIFY(w_->messageBar()->isVisible());
    QVERIFY(w_->messageBar()->text(QStringLiteral("paste")).contains(QStringLiteral("no image")));
    QTest::keyClick(editor, Qt::Key_V, Qt::ControlModifier);
    QVERIFY(editor->toPlainText().contains(QStringLiteral("just words")));
    // A copied image file is opened where it is.
    auto* files = new QMimeData;
    files->setUrls({QUrl::fromLocalFile(other)});
    QApplication::clipboard()->setMimeData(files);
    paste->trigger();
    QCOMPARE(ws_->imagePath(), other);
    QVERIFY(!w_->messageBar()->isVisible());
  }

  void switchingModelsKeepsOneCurrent() {
    ws_->openModel(QStringLiteral("fake:encoder"));
    QTRY_COMPARE(ws_->models().size(), std::size_t{1});
    ws_->openModel(QStringLiteral("fake:seq2seq"));
    QTRY_COMPARE(ws_->models().size(), std::size_t{2});
    QCOMPARE(ws_->currentKind(), QStringLiteral("seq2seq"));
    ws_->setInputText(QStringLiteral("the cat"));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->attention.count("cross"));
    // seq2seq gets the alignment panel (the same heatmap view) in place of the generic heatmap.
    auto* alignment = qobject_cast<AlignmentPanel*>(w_->panelArea()->panel(QStringLiteral("alignment")));
    QVERIFY(alignment != nullptr);
    QTRY_COMPARE(alignment->view()->data().rowLabels.value(1), QStringLiteral("le"));
    w_->modelsDock()->modelList()->setCurrentRow(0);
    QCOMPARE(ws_->currentIndex(), 0);
    QTRY_VERIFY(ws_->trace() && ws_->trace()->attention.count("self"));
  }

  void exportsFromTheWindow() {
    ws_->addModel(std::make_shared<FakeModel>(), QStringLiteral("fake:encoder"));
    ws_->setInputText(QStringLiteral("the cat sat"));
    ws_->runNow();
    QTRY_VERIFY(ws_->trace());
    QTRY_VERIFY(!heatmapOf(*w_)->view()->data().empty());
    QTemporaryDir dir;
    const QSizeF size = heatmapOf(*w_)->figureSize();
    QVERIFY(size.width() > 100);
    const SaveResult png = w_->exportFigureTo(dir.filePath(QStringLiteral("f.png")), {FigureFormat::Png, size, 96, {}});
    QVERIFY2(png.ok, qPrintable(png.error));
    QCOMPARE(QImage(dir.filePath(QStringLiteral("f.png"))).size(), size.toSize());
    QVERIFY(w_->exportFigureTo(dir.filePath(QStringLiteral("f.svg")), {FigureFormat::Svg, size, 96, {}}).ok);
    QVERIFY(w_->exportFigureTo(dir.filePath(QStringLiteral("f.pdf")), {FigureFormat::Pdf, size, 300, {}}).ok);
    QVERIFY(w_->exportDataTo(dir.filePath(QStringLiteral("m.csv"))).ok);
    QVERIFY(w_->exportDataTo(dir.filePath(QStringLiteral("t.json"))).ok);
    QFile csv(dir.filePath(QStringLiteral("m.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QVERIFY(csv.readLine().startsWith("query token \\ key token,[CLS],the,cat,sat,[SEP]"));

    const QString bad = dir.filePath(QStringLiteral("missing/f.png"));
    const SaveResult r = w_->exportFigureTo(bad, {FigureFormat::Png, size, 96, {}});
    QVERIFY(!r.ok);
    QVERIFY(!QFile::exists(bad));
    QVERIFY(w_->messageBar()->text(QStringLiteral("export")).contains(QStringLiteral("missing")));

    // Copy Figure: the current tab's figure on the clipboard as a 2x PNG and as SVG.
    const QSizeF shown = heatmapOf(*w_)->figureSize();  // the message bar above took some of the panel's height
    QVERIFY(w_->copyFigure());
    const QMimeData* clip = QApplication::clipboard()->mimeData();
    QVERIFY(clip && clip->hasImage());
    QCOMPARE(qvariant_cast<QImage>(clip->imageData()).size(), (shown * 2).toSize());
    QVERIFY(clip->data(QStringLiteral("image/png")).startsWith("\x89PNG"));
    QVERIFY(clip->data(QStringLiteral("image/svg+xml")).contains("<svg"));
  }

  void dropOpensModel() {
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(QStringLiteral("/tmp/fake-dropped-model"))});
    ws_->setLoader([](const std::string&, const attnviz::LoadOptions&) -> ModelPtr { return std::make_shared<FakeModel>(); });
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w_.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w_.get(), &drop);
    QTRY_COMPARE(ws_->models().size(), std::size_t{1});
    QCOMPARE(ws_->models().front().path, QStringLiteral("/tmp/fake-dropped-model"));
  }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
