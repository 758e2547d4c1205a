// Seq2seqRunBar: how the current seq2seq model decodes — beam width (default 5; 1 = greedy) and a
// target to force-decode (clear it for free decoding), the sentence that target belongs to, Keep (keep it for every
// sentence), and why the last target was released (Workspace::targetNote). Writes the Workspace, follows it back
// without echoing (a gold sentence sets the target from elsewhere).
//
//   auto* bar = new Seq2seqRunBar(this);  bar->setWorkspace(&ws);
#pragma once

#include <QWidget>

#include "ui/panels/workspace_listener.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace attnviz::ui {

class Workspace;

class Seq2seqRunBar : public QWidget, public WorkspaceListener {
  Q_OBJECT

 public:
  explicit Seq2seqRunBar(QWidget* parent = nullptr);

  QSpinBox* beamBox() const { return beam_; }
  QLineEdit* targetEdit() const { return target_; }
  QCheckBox* keepBox() const { return keep_; }
  // As shown, e.g. "forced decoding — The forced target is for “the cat sat”; editing that sentence releases it ...".
  QString modeText() const;
  QString noteText() const;  // why the last target was released; "" when hidden

 private:
  void attach() override;
  void syncFromWorkspace();

  QSpinBox* beam_ = nullptr;
  QLabel* beamLabel_ = nullptr;
  QLineEdit* target_ = nullptr;
  QCheckBox* keep_ = nullptr;
  QLabel* mode_ = nullptr;
  QLabel* scope_ = nullptr;  // the sentence a forced target is for, or "kept for every sentence"
  QLabel* note_ = nullptr;   // why the last target was released
  bool syncing_ = false;
};

}  // namespace attnviz::ui
