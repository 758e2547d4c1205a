// WindowTest: the window set-up the ui tests share, written once. A test class derives from it; w_ is a
// MainWindow whose Workspace (ws_) runs at once (no debounce), shown at one size and exposed before the test
// drives it (STYLE.md 16). Settings stay out of the user's: isolateSettings() in initTestCase().
//
//   class TestSaliency : public attnviz::test::WindowTest {
//     Q_OBJECT
//    private slots:
//     void initTestCase() { attnviz::test::isolateSettings(); }
//     void init() {
//       createWindow();
//       ws_->addModel(std::make_shared<FakeHan>(), QStringLiteral("fake:han"));
//       QVERIFY(showWindow());
//       QVERIFY(typeAndWait(QStringLiteral("the film was great .")));
//     }
//     void cleanup() { closeWindow(); }
//     void hoverFollows() { auto* p = panel<SaliencyPanel>("saliency"); ... }
//   };
#pragma once

#include <QObject>
#include <QSize>
#include <QString>
#include <memory>

#include "ui/panels/panel_area.h"
#include "ui/shell/main_window.h"

namespace attnviz::test {

class WindowTest : public QObject {
  Q_OBJECT

 protected:
  static constexpr QSize kWindowSize{1280, 820};
  static constexpr int kWaitMs = 20000;  // a model load or a run of the tiny real models, with room for ASan

  // A new MainWindow in w_, its workspace in ws_ with no debounce; not shown yet (add or open models first).
  void createWindow();
  // Shows w_ at size; false when it is never exposed.
  [[nodiscard]] bool showWindow(QSize size = kWindowSize);
  // Opens path in ws_ (asynchronously) and waits until `count` models are open; false on timeout.
  [[nodiscard]] bool openModelAndWait(const QString& path, int count = 1, int timeoutMs = kWaitMs);
  // Types text into the window's editor and waits until the workspace's trace is of that text; false on timeout.
  [[nodiscard]] bool typeAndWait(const QString& text, int timeoutMs = kWaitMs);
  // The window's panel registered as id (panel_registry.cpp), as a P; nullptr when there is none.
  template <typename P>
  P* panel(const char* id) const {
    return qobject_cast<P*>(w_->panelArea()->panel(QString::fromLatin1(id)));
  }
  // Deletes the window (in cleanup()).
  void closeWindow();

  std::unique_ptr<ui::MainWindow> w_;
  ui::Workspace* ws_ = nullptr;
};

}  // namespace attnviz::test
