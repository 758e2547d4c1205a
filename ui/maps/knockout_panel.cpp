#include "ui/maps/knockout_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ui/document/workspace.h"
#include "ui/export/figure_style.h"
#include "ui/maps/colormap.h"

namespace attnviz::ui {
namespace {

using attnviz::KnockoutMode;

QString modeText(KnockoutMode mode) {
  return mode == KnockoutMode::OneHead ? QObject::tr("one head zeroed") : QObject::tr("only this head left in its layer");
}

// The drop as a cell shows it: signed, 2 decimals (3 when all are small).
QString dropText(float drop, int decimals) { return QString::asprintf("%+.*f", decimals, double(drop)); }

}  // namespace

KnockoutPanel::KnockoutPanel(QWidget* parent) : Panel(parent) {
  setObjectName(QStringLiteral("knockoutPanel"));
  modeBox_ = new QComboBox(this);
  modeBox_->setObjectName(QStringLiteral("knockoutMode"));
  modeBox_->addItem(tr("One head out"), static_cast<int>(KnockoutMode::OneHead));
  modeBox_->addItem(tr("Only this head in its layer"), static_cast<int>(KnockoutMode::AllButOneHead));
  modeBox_->setToolTip(tr("One head out: zero that head's output and rerun.\n"
                          "Only this head in its layer: zero every other head of its layer and rerun."));
  progress_ = new QProgressBar(this);
  progress_->setObjectName(QStringLiteral("knockoutProgress"));
  progress_->setMaximumWidth(240);
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setToolTip(tr("Stop the knockout runs for this input"));
  compute_ = new QPushButton(tr("Compute"), this);
  compute_->setToolTip(tr("Knock out every head in turn: one model run per head"));
  auto_ = new QCheckBox(tr("For every input"), this);
  auto_->setChecked(true);
  auto_->setToolTip(tr("Start the knockout runs as soon as a new input has been run, while this tab is shown"));
  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(4, 2, 4, 2);
  controls->addWidget(modeBox_);
  controls->addWidget(progress_);
  controls->addWidget(cancel_);
  controls->addWidget(compute_);
  controls->addWidget(auto_);
  controls->addStretch(1);

  status_ = new QLabel(this);
  status_->setObjectName(QStringLiteral("knockoutStatus"));
  status_->setWordWrap(true);
  status_->setStyleSheet(QStringLiteral("color: #505050; padding: 0 4px;"));
  canvas_ = new HeadsGridCanvas(this, this);
  canvas_->setObjectName(QStringLiteral("knockoutCanvas"));
  placeholder_ = placeholderLabel(this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(controls);
  layout->addWidget(status_);
  layout->addWidget(canvas_, 1);
  layout->addWidget(placeholder_, 1);

  connect(modeBox_, &QComboBox::currentIndexChanged, this, [this] { refresh_.request(); });
  connect(cancel_, &QPushButton::clicked, this, [this] {
    if (workspace_) workspace_->derived().cancelKnockout();
  });
  connect(compute_, &QPushButton::clicked, this, [this] {
    if (workspace_) workspace_->derived().startKnockout(mode());
  });
  connect(auto_, &QCheckBox::toggled, this, [this] { refresh_.request(); });
  refresh_.request();
}

void KnockoutPanel::attach() {
  if (workspace_) {
    listen(workspace_, &Workspace::shownTraceChanged, this, [this] { refresh_.request(); });
    listen(workspace_, &Workspace::currentModelChanged, this, [this] { refresh_.request(); });
    listen(&workspace_->derived(), &DerivedResults::knockoutChanged, this, [this] { refresh_.request(); });
    listen(&workspace_->selection(), &Selection::layerHeadChanged, this, [this](int layer, int head) {
      data_.current = {layer, head};
      canvas_->update();
    });
    BackgroundJob* job = &workspace_->derived().knockoutJob();
    listen(job, &BackgroundJob::started, this, [this] { refresh_.request(); });  // the placeholder says it runs
    listen(job, &BackgroundJob::canceled, this, [this] { refresh_.request(); });
    listen(job, &BackgroundJob::progress, this, &KnockoutPanel::updateJob);
  }
  refresh_.request();
}

void KnockoutPanel::setMode(KnockoutMode mode) { modeBox_->setCurrentIndex(modeBox_->findData(static_cast<int>(mode))); }

KnockoutMode KnockoutPanel::mode() const { return static_cast<KnockoutMode>(modeBox_->currentData().toInt()); }

const attnviz::HeadKnockout* KnockoutPanel::shown() const {
  // The derived results are the shown trace's only when no other beam hypothesis is picked (knockout scores the run).
  if (!workspace_ || !workspace_->shownTrace() || workspace_->derived().trace() != workspace_->shownTrace()) return nullptr;
  return workspace_->derived().knockout(mode());
}

void KnockoutPanel::refreshNow() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const bool ours = trace && workspace_->derived().trace() == trace;
  if (ours && auto_->isChecked() && isVisible()) workspace_->derived().startKnockout(mode());
  const attnviz::HeadKnockout* k = shown();
  data_ = {};
  if (k && k->drop.rank() == 2) {
    data_.layers = static_cast<int>(k->drop.dim(0));
    data_.heads = static_cast<int>(k->drop.dim(1));
    const float* d = k->drop.data();
    const std::int64_t n = k->drop.numel();
    float scale = 0.0f;
    for (std::int64_t i = 0; i < n; ++i) scale = std::max(scale, std::fabs(d[i]));
    scale = std::max(scale, 1e-6f);
    const int decimals = scale < 0.05f ? 3 : 2;
    const Colormap& cm = Colormap::byId(ColormapId::RedBlue);
    for (std::int64_t i = 0; i < n; ++i) {
      QImage cell(1, 1, QImage::Format_RGB32);
      cell.setPixel(0, 0, cm.rgb(0.5 + 0.5 * d[i] / scale));
      data_.thumbnails.push_back(std::move(cell));
      data_.cellTexts.push_back(dropText(d[i], decimals));
    }
    data_.title = tr("Head knockout (%1): drop in %2").arg(modeText(mode()), QString::fromStdString(k->scored));
    data_.note = tr("%1 = %2 with every head · red: the head helped it, blue: hurt it · colours ±%3")
                     .arg(QString::fromStdString(k->scored))
                     .arg(double(k->reference), 0, 'f', 3)
                     .arg(double(scale), 0, 'f', decimals);
  }
  if (workspace_) data_.current = {workspace_->selection().layer(), workspace_->selection().head()};
  if (workspace_ && workspace_->currentModel()) data_.coreference = coreferenceHeadOf(workspace_->currentModel()->info());
  QString why;
  if (!workspace_ || !workspace_->currentModel()) why = tr("Open an encoder or ViT model (File ▸ Open model…).");
  else if (!trace) why = workspace_->isRunning() ? tr("Running…") : tr("Type a sentence or open an image to knock heads out.");
  else if (!ours) why = tr("Head knockout scores the model's own output; pick the best hypothesis to see it.");
  else if (const QString no = workspace_->derived().whyNoKnockout(); !no.isEmpty()) why = no;
  else if (data_.empty()) why = workspace_->derived().knockoutJobMode() == mode() ? tr("Knocking out heads…")
                                                                                  : tr("Press Compute to knock out every head in turn.");
  canvas_->setVisible(why.isEmpty());
  placeholder_->setText(why);
  placeholder_->setVisible(!why.isEmpty());
  canvas_->updateGeometry();
  canvas_->update();
  updateJob();
}

void KnockoutPanel::updateJob() {
  const DerivedResults* derived = workspace_ ? &workspace_->derived() : nullptr;
  const bool running = derived && derived->knockoutJobMode() == mode();
  const BackgroundJob* job = derived ? &derived->knockoutJob() : nullptr;
  const attnviz::HeadKnockout* k = shown();
  progress_->setVisible(running || k);
  progress_->setMaximum(running ? std::max(1, job->total()) : 1);
  progress_->setValue(running ? job->done() : (k ? 1 : 0));
  progress_->setFormat(running ? tr("%v / %m heads") : tr("knockout done"));
  cancel_->setEnabled(derived && derived->knockoutJobMode().has_value());
  compute_->setEnabled(derived && derived->whyNoKnockout().isEmpty() && !running && !k);
  QString status;
  if (k) {
    status = tr("Each cell: %1 with every head minus %1 with %2 (one model run per head). Positive: the prediction "
                "needed the head; near 0: it did without it. Click a cell to show that head everywhere.")
                 .arg(QString::fromStdString(k->scored), modeText(mode()));
  } else if (running) {
    status = tr("Knocking out heads in the background… %1 of %2 runs").arg(job->done()).arg(std::max(job->done(), job->total()));
  }
  status_->setText(status);
  status_->setVisible(!status.isEmpty());
}

QPointF KnockoutPanel::cellCenter(int layer, int head) const {
  refresh_.flush();
  return HeadsGridPainter::cellRect(HeadsGridPainter::layout(QRectF(canvas_->rect()), data_), layer, head).center();
}

QString KnockoutPanel::toolTipAt(const QPointF& pos) const {
  const LayerHead lh = HeadsGridPainter::hit(HeadsGridPainter::layout(QRectF(canvas_->rect()), data_), pos);
  const attnviz::HeadKnockout* k = shown();
  if (!lh.valid() || !k) return {};
  const float drop = k->drop.at({lh.layer, lh.head});
  return tr("layer %1, head %2 (%3)\n%4: %5 with every head, %6 with the knockout (drop %7)\nclick to show this head in every panel")
      .arg(lh.layer + 1).arg(lh.head + 1).arg(modeText(mode()), QString::fromStdString(k->scored))
      .arg(double(k->reference), 0, 'f', 4).arg(double(k->reference - drop), 0, 'f', 4).arg(double(drop), 0, 'f', 4);
}

void KnockoutPanel::clickAt(const QPointF& pos) {
  const LayerHead lh = HeadsGridPainter::hit(HeadsGridPainter::layout(QRectF(canvas_->rect()), data_), pos);
  if (lh.valid() && workspace_) workspace_->selection().setLayerHead(lh.layer, lh.head);
}

void KnockoutPanel::paintFigure(QPainter& painter, const QRectF& rect) const {
  refresh_.flush();
  HeadsGridPainter::paint(painter, rect, data_);
}

FigureFeatures KnockoutPanel::figureFeatures() const { return kTextFigureFeatures; }

void KnockoutPanel::paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& figure) const {
  refresh_.flush();
  HeadsGridStyle style;
  figure.applyText(style);
  style.showCurrent = figure.showSelection;
  HeadsGridData d = data_;
  d.title = figure.titleFor(d.title);
  HeadsGridPainter::paint(painter, rect, d, style);
}

QSizeF KnockoutPanel::figureSize() const {
  refresh_.flush();
  if (canvas_->isVisible() && canvas_->width() > 0 && canvas_->height() > 0) return QSizeF(canvas_->size());
  return HeadsGridPainter::naturalSize(data_);
}

QByteArray KnockoutPanel::exportData(const QString& suffix) const {
  const attnviz::HeadKnockout* k = shown();
  if (suffix != QLatin1String("csv") || !k) return {};
  QByteArray out = "layer,head,mode,scored,reference,drop\n";
  const QByteArray scored = '"' + QByteArray::fromStdString(k->scored).replace('"', "\"\"") + '"';
  for (int l = 0; l < k->drop.dim(0); ++l)
    for (int h = 0; h < k->drop.dim(1); ++h)
      out += QByteArray::number(l) + ',' + QByteArray::number(h) + ',' + QByteArray::fromStdString(k->mode) + ',' + scored +
             ',' + QByteArray::number(double(k->reference), 'g', 9) + ',' +
             QByteArray::number(double(k->drop.at({l, h})), 'g', 9) + '\n';
  return out;
}

}  // namespace attnviz::ui
