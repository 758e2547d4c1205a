#include "ui/panels/panel_area.h"

#include <QLabel>
#include <QSplitter>
#include <algorithm>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include "ui/panels/panel_registry.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

constexpr int kMainStretch = 2;  // main panels get two parts of the width, the side column one
constexpr int kSideStretch = 1;
constexpr int kSideStartSize = 1000;  // any equal numbers: QSplitter scales them to the column

}  // namespace

PanelArea::PanelArea(QWidget* parent) : QWidget(parent) {
  tabs_ = new QTabWidget(this);
  tabs_->setObjectName(QStringLiteral("panelTabs"));
  tabs_->setDocumentMode(true);
  tabs_->setTabBarAutoHide(true);  // one tab: no bar
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  previousResultBanner_ = new QLabel(this);
  previousResultBanner_->setObjectName(QStringLiteral("previousResultBanner"));
  previousResultBanner_->setWordWrap(true);
  previousResultBanner_->setStyleSheet(QStringLiteral("background:#fff3cd; color:#5c4400; padding:4px 8px;"));
  previousResultBanner_->hide();
  layout->addWidget(previousResultBanner_);
  layout->addWidget(tabs_);
  rebuild();
}

void PanelArea::setWorkspace(Workspace* workspace) {
  if (workspace_) disconnect(workspace_, nullptr, this, nullptr);
  workspace_ = workspace;
  if (workspace_) {
    connect(workspace_, &Workspace::currentModelChanged, this, &PanelArea::rebuild);
    connect(workspace_, &Workspace::runErrorChanged, this, &PanelArea::updatePreviousResultBanner);
    connect(workspace_, &Workspace::traceChanged, this, &PanelArea::updatePreviousResultBanner);
  }
  kind_ = QStringLiteral("?");
  rebuild();
  updatePreviousResultBanner();
}

void PanelArea::updatePreviousResultBanner() {
  const bool previous = workspace_ && workspace_->showsPreviousResult();
  if (previous) {
    const QString input = QString::fromStdString(workspace_->trace()->input).simplified();
    const QString shown = input.size() > 60 ? input.left(57) + QStringLiteral("…") : input;
    const QString what = shown.isEmpty() ? tr("the previous input") : QStringLiteral("\"%1\"").arg(shown.toHtmlEscaped());
    previousResultBanner_->setText(tr("<b>Previous result.</b> The run for the current input failed (the message above "
                                      "says why); these panels still show the result for %1.").arg(what));
  }
  previousResultBanner_->setVisible(previous);
}

Panel* PanelArea::panel(const QString& id) const {
  for (Panel* p : panels_) {
    if (p->objectName() == id) return p;
  }
  return nullptr;
}

void PanelArea::showPanel(const QString& id) {
  for (std::size_t i = 0; i < panels_.size(); ++i) {
    if (panels_[i]->objectName() == id) tabs_->setCurrentIndex(tabOf_[i]);
  }
}

int PanelArea::currentPanelIndex() const {
  for (std::size_t i = 0; i < panels_.size(); ++i) {
    if (tabOf_[i] == tabs_->currentIndex()) return static_cast<int>(i);
  }
  return 0;
}

void PanelArea::rebuild() {
  const QString kind = workspace_ ? workspace_->currentKind() : QString();
  if (kind == kind_) return;  // same kind: the panels stay and follow the workspace
  kind_ = kind;
  for (Panel* p : panels_) {
    p->setWorkspace(nullptr);
    p->hide();
  }
  while (tabs_->count() > 0) {
    QWidget* page = tabs_->widget(0);
    tabs_->removeTab(0);
    page->deleteLater();  // with its panels
  }
  panels_.clear();
  tabOf_.clear();
  struct Tab {
    QString title;
    QSplitter* main = nullptr;
    QSplitter* side = nullptr;
  };
  std::vector<Tab> tabs;
  for (const PanelSpec& spec : panelsForKind(kind)) {
    auto it = std::find_if(tabs.begin(), tabs.end(), [&](const Tab& t) { return t.title == spec.tab; });
    if (it == tabs.end()) {
      Tab t{spec.tab, new QSplitter(Qt::Horizontal)};
      t.main->setChildrenCollapsible(false);
      tabs_->addTab(t.main, spec.tab);
      tabs.push_back(t);
      it = tabs.end() - 1;
    }
    QSplitter* into = it->main;
    if (spec.place == PanelSpec::Place::Side) {
      if (!it->side) {
        it->side = new QSplitter(Qt::Vertical);
        it->side->setChildrenCollapsible(false);
        it->main->addWidget(it->side);
      }
      into = it->side;
    }
    Panel* p = spec.create(into);
    p->setObjectName(spec.id);
    into->addWidget(p);
    p->setWorkspace(workspace_);
    panels_.push_back(p);
    tabOf_.push_back(static_cast<int>(it - tabs.begin()));
  }
  for (const Tab& t : tabs) {
    // Start in proportion too (size hints would give a panel with a wide control row nearly everything).
    QList<int> start;
    for (int i = 0; i < t.main->count(); ++i) {
      const int stretch = t.main->widget(i) == t.side ? kSideStretch : kMainStretch;
      t.main->setStretchFactor(i, stretch);
      start << stretch * kSideStartSize;
    }
    t.main->setSizes(start);
    if (t.side) {
      // Side panels share the column equally to start with (a table's large size hint would take it all).
      QList<int> equal;
      for (int i = 0; i < t.side->count(); ++i) {
        t.side->setStretchFactor(i, 1);
        equal << kSideStartSize;
      }
      t.side->setSizes(equal);
    }
  }
  emit panelsChanged();
}

}  // namespace attnviz::ui
