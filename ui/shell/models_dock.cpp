#include "ui/shell/models_dock.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QStyle>
#include <QVBoxLayout>

#include "ui/shell/recent_files.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

QString describe(const attnviz::ModelInfo& info) {
  const auto& id = info.identity;
  QString s = QString::fromStdString(id.name.empty() ? std::string("(unnamed)") : id.name);
  s += QStringLiteral("\n%1").arg(QString::fromStdString(id.kind));
  if (!id.variant.empty()) s += QStringLiteral(" · %1").arg(QString::fromStdString(id.variant));
  return s;
}

QString details(const attnviz::ModelInfo& info, const QString& path) {
  QStringList lines;
  lines << QStringLiteral("<b>%1</b>").arg(QString::fromStdString(info.identity.name).toHtmlEscaped());
  lines << QStringLiteral("kind: %1").arg(QString::fromStdString(info.identity.kind).toHtmlEscaped());
  if (!info.identity.variant.empty())
    lines << QStringLiteral("variant: %1").arg(QString::fromStdString(info.identity.variant).toHtmlEscaped());
  if (info.parameterCount > 0) lines << QStringLiteral("parameters: %L1").arg(info.parameterCount);
  if (!info.labels.empty()) {
    QStringList labels;
    for (const auto& l : info.labels) labels << QString::fromStdString(l);
    lines << QStringLiteral("labels: %1").arg(labels.join(QStringLiteral(", ")).toHtmlEscaped());
  }
  lines << QStringLiteral("<span style='color:#707070'>%1</span>").arg(QDir::toNativeSeparators(path).toHtmlEscaped());
  return lines.join(QStringLiteral("<br>"));
}

}  // namespace

ModelsDock::ModelsDock(Workspace* workspace, RecentFiles* recent, QWidget* parent)
    : QDockWidget(tr("Models"), parent), workspace_(workspace), recentModels_(recent) {
  setObjectName(QStringLiteral("modelsDock"));
  auto* body = new QWidget(this);
  auto* layout = new QVBoxLayout(body);
  layout->setContentsMargins(6, 6, 6, 6);

  auto* open = new QPushButton(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("Open model…"), body);
  open->setToolTip(tr("Open a model folder, .zip or file (Ctrl+O); you can also drop it onto the window"));
  busy_ = new QProgressBar(body);
  busy_->setRange(0, 0);  // indeterminate
  busy_->setTextVisible(false);
  busy_->setMaximumHeight(6);
  busy_->setToolTip(tr("Loading a model…"));
  busy_->setVisible(false);

  models_ = new QListWidget(body);
  models_->setObjectName(QStringLiteral("modelList"));
  models_->setToolTip(tr("Open models; the selected one runs on the input. Tick two or more of one kind to compare "
                         "them side by side (Compare tab)"));
  models_->setSelectionMode(QAbstractItemView::SingleSelection);
  details_ = new QLabel(body);
  details_->setWordWrap(true);
  details_->setTextFormat(Qt::RichText);
  details_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  recent_ = new QListWidget(body);
  recent_->setObjectName(QStringLiteral("recentList"));
  recent_->setToolTip(tr("Recently opened models; double-click to open"));

  layout->addWidget(open);
  layout->addWidget(busy_);
  layout->addWidget(new QLabel(tr("<b>Open</b>"), body));
  layout->addWidget(models_, 1);
  layout->addWidget(details_);
  layout->addWidget(new QLabel(tr("<b>Recent</b>"), body));
  layout->addWidget(recent_, 1);
  setWidget(body);

  connect(open, &QPushButton::clicked, this, &ModelsDock::openRequested);
  connect(models_, &QListWidget::currentRowChanged, this, [this](int row) {
    if (!syncing_ && workspace_ && row >= 0) workspace_->setCurrentIndex(row);
  });
  connect(models_, &QListWidget::itemChanged, this, [this] {
    if (syncing_ || !workspace_) return;
    QList<int> ticked;
    for (int i = 0; i < models_->count(); ++i) {
      if (models_->item(i)->checkState() == Qt::Checked) ticked << i;
    }
    workspace_->setCompared(ticked);
  });
  connect(recent_, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
    if (workspace_) workspace_->openModel(item->data(Qt::UserRole).toString());
  });
  if (workspace_) {
    connect(workspace_, &Workspace::modelsChanged, this, &ModelsDock::rebuildModels);
    connect(workspace_, &Workspace::currentModelChanged, this, &ModelsDock::rebuildModels);
    connect(workspace_, &Workspace::compareChanged, this, &ModelsDock::rebuildModels);
    connect(workspace_, &Workspace::loadingChanged, busy_, &QWidget::setVisible);
  }
  if (recentModels_) connect(recentModels_, &RecentFiles::changed, this, &ModelsDock::rebuildRecent);
  rebuildModels();
  rebuildRecent();
}

void ModelsDock::rebuildModels() {
  const QScopedValueRollback guard(syncing_, true);
  if (!workspace_) {
    models_->clear();
    return;
  }
  // Items are updated in place (never deleted while one of their own signals is being delivered).
  const auto& models = workspace_->models();
  while (models_->count() > static_cast<int>(models.size())) delete models_->takeItem(models_->count() - 1);
  while (models_->count() < static_cast<int>(models.size())) new QListWidgetItem(models_);
  const std::string kind = workspace_->currentKind().toStdString();
  for (int i = 0; i < static_cast<int>(models.size()); ++i) {
    const auto& m = models[static_cast<std::size_t>(i)];
    QListWidgetItem* item = models_->item(i);
    item->setText(describe(m.model->info()));
    item->setToolTip(QDir::toNativeSeparators(m.path));
    // only models of the current kind (or, for models that take a target, of another such kind) are compared with it
    if (comparableKinds(QString::fromStdString(m.model->info().identity.kind), QString::fromStdString(kind))) {
      item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
      item->setCheckState(workspace_->compared().contains(i) ? Qt::Checked : Qt::Unchecked);
    } else {
      item->setFlags(item->flags() & ~Qt::ItemIsUserCheckable);
      item->setData(Qt::CheckStateRole, QVariant());  // no box at all
    }
  }
  models_->setCurrentRow(workspace_->currentIndex());
  const auto model = workspace_->currentModel();
  details_->setText(model ? details(model->info(), models[static_cast<std::size_t>(workspace_->currentIndex())].path) : QString());
  details_->setVisible(model != nullptr);
}

void ModelsDock::rebuildRecent() {
  recent_->clear();
  if (!recentModels_) return;
  const QStringList paths = recentModels_->paths();
  QStringList names;
  for (const QString& p : paths) names << QFileInfo(p).fileName();
  for (qsizetype i = 0; i < paths.size(); ++i) {
    const QString& p = paths[i];
    // Two recent models with the same name (a copy, a checkout elsewhere) are told apart by their folder.
    QString text = names[i];
    if (names.count(names[i]) > 1) text += QStringLiteral("  (%1)").arg(QFileInfo(QFileInfo(p).path()).filePath());
    auto* item = new QListWidgetItem(text, recent_);
    item->setData(Qt::UserRole, p);
    item->setToolTip(QDir::toNativeSeparators(p));
  }
}

}  // namespace attnviz::ui
