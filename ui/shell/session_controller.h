// SessionController: saves a window's session to a .attnviz file and restores one into it (session_state.h
// is the file format). Restoring replaces the open models, input and view: models load in the background;
// the comparison follows once they have loaded, and the selection and panel controls once the first trace
// arrives (some controls only have their choices then).
//
//   SessionController sessions(&window);
//   sessions.save("/papers/fig3.attnviz");    // SaveResult, atomically
//   sessions.open("/papers/fig3.attnviz");    // false and a message in the window on a bad file
//   connect(&sessions, &SessionController::restored, ...);   // everything applied
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <optional>

#include "ui/export/save_file.h"
#include "ui/session/session_state.h"

namespace attnviz::ui {

class MainWindow;

class SessionController : public QObject {
  Q_OBJECT

 public:
  explicit SessionController(MainWindow* window);

  SessionState capture() const;
  // sessionDir: what model paths are made relative to in the JSON.
  QByteArray captureJson(const QDir& sessionDir) const { return sessionToJson(capture(), sessionDir); }
  void restore(const SessionState& state);
  bool isRestoring() const { return pending_.has_value(); }

  SaveResult save(const QString& path);
  bool open(const QString& path);  // reads, validates and restores; a message in the window when it cannot
  QString path() const { return path_; }  // the session file last saved or opened ("" for none)

 signals:
  void restored();      // the whole session is applied (models that failed to load are reported, not waited for)
  void pathChanged(const QString& path);

 private:
  void onModelSettled();  // a model of the session loaded or failed
  void applyComparison();
  void applyView();       // selection, tab, splitters, panel controls
  void finish();
  void setPath(const QString& path);

  MainWindow* window_;
  QString path_;
  std::optional<SessionState> pending_;  // while restoring
  QStringList waitingFor_;               // model paths still loading
  QStringList missing_;                  // model paths that failed
  bool waitingForTrace_ = false;
};

}  // namespace attnviz::ui
