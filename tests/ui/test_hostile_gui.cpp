// The window under hostile and huge input, and the limits a user can change (Run > Limits…): a 1 MB text and a
// 100,000-character word, a 20000 x 20000 image, an image pasted over the limit, a map too large for full detail,
// a broken model opened while another runs, typing while a long occlusion job runs, and closing the window in
// the middle of inference or of a model load. The app must stay responsive, say what happened, and end cleanly.
#include <zlib.h>

#include <QDialogButtonBox>
#include <QLabel>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include "tests/ui/fake_han.h"
#include "tests/ui/fake_model.h"
#include "tests/ui/window_test.h"
#include "ui/maps/heatmap_panel.h"
#include "ui/shell/limits_dialog.h"
#include "ui/shell/main_window.h"
#include "ui/shell/message_bar.h"
#include "ui/panels/panel_area.h"
#include "ui/document/workspace.h"

using namespace attnviz::ui;
using attnviz::test::FakeHan;
using attnviz::test::FakeModel;

namespace {

QString data(const QString& relative) { return attnviz::test::testDataDir() + QLatin1Char('/') + relative; }

HeatmapPanel* heatmapOf(MainWindow& w) {
  for (Panel* p : w.panelArea()->panels())
    if (auto* h = qobject_cast<HeatmapPanel*>(p)) return h;
  return nullptr;
}

void putU32(QByteArray& out, quint32 v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.append(static_cast<char>((v >> shift) & 0xff));
}

void putChunk(QByteArray& out, const char* type, const QByteArray& body) {
  putU32(out, static_cast<quint32>(body.size()));
  const QByteArray typed = QByteArray(type, 4) + body;
  out.append(typed);
  putU32(out, static_cast<quint32>(crc32(0, reinterpret_cast<const Bytef*>(typed.constData()), static_cast<uInt>(typed.size()))));
}

// A complete, valid 8-bit greyscale PNG of width x height black pixels, deflated row by row (so a 20000 x 20000
// image, 400 M pixels, costs a few hundred KB and never exists in memory).
QByteArray blackPng(int width, int height) {
  QByteArray png("\x89PNG\r\n\x1a\n", 8);
  QByteArray ihdr;
  putU32(ihdr, static_cast<quint32>(width));
  putU32(ihdr, static_cast<quint32>(height));
  ihdr.append(QByteArray("\x08\x00\x00\x00\x00", 5));  // 8-bit, greyscale, deflate, no filter, no interlace
  putChunk(png, "IHDR", ihdr);
  z_stream z{};
  deflateInit(&z, 9);
  const QByteArray row(width + 1, '\0');  // filter byte 0, then the pixels
  QByteArray idat, buffer(1 << 16, '\0');
  for (int y = 0; y < height; ++y) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(row.constData()));
    z.avail_in = static_cast<uInt>(row.size());
    const int flush = y + 1 == height ? Z_FINISH : Z_NO_FLUSH;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer.data());
      z.avail_out = static_cast<uInt>(buffer.size());
      deflate(&z, flush);
      idat.append(buffer.constData(), buffer.size() - static_cast<int>(z.avail_out));
    } while (z.avail_out == 0 || (flush == Z_FINISH && z.avail_in > 0));
  }
  deflateEnd(&z);
  putChunk(png, "IDAT", idat);
  putChunk(png, "IEND", {});
  return png;
}

QString statusOrMessages(MainWindow& w) {
  return w.statusText() + QLatin1Char('\n') + w.messageBar()->text(QStringLiteral("run"));
}

}  // namespace

class TestHostileGui : public attnviz::test::WindowTest {
  Q_OBJECT

  QTemporaryDir dir_;

  void openReal(const QString& path) {
    QSignalSpy opened(ws_, &Workspace::modelOpened);
    ws_->openModel(path);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count() + w_->messageBar()->count(), 1, 20000);
    QVERIFY2(opened.count() == 1, qPrintable(w_->messageBar()->text(QStringLiteral("load"))));
  }

 private slots:
  void initTestCase() { attnviz::test::isolateSettings(); }

  void init() {
    createWindow();
    ws_->setLoader(attnviz::test::fakeLoader());
    w_->show();
    QVERIFY(QTest::qWaitForWindowExposed(w_.get()));
  }

  void cleanup() {
    closeWindow();
  }

  // --- limits

  void limitsDialogShowsChangesAndRestoresDefaults() {
    LimitSettings custom;
    custom.maxTokens = 300;
    custom.maxImagePixels = 3LL << 20;
    custom.maxModelFileBytes = 100LL << 20;
    custom.fullDetailCells = 900;
    LimitsDialog dialog(custom);
    QCOMPARE(dialog.limits(), custom);
    QCOMPARE(dialog.tokensBox()->maximum(), 1'000'000);
    QCOMPARE(dialog.modelSizeBox()->suffix(), QStringLiteral(" MiB"));
    QVERIFY(dialog.tokensBox()->toolTip().contains(QStringLiteral("--max-tokens")));
    QVERIFY(!dialog.cellsBox()->toolTip().contains(QStringLiteral("--")));  // no such command-line flag
    dialog.cellsBox()->setValue(5000);
    QCOMPARE(dialog.limits().fullDetailCells, 5000);
    dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::RestoreDefaults)->click();
    QCOMPARE(dialog.limits(), LimitSettings{});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    if (qEnvironmentVariableIsSet("ATTNVIZ_SHOT_DIR"))
      dialog.grab().save(qEnvironmentVariable("ATTNVIZ_SHOT_DIR") + QStringLiteral("/limits-dialog.png"));
  }

  void limitsAreSavedAndClampedWhenRead() {
    LimitSettings s;
    s.maxTokens = 123;
    s.save();
    QCOMPARE(LimitSettings::load().maxTokens, 123);
    QSettings().setValue(QStringLiteral("limits/max-tokens"), -7);             // a hand-edited settings file
    QSettings().setValue(QStringLiteral("limits/max-image-pixels"), QStringLiteral("lots"));
    const LimitSettings read = LimitSettings::load();
    QCOMPARE(read.maxTokens, attnviz::kMaxTokensLimit.min);
    QCOMPARE(read.maxImagePixels, attnviz::kMaxImagePixelsLimit.defaultValue);
    QSettings().remove(QStringLiteral("limits"));
  }

  void tokenLimitCutsTheRunAndTheStatusBarSaysSo() {
    openReal(data(QStringLiteral("tiny-encoder")));
    LimitSettings limits;
    limits.maxTokens = 6;
    ws_->setLimits(limits);
    w_->editor()->setPlainText(QStringLiteral("the cat sat on the mat and then it slept"));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->input.starts_with("the cat sat on the mat and"));
    QCOMPARE(ws_->trace()->sourceTokens.size(), std::size_t{6});
    QVERIFY2(w_->statusText().contains(QStringLiteral("--max-tokens")), qPrintable(w_->statusText()));
    QCOMPARE(heatmapOf(*w_)->view()->data().rows, 6);
    // Raising the limit reruns the same input, whole.
    ws_->setLimits({});
    QTRY_COMPARE(ws_->trace()->sourceTokens.size(), std::size_t{12});
  }

  void largeMapIsDrawnAsAnImageAndThePanelSaysSo() {
    ws_->addModel(std::make_shared<FakeModel>(), QStringLiteral("fake:encoder"));
    QStringList words;
    for (int i = 0; i < 200; ++i) words << QStringLiteral("w%1").arg(i);
    ws_->setInputText(words.join(QLatin1Char(' ')));
    ws_->runNow();
    QTRY_VERIFY(ws_->trace() && ws_->trace()->sourceTokens.size() == 202);
    HeatmapPanel* panel = heatmapOf(*w_);
    auto visibleNote = [panel]() -> QString {
      for (QLabel* l : panel->findChildren<QLabel*>())
        if (l->isVisible() && l->text().contains(QStringLiteral("drawn as an image"))) return l->text();
      return {};
    };
    QTRY_VERIFY(!visibleNote().isEmpty());
    QVERIFY2(visibleNote().contains(QStringLiteral("40,804 cells")), qPrintable(visibleNote()));
    QVERIFY(visibleNote().contains(QStringLiteral("25,600")));
    if (qEnvironmentVariableIsSet("ATTNVIZ_SHOT_DIR"))
      w_->grab().save(qEnvironmentVariable("ATTNVIZ_SHOT_DIR") + QStringLiteral("/large-map-note.png"));
    LimitSettings all;
    all.fullDetailCells = 1'000'000;
    ws_->setLimits(all);
    QTRY_VERIFY(visibleNote().isEmpty());
  }

  // --- huge and strange text

  void oneMegabyteOfTextIsCutAndTheWindowKeepsUp() {
    openReal(data(QStringLiteral("tiny-encoder")));
    QString text;
    text.reserve(1 << 20);
    while (text.size() < (1 << 20)) text += QStringLiteral("the cat sat on the mat. ");
    int ticks = 0;
    QTimer tick;
    connect(&tick, &QTimer::timeout, [&ticks] { ++ticks; });
    tick.start(0);
    w_->editor()->setPlainText(text);
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace() && ws_->trace()->input.size() == static_cast<std::size_t>(text.size()), 30000);
    tick.stop();
    QVERIFY(ticks > 0);  // the event loop ran while the model did
    QVERIFY2(w_->statusText().contains(QStringLiteral("truncated")), qPrintable(w_->statusText()));
    QCOMPARE(w_->editor()->toPlainText().size(), text.size());
  }

  void aHundredThousandCharacterWordIsOneUnknownToken() {
    openReal(data(QStringLiteral("tiny-encoder")));
    const QString word(100'000, QLatin1Char('x'));
    w_->editor()->setPlainText(QStringLiteral("a ") + word + QStringLiteral(" b"));
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace() && ws_->trace()->input.size() == 100'004, 20000);
    QCOMPARE(ws_->trace()->sourceTokens.size(), std::size_t{5});
    QCOMPARE(ws_->trace()->sourceTokens[2], std::string("[UNK]"));
    // Control characters, right-to-left, combining marks, emoji and CJK: a result, not a crash.
    w_->editor()->setPlainText(QString::fromUtf8("a\x01\x1f b \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d e\xcc\x81 \xf0\x9f\x98\x80 \xe4\xb8\xad\xe6\x96\x87"));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->input.starts_with("a\x01"));
    QVERIFY(!w_->messageBar()->isVisible());
  }

  // --- huge images

  void twentyThousandSquareImageIsRefusedFromItsHeader() {
    const QString path = dir_.filePath(QStringLiteral("huge-20000.png"));
    {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(blackPng(20000, 20000));
    }
    QVERIFY(QFileInfo(path).size() < 2 << 20);
    openReal(data(QStringLiteral("tiny-hf-vit")));
    w_->openImage(path);
    QTRY_VERIFY_WITH_TIMEOUT(w_->messageBar()->text(QStringLiteral("run")).contains(QStringLiteral("20000x20000")), 20000);
    const QString message = w_->messageBar()->text(QStringLiteral("run"));
    QVERIFY2(message.contains(QStringLiteral("huge-20000.png")) && message.contains(QStringLiteral("limit of 67,108,864")),
             qPrintable(message));
    QVERIFY(message.contains(QStringLiteral("Run > Limits")));
    // The window recovers with the next image.
    w_->openImage(data(QStringLiteral("tiny-hf-vit-golden/rgb-32x32.png")));
    QTRY_VERIFY(ws_->trace() && ws_->trace()->sourceTokens.size() == 17);
    QTRY_VERIFY(w_->messageBar()->text(QStringLiteral("run")).isEmpty());
  }

  void pastedImageOverTheLimitIsRefusedBeforeItIsWritten() {
    LimitSettings limits;
    limits.maxImagePixels = 1 << 20;
    ws_->setLimits(limits);
    QMimeData mime;
    QImage big(1100, 1000, QImage::Format_RGB32);
    big.fill(Qt::darkGreen);
    mime.setImageData(big);
    QVERIFY(!w_->pasteImage(&mime));
    QVERIFY(w_->messageBar()->isVisible());
    QCOMPARE(ws_->imagePath(), QString());
    QImage small(1000, 1000, QImage::Format_RGB32);
    small.fill(Qt::darkGreen);
    mime.setImageData(small);
    QVERIFY(w_->pasteImage(&mime));
  }

  // --- concurrency: loads, long jobs and closing while work is in flight

  void brokenModelOpenedWhileAnotherRuns() {
    auto slow = std::make_shared<FakeModel>(FakeModel::Options{.delayMs = 400});
    ws_->addModel(slow, QStringLiteral("fake:slow"));
    ws_->setInputText(QStringLiteral("the slow run"));
    ws_->runNow();
    QVERIFY(ws_->isRunning());
    QSignalSpy failed(ws_, &Workspace::loadFailed);
    ws_->openModel(QStringLiteral("fake:broken"));
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY(w_->messageBar()->text(QStringLiteral("load")).contains(QStringLiteral("missing \"kind\"")));
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace() && ws_->trace()->input == "the slow run", 5000);
    QVERIFY(ws_->currentModel() == slow);
    QCOMPARE(ws_->models().size(), std::size_t{1});
    QVERIFY(!ws_->isLoading());
  }

  void typingWhileALongOcclusionJobRuns() {
    auto han = std::make_shared<FakeHan>(FakeHan::Options{.occlusionDelayMs = 40});
    ws_->addModel(han, QStringLiteral("fake:han"));
    w_->editor()->setPlainText(QStringLiteral("a great film .\nan awful ending .\nthe cast was fine ."));
    QTRY_VERIFY(han->occlusionStarted() >= 1);
    QVERIFY(ws_->derived().occlusionJob().isRunning());
    // Keystrokes land at once while the job runs; the new document's trace replaces the old and its job
    // cancels the old one.
    w_->editor()->moveCursor(QTextCursor::End);
    QTest::keyClicks(w_->editor(), QStringLiteral(" truly great"));
    QVERIFY(w_->editor()->toPlainText().endsWith(QStringLiteral("truly great")));
    QTRY_VERIFY_WITH_TIMEOUT(ws_->trace() && QString::fromStdString(ws_->trace()->input).endsWith(QStringLiteral("truly great")), 10000);
    QTRY_VERIFY(han->occlusionCancelled() >= 1);
    ws_->derived().cancelOcclusion();
  }

  void closingMidInferenceEndsCleanly() {
    auto slow = std::make_shared<FakeModel>(FakeModel::Options{.delayMs = 300});
    ws_->addModel(slow, QStringLiteral("fake:slow"));
    ws_->setInputText(QStringLiteral("still running"));
    ws_->runNow();
    QTRY_VERIFY(slow->runs() == 1);  // inside run() now
    QVERIFY(ws_->isRunning());
    w_->close();
    w_.reset();  // waits for the run in flight, drops its result
    ws_ = nullptr;
    QTest::qWait(100);
    QCOMPARE(slow->runs(), 1);
  }

  void closingDuringAModelLoadEndsCleanly() {
    std::atomic<bool> loaded{false};
    ws_->setLoader([&loaded](const std::string&, const attnviz::LoadOptions&) -> ModelPtr {
      QThread::msleep(300);
      loaded = true;
      return std::make_shared<FakeModel>();
    });
    ws_->openModel(QStringLiteral("fake:slow-load"));
    QVERIFY(ws_->isLoading());
    w_->close();
    closeWindow();
    QTRY_VERIFY(loaded.load());  // the pool thread finished; its result had nowhere to go
    QTest::qWait(50);
  }
};

QTEST_MAIN(TestHostileGui)
#include "test_hostile_gui.moc"
