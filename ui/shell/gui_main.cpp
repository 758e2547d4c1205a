#include "ui/shell/gui_main.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QIcon>
#include <QTimer>
#include <cstdio>
#include <cstdlib>

#include "attnviz_version.h"
#include "ui/session/autosave.h"
#include "ui/shell/main_window.h"
#include "ui/document/problem.h"
#include "ui/shell/recovery_offer.h"
#include "ui/shell/session_controller.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

constexpr int kShotSettleMs = 150;     // let the panels repaint after the trace arrives
constexpr int kShotTimeoutMs = 60000;  // give up when no trace ever arrives

// Screenshot mode (ATTNVIZ_SCREENSHOT=out.png): once the first trace is shown, grab the window to the
// file and quit — exit 0 on success, 1 on a load/run error or a failed save, 2 on timeout. For docs
// and for testing runGui end to end.
void armScreenshot(MainWindow& window, const QString& path) {
  Workspace* ws = window.workspace();
  auto finish = [&window, path](int code) {
    if (code == 0) {
      const bool saved = window.grab().save(path);
      std::fprintf(stderr, "attnviz: screenshot %s%s\n", qPrintable(path), saved ? "" : " could not be written");
      if (!saved) code = 1;
    }
    QApplication::exit(code);
  };
  QObject::connect(ws, &Workspace::traceChanged, &window, [ws, finish] {
    if (ws->trace()) QTimer::singleShot(kShotSettleMs, [finish] { finish(0); });
  });
  QObject::connect(ws, &Workspace::loadFailed, &window, [finish](const QString&, const Problem& p) {
    std::fprintf(stderr, "attnviz: %s\n", qPrintable(p.text()));
    finish(1);
  });
  QObject::connect(ws, &Workspace::runErrorChanged, &window, [finish](const QString& text) {
    if (text.isEmpty()) return;
    std::fprintf(stderr, "attnviz: %s\n", qPrintable(text));
    finish(1);
  });
  QTimer::singleShot(kShotTimeoutMs, &window, [finish] { QApplication::exit(2); });
}

// The window's size and docks from the last run (QSettings "window/…"), saved again when the app quits.
void rememberWindowLayout(MainWindow& window) {
  const QSettings settings;
  window.restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
  window.restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
  window.resize(MainWindow::boundedToScreen(window.size()));  // a size saved on a larger screen
  QObject::connect(qApp, &QCoreApplication::aboutToQuit, &window, [&window] {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), window.saveGeometry());
    settings.setValue(QStringLiteral("window/state"), window.saveState());
  });
}

bool isSessionFile(const std::string& path) {
  return QFileInfo(QString::fromStdString(path)).suffix().compare(QLatin1String("attnviz"), Qt::CaseInsensitive) == 0;
}

}  // namespace

int runGui(int argc, char** argv, const std::vector<std::string>& modelPaths,
           const std::vector<std::string>& inputTexts, const std::vector<std::string>& imagePaths) {
  // OpenMP's waiting is left as libgomp's default (a short spin, 300,000 iterations, then sleep): libgomp reads its
  // environment when it is loaded, before main, so nothing set here could change it anyway. Small runs use one
  // thread (Model::run) and so never spin; at 2 threads the short spin is ~10% faster than OMP_WAIT_POLICY=PASSIVE
  // on BERT-base (README "Speed").

  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("attnviz"));
  QApplication::setApplicationName(QStringLiteral("attnviz"));
  QApplication::setApplicationDisplayName(QStringLiteral("attnviz"));
  QApplication::setApplicationVersion(QString::fromLatin1(kVersion));  // project(VERSION) in CMakeLists.txt
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/attnviz/icons/attnviz.svg")));

  MainWindow window;
  window.workspace()->setLimits(LimitSettings::load());  // before anything opens or runs
  for (const std::string& path : modelPaths) {
    if (isSessionFile(path)) window.sessions()->open(QString::fromStdString(path));
    else window.workspace()->openModel(QString::fromStdString(path));
  }
  if (!inputTexts.empty()) window.workspace()->setInputText(QString::fromStdString(inputTexts.front()));
  if (!imagePaths.empty()) window.workspace()->setImagePath(QString::fromStdString(imagePaths.front()));
  const QString shot = qEnvironmentVariable("ATTNVIZ_SCREENSHOT");
  // Every few seconds of change the session is autosaved; a clean quit removes the file, so one left behind
  // by a crash or kill -9 is offered for restoring at the next start. Screenshot runs neither write nor offer.
  Autosave autosave([&window] {
    const Workspace* ws = window.workspace();
    if (ws->models().empty() && ws->inputText().isEmpty() && ws->imagePath().isEmpty()) return QByteArray();
    return window.sessions()->captureJson(QDir(Autosave::defaultDir()));
  });
  if (shot.isEmpty()) {
    rememberWindowLayout(window);
    autosave.start();
    offerRecovery(window, Autosave::defaultDir());
    QObject::connect(&app, &QCoreApplication::aboutToQuit, &autosave, &Autosave::discard);
  }
  window.show();
  if (!shot.isEmpty()) armScreenshot(window, shot);
  return QApplication::exec();
}

}  // namespace attnviz::ui
