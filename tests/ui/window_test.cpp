#include "tests/ui/window_test.h"

#include <QDeadlineTimer>
#include <QPlainTextEdit>
#include <QTest>
#include <functional>

#include "ui/document/workspace.h"

namespace attnviz::test {
namespace {

constexpr int kPollMs = 50;  // as QTRY_*: short waits, so a busy event loop cannot hold one wait for the whole timeout

// Waits until done() or timeoutMs; false on timeout. QTest::qWaitFor(done, timeoutMs) would hand the whole timeout to
// one processEvents call, which runs on while events keep coming.
bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
  const QDeadlineTimer deadline(timeoutMs);
  while (!done()) {
    if (deadline.hasExpired()) return false;
    QTest::qWait(kPollMs);
  }
  return true;
}

}  // namespace

void WindowTest::createWindow() {
  w_ = std::make_unique<ui::MainWindow>();
  ws_ = w_->workspace();
  ws_->setDebounceMs(0);
}

bool WindowTest::showWindow(QSize size) {
  w_->resize(size);
  w_->show();
  return QTest::qWaitForWindowExposed(w_.get());
}

bool WindowTest::openModelAndWait(const QString& path, int count, int timeoutMs) {
  ws_->openModel(path);
  const bool opened = waitUntil([&] { return static_cast<int>(ws_->models().size()) == count; }, timeoutMs);
  if (!opened) qWarning("%s: %d models open after %d ms, expected %d", qPrintable(path), static_cast<int>(ws_->models().size()), timeoutMs, count);
  return opened;
}

bool WindowTest::typeAndWait(const QString& text, int timeoutMs) {
  w_->editor()->setPlainText(text);
  const bool ran = waitUntil([&] { return ws_->trace() && QString::fromStdString(ws_->trace()->input) == text; }, timeoutMs);
  if (!ran) qWarning("no trace of \"%s\" after %d ms", qPrintable(text), timeoutMs);
  return ran;
}

void WindowTest::closeWindow() {
  w_.reset();
  ws_ = nullptr;
}

}  // namespace attnviz::test
