// PanelArea: the central area. Lays out the panels panel_registry lists for the current model's kind —
// grouped into tabs, main panels side by side in a splitter and side panels stacked on the right — and
// rebuilds them when the kind changes. Only the current tab's panels are visible (QTabWidget hides the others), so
// a panel that defers its work with WhenShown (when_shown.h) computes nothing while its tab is not shown.
// When a run fails with an earlier result still shown, a banner above the tabs says that the panels show the previous
// input's result (Workspace::showsPreviousResult), so an old map is never taken for the current input's.
//
//   auto* area = new PanelArea;  area->setWorkspace(&ws);
//   for (Panel* p : area->panels()) ...
//   area->showPanel("compare");     // brings its tab to the front
#pragma once

#include <QPointer>
#include <QWidget>
#include <vector>

#include "ui/panels/panel.h"

class QLabel;
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
  void updatePreviousResultBanner();

  QPointer<Workspace> workspace_;
  QTabWidget* tabs_ = nullptr;
  QLabel* previousResultBanner_ = nullptr;  // shown while the panels show the previous input's result
  std::vector<Panel*> panels_;
  std::vector<int> tabOf_;  // per panel
  QString kind_ = QStringLiteral("?");  // forces the first build
};

}  // namespace attnviz::ui
