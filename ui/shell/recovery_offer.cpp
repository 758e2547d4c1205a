#include "ui/shell/recovery_offer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>

#include "ui/session/autosave.h"
#include "ui/shell/main_window.h"
#include "ui/shell/message_bar.h"
#include "ui/document/problem.h"
#include "ui/shell/session_controller.h"

namespace attnviz::ui {
namespace {

const char* const kKey = "recover";

}  // namespace

bool offerRecovery(MainWindow& window, const QString& autosaveDir) {
  const QStringList orphans = Autosave::orphans(autosaveDir);
  if (orphans.isEmpty()) return false;
  const QString path = orphans.front();
  MessageBar* bar = window.messageBar();
  SessionState state;
  try {
    state = readSessionFile(path);
  } catch (...) {
    bar->showMessage(QLatin1String(kKey), MessageBar::Warning,
                     QObject::tr("attnviz did not close properly last time, and its autosave cannot be read — %1")
                         .arg(Problem::fromCurrentException().text()));
    return true;
  }
  const QString when = QLocale().toString(QFileInfo(path).lastModified(), QLocale::ShortFormat);
  const auto n = state.models.size();
  const QString what = n == 0 ? QObject::tr("no model") : n == 1 ? QObject::tr("1 model") : QObject::tr("%1 models").arg(n);
  bar->showMessage(QLatin1String(kKey), MessageBar::Info,
                   QObject::tr("attnviz did not close properly last time. Restore the session autosaved at %1 (%2)?").arg(when, what));
  bar->addButton(QLatin1String(kKey), QObject::tr("Restore"), [&window, path, state] {
    window.sessions()->restore(state);
    QFile::remove(path);  // this window's own autosave takes over
  });
  bar->addButton(QLatin1String(kKey), QObject::tr("Discard"), [path] { QFile::remove(path); });
  return true;
}

}  // namespace attnviz::ui
