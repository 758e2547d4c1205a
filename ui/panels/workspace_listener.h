// WorkspaceListener: how a panel, or a bar inside one, attaches to the Workspace (STYLE.md 12), written once.
// setWorkspace() drops every connection the last attach() made through listen() (to the workspace, its Selection,
// gold set or runners, whichever widget received it), stores the new workspace in workspace_ and calls attach(),
// where the widget connects through listen() and shows the new workspace's state. workspace_ may be nullptr
// (detached): attach() then connects nothing and shows that there is nothing to show.
//
//   class BeamPanel : public Panel {             // Panel is a WorkspaceListener; so are GoldBar and Seq2seqRunBar
//     void attach() override {
//       if (workspace_) listen(workspace_, &Workspace::traceChanged, this, &BeamPanel::rebuild);
//       rebuild();
//     }
//   };
//   panel->setWorkspace(&ws);   // again with the same workspace: nothing happens
#pragma once

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <utility>
#include <vector>

namespace attnviz::ui {

class Workspace;

class WorkspaceListener {
 public:
  virtual ~WorkspaceListener() = default;

  // Attach to workspace (or detach with nullptr); the same workspace again does nothing.
  void setWorkspace(Workspace* workspace);

 protected:
  // The widget's own connections (through listen) and its first showing of workspace_ (nullptr: detached).
  virtual void attach() = 0;

  // QObject::connect with the same arguments, remembered so the next setWorkspace() undoes it.
  template <typename... Args>
  void listen(Args&&... args) {
    connections_.push_back(QObject::connect(std::forward<Args>(args)...));
  }

  // Set only by setWorkspace(); a QPointer, so a workspace deleted first reads as nullptr.
  QPointer<Workspace> workspace_;

 private:
  std::vector<QMetaObject::Connection> connections_;
};

}  // namespace attnviz::ui
