// PanelArea: the central area. Lays out, side by side in a splitter, the panels panel_registry lists
// for the current model's kind, and rebuilds them when the kind changes.
//
//   auto* area = new PanelArea;  area->setWorkspace(&ws);
//   for (Panel* p : area->panels()) ...
#pragma once

#include <QPointer>
#include <QWidget>
#include <vector>

#include "ui/panel.h"

class QSplitter;

namespace attnviz::ui {

class Workspace;

class PanelArea : public QWidget {
  Q_OBJECT

 public:
  explicit PanelArea(QWidget* parent = nullptr);

  void setWorkspace(Workspace* workspace);
  const std::vector<Panel*>& panels() const { return panels_; }
  QString kind() const { return kind_; }

 signals:
  void panelsChanged();

 private:
  void rebuild();

  QPointer<Workspace> workspace_;
  QSplitter* splitter_ = nullptr;
  std::vector<Panel*> panels_;
  QString kind_ = QStringLiteral("?");  // forces the first build
};

}  // namespace attnviz::ui
