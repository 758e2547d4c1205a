#include "ui/panels/workspace_listener.h"

#include "ui/document/workspace.h"

namespace attnviz::ui {

void WorkspaceListener::setWorkspace(Workspace* workspace) {
  if (workspace_ == workspace) return;
  for (const QMetaObject::Connection& connection : connections_) QObject::disconnect(connection);
  connections_.clear();
  workspace_ = workspace;
  attach();
}

}  // namespace attnviz::ui
