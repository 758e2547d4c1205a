// ModelsDock: the left dock. Lists the open models (kind · name · variant, the current one selected;
// picking another makes it current), an Open button, a busy indicator while a model loads, and the
// recent models (double-click to open).
//
//   auto* dock = new ModelsDock(&ws, &recent, this);
//   connect(dock, &ModelsDock::openRequested, this, &MainWindow::openModelDialog);
#pragma once

#include <QDockWidget>
#include <QPointer>

class QListWidget;
class QProgressBar;
class QLabel;

namespace attnviz::ui {

class RecentFiles;
class Workspace;

class ModelsDock : public QDockWidget {
  Q_OBJECT

 public:
  ModelsDock(Workspace* workspace, RecentFiles* recent, QWidget* parent = nullptr);

  QListWidget* modelList() const { return models_; }
  QListWidget* recentList() const { return recent_; }
  QProgressBar* busyIndicator() const { return busy_; }

 signals:
  void openRequested();

 private:
  void rebuildModels();
  void rebuildRecent();

  QPointer<Workspace> workspace_;
  RecentFiles* recentModels_ = nullptr;
  QListWidget* models_ = nullptr;
  QListWidget* recent_ = nullptr;
  QProgressBar* busy_ = nullptr;
  QLabel* details_ = nullptr;
  bool syncing_ = false;
};

}  // namespace attnviz::ui
