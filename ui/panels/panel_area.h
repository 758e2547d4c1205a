// PanelArea: the central area. Lays out the panels panel_registry lists for the current model's kind —
// grouped into tabs, main panels side by side in a splitter and side panels stacked on the right — and
// rebuilds them when the kind changes. Only the current tab's panels are visible (QTabWidget hides the others), so
// a panel that defers its work with WhenShown (when_shown.h) computes nothing while its tab is not shown.
//
//   auto* area = new PanelArea;  area->setWorkspace(&ws);
//   for (Panel* p : area->panels()) ...
//   area->showPanel("compare");     // brings its tab to the front
#pragma once

#include <QPointer>
#include <QWidget>
#include <vector>

#include "ui/panels/panel.h"

class QTabWidget;

namespace attnviz::ui {

class Workspace;

class PanelArea : public QWidget {
  Q_OBJECT

 public:
  explicit PanelArea(QWidget* parent = nullptr);

  void setWorkspace(Workspace* workspace);
  const std::vector<Panel*>& panels() const { return panels_; }
  Panel* panel(const QString& id) const;  // by PanelSpec id, nullptr if not shown
  QString kind() const { return kind_; }
  QTabWidget* tabs() const { return tabs_; }
  void showPanel(const QString& id);
  int currentPanelIndex() const;  // the first panel of the visible tab, index into panels()

 signals:
  void panelsChanged();

 private:
  void rebuild();

  QPointer<Workspace> workspace_;
  QTabWidget* tabs_ = nullptr;
  std::vector<Panel*> panels_;
  std::vector<int> tabOf_;  // per panel
  QString kind_ = QStringLiteral("?");  // forces the first build
};

}  // namespace attnviz::ui
