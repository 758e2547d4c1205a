// Autosave: writes the session every few seconds while it changes, so a crash or a kill -9 loses at most
// that much. Each running attnviz writes its own file, autosave-<pid>.attnviz in dir() (written atomically,
// save_file.h); a clean exit removes it. A file whose process is gone is an orphan: the next start offers to
// restore it (gui_main.cpp).
//
//   Autosave autosave([&] { return sessionToJson(capture(), QDir::home()); });
//   autosave.start();                       // every intervalMs, if the snapshot changed
//   QStringList lost = Autosave::orphans(Autosave::defaultDir());   // newest first
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <functional>

namespace attnviz::ui {

class Autosave : public QObject {
  Q_OBJECT

 public:
  static constexpr int kDefaultIntervalMs = 3000;

  using Snapshot = std::function<QByteArray()>;  // the session's JSON; empty: nothing worth saving
  // dir: empty = defaultDir(). intervalMs: ATTNVIZ_AUTOSAVE_MS overrides the default (tests).
  explicit Autosave(Snapshot snapshot, const QString& dir = {}, QObject* parent = nullptr);
  ~Autosave() override;

  void start();
  bool saveNow();        // writes when the snapshot differs from the last one written; false on a write error
  void discard();        // removes this process's file (a clean exit); stops the timer
  QString path() const { return path_; }
  QString lastError() const { return lastError_; }

  // $XDG_DATA_HOME/attnviz/autosave (QStandardPaths::AppLocalDataLocation).
  static QString defaultDir();
  // Autosave files in dir whose process is no longer running, newest first.
  static QStringList orphans(const QString& dir);

 signals:
  void saved(const QString& path);

 private:
  Snapshot snapshot_;
  QString path_;
  QByteArray last_;
  QString lastError_;
  QTimer timer_;
};

}  // namespace attnviz::ui
