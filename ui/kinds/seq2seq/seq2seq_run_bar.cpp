#include "ui/kinds/seq2seq/seq2seq_run_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScopedValueRollback>
#include <QSpinBox>

#include "ui/document/workspace.h"

namespace attnviz::ui {

Seq2seqRunBar::Seq2seqRunBar(QWidget* parent) : QWidget(parent) {
  beam_ = new QSpinBox(this);
  beam_->setObjectName(QStringLiteral("beamWidth"));
  beam_->setRange(1, Workspace::kMaxBeamWidth);
  beam_->setValue(Workspace::kDefaultBeamWidth);
  beam_->setToolTip(tr("Beam width of free decoding: the beam explorer lists this many hypotheses. 1 = greedy"));
  target_ = new QLineEdit(this);
  target_->setObjectName(QStringLiteral("targetEdit"));
  target_->setClearButtonEnabled(true);
  target_->setPlaceholderText(tr("free decoding — type a target translation to force-decode it"));
  target_->setToolTip(tr("Forced decoding: the model is made to produce exactly this target, and the heatmap shows "
                         "where it attended for each of its words. Empty: the model translates on its own"));
  mode_ = new QLabel(this);
  mode_->setStyleSheet(QStringLiteral("color: #606060;"));

  auto* beamLabel = new QLabel(tr("&Beam"), this);
  beamLabel->setBuddy(beam_);
  auto* targetLabel = new QLabel(tr("&Target"), this);
  targetLabel->setBuddy(target_);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 2);
  layout->addWidget(beamLabel);
  layout->addWidget(beam_);
  layout->addSpacing(8);
  layout->addWidget(targetLabel);
  layout->addWidget(target_, 1);
  layout->addWidget(mode_);

  connect(beam_, &QSpinBox::valueChanged, this, [this](int v) {
    if (!syncing_ && workspace_) workspace_->setBeamWidth(v);
  });
  connect(target_, &QLineEdit::textChanged, this, [this](const QString& text) {
    if (!syncing_ && workspace_) workspace_->setTarget(text);
  });
  syncFromWorkspace();
}

void Seq2seqRunBar::attach() {
  if (workspace_) {
    listen(workspace_, &Workspace::beamWidthChanged, this, &Seq2seqRunBar::syncFromWorkspace);
    listen(workspace_, &Workspace::targetChanged, this, &Seq2seqRunBar::syncFromWorkspace);
  }
  syncFromWorkspace();
}

void Seq2seqRunBar::syncFromWorkspace() {
  const QScopedValueRollback guard(syncing_, true);
  const bool forced = workspace_ && workspace_->hasTarget();
  if (workspace_) {
    beam_->setValue(workspace_->beamWidth());
    if (target_->text() != workspace_->target()) target_->setText(workspace_->target());
  }
  beam_->setEnabled(!forced);
  const int beam = beam_->value();
  mode_->setText(forced ? tr("forced decoding") : beam == 1 ? tr("greedy decoding") : tr("beam search"));
}

}  // namespace attnviz::ui
