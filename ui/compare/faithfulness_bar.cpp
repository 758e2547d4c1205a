#include "ui/compare/faithfulness_bar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include "engine/analysis/faithfulness.h"
#include "ui/document/workspace.h"
#include "ui/panels/panel_controls.h"

namespace attnviz::ui {

FaithfulnessBar::FaithfulnessBar(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("faithfulnessBar"));
  addMaps_ = new QPushButton(tr("Add contribution maps"), this);
  addMaps_->setObjectName(QStringLiteral("addContributionMaps"));
  addMaps_->setToolTip(tr("Run the model once more keeping what value norm, ALTI and GlobEnc need, and put their maps "
                          "in the grid (value zeroing, one layer pass per token, is on the command line)"));
  removalBox_ = new QComboBox(this);
  removalBox_->setObjectName(QStringLiteral("faithfulnessRemoval"));
  rememberControl(removalBox_, "faithfulnessRemoval");
  removalBox_->addItem(tr("mask tokens"), static_cast<int>(attnviz::TokenRemoval::How::Mask));
  removalBox_->addItem(tr("delete tokens"), static_cast<int>(attnviz::TokenRemoval::How::Delete));
  removalBox_->setToolTip(tr("How a token is removed: masked ([MASK], else [UNK]; an image patch: zero pixels) or "
                             "deleted (the others move up; a patch keeps its position embedding)"));
  computeButton_ = new QPushButton(tr("Score faithfulness"), this);
  computeButton_->setObjectName(QStringLiteral("computeFaithfulness"));
  computeButton_->setToolTip(tr("Score every map's token ranking: remove the top 10 … 50% of the tokens (or all but "
                                "them) and leave each out alone, one run each, in the background"));
  everyInput_ = new QCheckBox(tr("For every input"), this);
  everyInput_->setObjectName(QStringLiteral("faithfulnessEveryInput"));
  rememberControl(everyInput_, "faithfulnessEveryInput");
  everyInput_->setChecked(true);
  everyInput_->setToolTip(tr("Score each new input as it arrives while these maps are shown"));
  progress_ = new QProgressBar(this);
  progress_->setMaximumWidth(140);
  progress_->setToolTip(tr("Model runs done of those faithfulness needs"));
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setToolTip(tr("Stop scoring; what was computed for this input is dropped"));
  status_ = new QLabel(this);
  status_->setObjectName(QStringLiteral("faithfulnessStatus"));
  status_->setWordWrap(true);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 0, 4, 0);
  layout->addWidget(addMaps_);
  layout->addSpacing(8);
  layout->addWidget(computeButton_);
  layout->addWidget(removalBox_);
  layout->addWidget(everyInput_);
  layout->addWidget(progress_);
  layout->addWidget(cancel_);
  layout->addWidget(status_, 1);

  connect(addMaps_, &QPushButton::clicked, this, [this] {
    if (!workspace_) return;
    attnviz::ContributionSet set = workspace_->contributions();
    set.valueNorm = set.alti = set.globenc = true;
    workspace_->setContributions(set);  // one rerun; the grid gains the maps with the new trace
  });
  connect(computeButton_, &QPushButton::clicked, this, &FaithfulnessBar::compute);
  connect(cancel_, &QPushButton::clicked, this, [this] {
    if (workspace_) workspace_->derived().cancelFaithfulness();
  });
  connect(removalBox_, &QComboBox::activated, this, [this] {
    if (everyInput_->isChecked()) compute();
    update();
    emit removalChanged();
  });
}

attnviz::TokenRemoval::How FaithfulnessBar::removal() const {
  return static_cast<attnviz::TokenRemoval::How>(removalBox_->currentData().toInt());
}

void FaithfulnessBar::setRemoval(attnviz::TokenRemoval::How how) {
  const int index = removalBox_->findData(static_cast<int>(how));
  if (index == removalBox_->currentIndex()) return;
  removalBox_->setCurrentIndex(index);
  emit removalBox_->activated(index);
}

void FaithfulnessBar::compute() {
  if (workspace_) workspace_->derived().startFaithfulness(removal());
  update();
}

QString FaithfulnessBar::statusText() const { return status_->text(); }

void FaithfulnessBar::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (everyInput_->isChecked()) compute();
}

void FaithfulnessBar::attach() {
  if (workspace_) {
    DerivedResults* derived = &workspace_->derived();
    listen(derived, &DerivedResults::faithfulnessChanged, this, [this] {
      // a new trace (none computed yet): scored now when asked for every input and shown
      if (everyInput_->isChecked() && isVisible()) compute();
      update();
    });
    BackgroundJob* job = &derived->faithfulnessJob();
    for (auto signal : {&BackgroundJob::started, &BackgroundJob::finished, &BackgroundJob::canceled})
      listen(job, signal, this, &FaithfulnessBar::update);
    listen(job, &BackgroundJob::progress, this, &FaithfulnessBar::update);
    listen(workspace_, &Workspace::contributionsChanged, this, &FaithfulnessBar::update);
    listen(workspace_, &Workspace::traceChanged, this, [this] {
      if (everyInput_->isChecked() && isVisible()) compute();
      update();
    });
  }
  update();
}

void FaithfulnessBar::update() {
  const DerivedResults* derived = workspace_ ? &workspace_->derived() : nullptr;
  const attnviz::ContributionSet set = workspace_ ? workspace_->contributions() : attnviz::ContributionSet{};
  addMaps_->setVisible(!(set.valueNorm && set.alti && set.globenc));
  const bool running = derived && derived->faithfulnessJob().isRunning();
  progress_->setVisible(running);
  cancel_->setVisible(running);
  if (running) {
    progress_->setRange(0, std::max(1, derived->faithfulnessJob().total()));
    progress_->setValue(derived->faithfulnessJob().done());
  }
  const QString why = derived ? derived->whyNoFaithfulness(removal()) : tr("No model.");
  const attnviz::Faithfulness* f = derived ? derived->faithfulness(removal()) : nullptr;
  computeButton_->setEnabled(why.isEmpty() && !f && !running);
  QString text;
  if (!why.isEmpty()) {
    text = why;
  } else if (f) {
    const TracePtr trace = derived->trace();
    const auto row = static_cast<std::size_t>(f->row);
    const QString rowToken = trace && row < trace->sourceTokens.size() ? QString::fromStdString(trace->sourceTokens[row])
                                                                       : QString::number(f->row);
    text = tr("Scored: %1 = %2 unmodified; %3 tokens removable, by %4; each map ranks them by its row of “%5”.")
               .arg(QString::fromStdString(f->scored))
               .arg(f->reference, 0, 'f', 3)
               .arg(f->units.size())
               .arg(f->removal == "mask" ? tr("masking with %1").arg(QString::fromStdString(f->maskToken)) : tr("deleting"))
               .arg(rowToken);
    if (f->leaveOneOut.size() < 10) text += tr(" Fewer than 10 tokens: no AOPC (floor(10% of them) is 0).");
  } else if (running) {
    text = tr("Computing: one run per removal set…");
  } else {
    text = tr("Not computed for this input.");
  }
  status_->setText(text);
}

}  // namespace attnviz::ui
