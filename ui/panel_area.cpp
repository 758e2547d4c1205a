#include "ui/panel_area.h"

#include <QSplitter>
#include <QVBoxLayout>

#include "ui/panel_registry.h"
#include "ui/workspace.h"

namespace attnviz::ui {

PanelArea::PanelArea(QWidget* parent) : QWidget(parent) {
  splitter_ = new QSplitter(Qt::Horizontal, this);
  splitter_->setChildrenCollapsible(false);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(splitter_);
  rebuild();
}

void PanelArea::setWorkspace(Workspace* workspace) {
  if (workspace_) disconnect(workspace_, nullptr, this, nullptr);
  workspace_ = workspace;
  if (workspace_) connect(workspace_, &Workspace::currentModelChanged, this, &PanelArea::rebuild);
  kind_ = QStringLiteral("?");
  rebuild();
}

void PanelArea::rebuild() {
  const QString kind = workspace_ ? workspace_->currentKind() : QString();
  if (kind == kind_) return;  // same kind: the panels stay and follow the workspace
  kind_ = kind;
  for (Panel* p : panels_) {
    p->setWorkspace(nullptr);
    p->hide();
    p->deleteLater();
  }
  panels_.clear();
  for (const PanelSpec& spec : panelsForKind(kind)) {
    Panel* p = spec.create(splitter_);
    p->setObjectName(spec.id);
    splitter_->addWidget(p);
    p->setWorkspace(workspace_);
    panels_.push_back(p);
  }
  emit panelsChanged();
}

}  // namespace attnviz::ui
