#include "ui/alignment/seq2seq_run_bar.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScopedValueRollback>
#include <QSpinBox>
#include <QTextDocumentFragment>
#include <QVBoxLayout>

#include "ui/document/forced_target.h"
#include "ui/document/workspace.h"
#include "ui/kinds/kind_ui.h"

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
  keep_ = new QCheckBox(tr("&Keep"), this);
  keep_->setObjectName(QStringLiteral("keepTarget"));
  keep_->setToolTip(tr("Keep this forced target when the source sentence changes (e.g. to force one translation on "
                       "several sentences). Unticked, a target belongs to the sentence it was typed for, and editing "
                       "that sentence releases it"));
  mode_ = new QLabel(this);
  mode_->setObjectName(QStringLiteral("decodingMode"));
  mode_->setTextFormat(Qt::RichText);
  mode_->setStyleSheet(QStringLiteral("color: #606060;"));
  scope_ = new QLabel(this);
  scope_->setObjectName(QStringLiteral("targetScope"));
  scope_->setWordWrap(true);
  scope_->setStyleSheet(QStringLiteral("color: #606060;"));
  scope_->setVisible(false);
  note_ = new QLabel(this);
  note_->setObjectName(QStringLiteral("targetNote"));
  note_->setWordWrap(true);
  note_->setStyleSheet(QStringLiteral("color: #a05a00;"));
  note_->setVisible(false);

  beamLabel_ = new QLabel(tr("&Beam"), this);
  beamLabel_->setBuddy(beam_);
  auto* targetLabel = new QLabel(tr("&Target"), this);
  targetLabel->setBuddy(target_);
  auto* row = new QHBoxLayout;
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(beamLabel_);
  row->addWidget(beam_);
  row->addSpacing(8);
  row->addWidget(targetLabel);
  row->addWidget(target_, 1);
  row->addWidget(keep_);
  row->addWidget(mode_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 2);
  layout->setSpacing(2);
  layout->addLayout(row);
  layout->addWidget(scope_);
  layout->addWidget(note_);

  connect(beam_, &QSpinBox::valueChanged, this, [this](int v) {
    if (!syncing_ && workspace_) workspace_->setBeamWidth(v);
  });
  connect(target_, &QLineEdit::textChanged, this, [this](const QString& text) {
    if (!syncing_ && workspace_) workspace_->setTarget(text);
  });
  connect(keep_, &QCheckBox::toggled, this, [this](bool on) {
    if (!syncing_ && workspace_) workspace_->setTargetKept(on);
  });
  syncFromWorkspace();
}

void Seq2seqRunBar::attach() {
  if (workspace_) {
    listen(workspace_, &Workspace::beamWidthChanged, this, &Seq2seqRunBar::syncFromWorkspace);
    listen(workspace_, &Workspace::targetChanged, this, &Seq2seqRunBar::syncFromWorkspace);
    listen(workspace_, &Workspace::targetKeptChanged, this, &Seq2seqRunBar::syncFromWorkspace);
    listen(workspace_, &Workspace::targetReleased, this, &Seq2seqRunBar::syncFromWorkspace);
  }
  syncFromWorkspace();
}

void Seq2seqRunBar::syncFromWorkspace() {
  const QScopedValueRollback guard(syncing_, true);
  const bool forced = workspace_ && workspace_->hasTarget();
  if (workspace_) {
    beam_->setValue(workspace_->beamWidth());
    if (target_->text() != workspace_->target()) target_->setText(workspace_->target());
    keep_->setChecked(workspace_->targetKept());
  }
  beam_->setEnabled(!forced);
  // A pair aligner (the aligner kind) decodes nothing: no beam, and it needs the target to align.
  const bool aligner = workspace_ && kindCan(workspace_->currentKind(), &KindCapabilities::alignsPairs);
  beam_->setVisible(!aligner);
  beamLabel_->setVisible(!aligner);
  target_->setPlaceholderText(aligner ? tr("the target sentence to align with the source (required)")
                                      : tr("free decoding — type a target translation to force-decode it"));
  const int beam = beam_->value();
  if (aligner)
    mode_->setText(forced ? tr("<b>aligning this pair</b>") : tr("<b>type the target to align</b>"));
  else
    mode_->setText(forced ? tr("<b>forced decoding</b>") : beam == 1 ? tr("greedy decoding") : tr("beam search"));
  // A forced target says whose sentence it is (on a line of its own: a long sentence never squeezes the Target box):
  // the one typed (or picked) when it was given, or every one when kept.
  scope_->setText(!forced ? QString()
                  : workspace_->targetKept()
                      ? tr("The forced target is kept for every sentence (untick Keep to tie it to the sentence shown).")
                      : tr("The forced target is for %1; editing that sentence releases it (tick Keep to keep it).")
                            .arg(ForcedTarget::quoted(workspace_->forcedTarget().source, 80)));
  scope_->setVisible(forced);
  target_->setToolTip(forced ? tr("Forced target for %1: the model is made to produce exactly this target, and the heatmap "
                                  "shows where it attended for each of its words. Clear it for the model's own translation")
                                   .arg(ForcedTarget::quoted(workspace_->forcedTarget().source, 200))
                             : tr("Forced decoding: the model is made to produce exactly this target, and the heatmap shows "
                                  "where it attended for each of its words. Empty: the model translates on its own"));
  const QString note = workspace_ ? workspace_->targetNote() : QString();
  note_->setText(note);
  note_->setVisible(!note.isEmpty());
}

QString Seq2seqRunBar::modeText() const {
  const QString mode = QTextDocumentFragment::fromHtml(mode_->text()).toPlainText();
  return scope_->isHidden() ? mode : mode + QStringLiteral(" — ") + scope_->text();
}
QString Seq2seqRunBar::noteText() const { return note_->isHidden() ? QString() : note_->text(); }

}  // namespace attnviz::ui
