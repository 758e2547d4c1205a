#include "ui/kinds/han/occlusion_panel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <cmath>

#include "ui/document/workspace.h"
#include "ui/kinds/han/han_extension.h"

namespace attnviz::ui {
namespace {

constexpr double kNaturalWidth = 1040.0;  // figure width when the panel is not on screen: two columns

QString tauText(double tau) { return std::isnan(tau) ? QStringLiteral("n/a") : QString::number(tau, 'f', 2); }

// A one-word reading of a tau, so the number is not left bare.
QString agreement(double tau) {
  if (std::isnan(tau)) return QObject::tr("undefined");
  if (tau >= 0.5) return QObject::tr("strong agreement");
  if (tau >= 0.2) return QObject::tr("weak agreement");
  if (tau > -0.2) return QObject::tr("no agreement");
  return QObject::tr("disagreement");
}

}  // namespace

OcclusionPanel::OcclusionPanel(QWidget* parent) : Panel(parent) {
  setObjectName(QStringLiteral("occlusionPanel"));
  progress_ = new QProgressBar(this);
  progress_->setObjectName(QStringLiteral("occlusionProgress"));
  progress_->setFormat(tr("occlusion %v / %m runs"));
  progress_->setMaximumWidth(260);
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setToolTip(tr("Stop computing occlusion for this document"));
  compute_ = new QPushButton(tr("Compute"), this);
  compute_->setToolTip(tr("Compute leave-one-out occlusion for this document: one model run per word and per sentence"));
  auto_ = new QCheckBox(tr("For every document"), this);
  auto_->setChecked(true);
  auto_->setToolTip(tr("Start computing occlusion as soon as a new document has been run"));
  tau_ = new QLabel(this);
  tau_->setObjectName(QStringLiteral("kendallTau"));
  tau_->setTextFormat(Qt::RichText);
  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(4, 2, 4, 2);
  controls->addWidget(progress_);
  controls->addWidget(cancel_);
  controls->addWidget(compute_);
  controls->addWidget(auto_);
  controls->addSpacing(12);
  controls->addWidget(tau_, 1);

  note_ = new QLabel(explanation(), this);
  note_->setWordWrap(true);
  note_->setTextFormat(Qt::RichText);
  note_->setStyleSheet(QStringLiteral("color: #505050; padding: 0 4px;"));

  view_ = new SaliencyView(this);
  view_->setObjectName(QStringLiteral("occlusionView"));
  SaliencyStyle style;
  style.columns = {Colouring::Attention, Colouring::Occlusion};
  view_->setStyle(style);
  header_ = new SaliencyHeader(view_, this);
  placeholder_ = placeholderLabel(this);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(controls);
  layout->addWidget(note_);
  layout->addWidget(header_);
  layout->addWidget(view_, 1);
  layout->addWidget(placeholder_, 1);

  connect(view_, &SaliencyView::hovered, this, &OcclusionPanel::onHovered);
  connect(cancel_, &QPushButton::clicked, this, [this] {
    if (workspace_) workspace_->derived().cancelOcclusion();
  });
  connect(compute_, &QPushButton::clicked, this, [this] {
    if (workspace_) workspace_->derived().startOcclusion();
  });
  connect(auto_, &QCheckBox::toggled, this, [this](bool on) {
    if (workspace_) workspace_->extension<HanExtension>().setAutoOcclusion(on);
  });
  refresh();
}

QString OcclusionPanel::explanation() const {
  return tr("<b>Reading this:</b> occlusion removes each word (and each sentence) in turn and measures how much the "
            "probability of the predicted label drops; Kendall's τ compares its ranking with attention's. "
            "<b>High τ</b>: attention ranks units as removing them does, so here the heatmap points at what the "
            "prediction depends on. <b>Low or negative τ</b>: attention weights do not reflect what the prediction "
            "depends on — read the heatmap as where the model looked, not why it decided (Jain &amp; Wallace 2019, "
            "“Attention is not Explanation”; Wiegreffe &amp; Pinter 2019, “Attention is not not Explanation”, who "
            "show such tests depend on the model and the task).");
}

void OcclusionPanel::attach() {
  if (workspace_) {
    listen(workspace_, &Workspace::shownTraceChanged, this, &OcclusionPanel::refresh);
    listen(workspace_, &Workspace::occlusionChanged, this, &OcclusionPanel::refresh);
    listen(&workspace_->selection(), &Selection::cellChanged, view_, &SaliencyView::setHighlight);
    BackgroundJob* job = &workspace_->derived().occlusionJob();
    listen(job, &BackgroundJob::started, this, &OcclusionPanel::updateJob);
    listen(job, &BackgroundJob::progress, this, &OcclusionPanel::updateJob);
    listen(job, &BackgroundJob::canceled, this, &OcclusionPanel::updateJob);
    listen(job, &BackgroundJob::finished, this, &OcclusionPanel::updateJob);
    auto_->setChecked(workspace_->extension<HanExtension>().autoOcclusion());
  }
  refresh();
}

void OcclusionPanel::refresh() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const attnviz::Occlusion* occlusion = trace ? workspace_->occlusionFor(trace) : nullptr;
  HanDocument doc = trace ? HanDocument::fromTrace(*trace, occlusion) : HanDocument{};
  QString why;
  if (!workspace_ || !workspace_->currentModel()) {
    why = tr("Open a han model (File ▸ Open model…).");
  } else if (!trace) {
    why = workspace_->isRunning() ? tr("Running…") : tr("Type or paste a document above to compare its attention with occlusion.");
  } else if (doc.empty()) {
    why = tr("This trace has no sentence and word attention to show.");
  }
  view_->setDocument(std::move(doc));
  if (workspace_) view_->setHighlight(workspace_->selection().row(), workspace_->selection().column());
  view_->setVisible(why.isEmpty());
  header_->setVisible(why.isEmpty());
  placeholder_->setText(why);
  placeholder_->setVisible(!why.isEmpty());
  updateJob();
}

void OcclusionPanel::updateJob() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const attnviz::Occlusion* occlusion = trace ? workspace_->occlusionFor(trace) : nullptr;
  const bool scorer = workspace_ && workspace_->derived().canScoreOcclusion();
  const BackgroundJob* job = workspace_ ? &workspace_->derived().occlusionJob() : nullptr;
  const bool running = job && job->isRunning() && workspace_->derived().trace() == trace;
  progress_->setVisible(running || occlusion);
  progress_->setMaximum(running ? std::max(1, job->total()) : 1);
  progress_->setValue(running ? job->done() : (occlusion ? 1 : 0));
  if (!running) progress_->setFormat(occlusion ? tr("occlusion done") : QString());
  else progress_->setFormat(tr("occlusion %v / %m runs"));
  cancel_->setEnabled(running);
  compute_->setEnabled(scorer && trace && !running && !occlusion);
  QString status;
  if (!trace) {
    tau_->clear();
  } else if (occlusion) {
    tau_->setText(tr("Kendall τ attention vs occlusion — words: <b>%1</b> (%2) · sentences: <b>%3</b> (%4)")
                      .arg(tauText(occlusion->kendallTauWord), agreement(occlusion->kendallTauWord),
                           tauText(occlusion->kendallTauSentence), agreement(occlusion->kendallTauSentence)));
  } else if (!scorer) {
    status = tr("This model cannot score occlusion.");
  } else if (running) {
    const int pct = job->total() > 0 ? 100 * job->done() / job->total() : 0;
    status = tr("Computing occlusion in the background… %1%").arg(pct);
  } else {
    status = tr("Occlusion not computed (cancelled): press Compute.");
  }
  if (!occlusion && trace) tau_->setText(QStringLiteral("<span style='color:#707070'>%1</span>").arg(status.toHtmlEscaped()));
  SaliencyStyle style = view_->saliencyStyle();
  if (style.occlusionStatus != status) {
    style.occlusionStatus = status;
    view_->setStyle(style);
  }
}

void OcclusionPanel::onHovered(int sentence, int word) {
  if (!workspace_) return;
  Selection& sel = workspace_->selection();
  if (sentence >= 0) sel.setSentence(sentence);
  sel.setCell(sentence, sentence >= 0 ? word : Selection::kNone);
}

void OcclusionPanel::paintFigure(QPainter& painter, const QRectF& rect) const {
  SaliencyPainter::paint(painter, rect, view_->document(), view_->saliencyStyle());
}

FigureFeatures OcclusionPanel::figureFeatures() const { return kDocumentFigureFeatures; }

void OcclusionPanel::paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& figure) const {
  view_->paintStyled(painter, rect, figure);
}

QSizeF OcclusionPanel::figureSize() const {
  const double width = view_->isVisible() && view_->canvas()->width() > 1 ? view_->canvas()->width() : kNaturalWidth;
  return SaliencyPainter::figureSize(view_->document(), view_->saliencyStyle(), width);
}

}  // namespace attnviz::ui
