// FaithfulnessBar: above the grid of "Maps of this trace" (the Methods view), for kinds with token contributions
// (encoders, vits): adds the contribution maps to the run (value norm, ALTI, GlobEnc: Workspace::setContributions,
// one rerun), and computes the faithfulness of every map's token ranking (engine/analysis/faithfulness.h: AOPC
// comprehensiveness and sufficiency, Kendall tau against leave-one-out) in the background (DerivedResults), with the
// removal (mask or delete), progress, Cancel, and "For every input" (on: each new trace is scored as it arrives while
// the bar is shown). The numbers stand in the metrics table and the figure's labels (ComparePanel).
//
//   auto* bar = new FaithfulnessBar(this);  bar->setWorkspace(&ws);
//   bar->removal();   // what the table shows
#pragma once

#include <QWidget>

#include "engine/api/model.h"
#include "ui/panels/workspace_listener.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace attnviz::ui {

class FaithfulnessBar : public QWidget, public WorkspaceListener {
  Q_OBJECT

 public:
  explicit FaithfulnessBar(QWidget* parent = nullptr);

  attnviz::TokenRemoval::How removal() const;
  void setRemoval(attnviz::TokenRemoval::How how);  // as the combo box would (removalChanged)
  // Starts the computation for the shown trace when it can (and is not done): the Compute button, and each new trace
  // while "For every input" is on and the bar is visible.
  void compute();
  QString statusText() const;  // the line beside the controls, for tests

 signals:
  void removalChanged();  // the table should show the other removal's numbers

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void attach() override;
  void update();  // buttons, progress and status from the Workspace's state

  QPushButton* addMaps_ = nullptr;
  QComboBox* removalBox_ = nullptr;
  QPushButton* computeButton_ = nullptr;
  QCheckBox* everyInput_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QLabel* status_ = nullptr;
};

}  // namespace attnviz::ui
