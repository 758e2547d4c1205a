#include "ui/maps/heatmap_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "engine/core/error.h"
#include "engine/analysis/rollout.h"
#include "ui/kinds/kind_ui.h"
#include "ui/maps/heatmap_style_bar.h"
#include "ui/panels/panel_controls.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

constexpr double kZoomStep = 1.5;
constexpr double kMaxZoom = 32.0;  // a 512-token map: about 20 px a cell on a laptop screen
constexpr double kDiscardStep = 0.05;

QToolButton* zoomButton(const QString& text, const QString& tip, QWidget* parent) {
  auto* b = new QToolButton(parent);
  b->setText(text);
  b->setToolTip(tip);
  b->setAutoRaise(true);
  return b;
}

QLabel* caption(const QString& text, QWidget* buddy, QWidget* parent) {
  auto* l = new QLabel(text, parent);
  l->setBuddy(buddy);
  return l;
}

// Shows or hides a control together with the caption whose buddy it is.
void showWithCaption(QWidget* control, bool shown) {
  control->setVisible(shown);
  for (QLabel* label : control->parentWidget()->findChildren<QLabel*>()) {
    if (label->buddy() == control) label->setVisible(shown);
  }
}

}  // namespace

HeatmapPanel::HeatmapPanel(QWidget* parent) : HeatmapViewPanel(QStringLiteral("heatmapView"), parent) {
  setObjectName(QStringLiteral("heatmapPanel"));

  mapBox_ = new QComboBox(this);
  rememberControl(mapBox_, "map");
  mapBox_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  mapBox_->setToolTip(tr("Which attention map of the trace to show"));
  layerBox_ = new QSpinBox(this);
  layerBox_->setToolTip(tr("Layer of the self-attention map (1 = closest to the input)"));
  headBox_ = new QSpinBox(this);
  headBox_->setToolTip(tr("Attention head within the layer"));
  rolloutBox_ = new QComboBox(this);
  rolloutBox_->addItem(tr("off"), static_cast<int>(attnviz::RolloutFusion::None));
  rolloutBox_->addItem(tr("mean"), static_cast<int>(attnviz::RolloutFusion::Mean));
  rolloutBox_->addItem(tr("max"), static_cast<int>(attnviz::RolloutFusion::Max));
  rolloutBox_->addItem(tr("min"), static_cast<int>(attnviz::RolloutFusion::Min));
  rolloutBox_->setToolTip(tr("Attention rollout (Abnar & Zuidema 2020): attention traced through all layers with the "
                             "residual path counted; heads fused by mean, max or min. Off: not computed"));
  discardBox_ = new QDoubleSpinBox(this);
  discardBox_->setObjectName(QStringLiteral("rolloutDiscard"));
  discardBox_->setRange(0.0, 0.95);
  discardBox_->setSingleStep(kDiscardStep);
  discardBox_->setDecimals(2);
  discardBox_->setToolTip(tr("Rollout discard ratio: in every layer, after fusing the heads, drop this fraction of each "
                             "row's smallest weights (never a token's weight to itself) before adding the residual and "
                             "renormalising. 0.9 keeps the strongest 10%: less noise from diffuse heads. Recomputed "
                             "here, without rerunning the model"));
  discardCaption_ = caption(tr("&Discard"), discardBox_, this);
  zoomOut_ = zoomButton(QStringLiteral("−"), tr("Zoom out (Ctrl+wheel over the map)"), this);
  zoomFit_ = zoomButton(tr("Fit"), tr("Fit the whole map into the panel"), this);
  zoomIn_ = zoomButton(QStringLiteral("+"), tr("Zoom in (Ctrl+wheel over the map); scroll to move around"), this);
  HeatmapStyleBar* styleBar = makeStyleBar(tr("Global: one colour scale for the whole map. Per row: each row scaled to "
                                                "its own maximum, to see what every query token attends to most"));

  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(4, 2, 4, 2);
  controls->addWidget(caption(tr("&Map"), mapBox_, this));
  controls->addWidget(mapBox_);
  controls->addSpacing(8);
  controls->addWidget(caption(tr("&Layer"), layerBox_, this));
  controls->addWidget(layerBox_);
  controls->addWidget(caption(tr("H&ead"), headBox_, this));
  controls->addWidget(headBox_);
  controls->addWidget(caption(tr("&Rollout"), rolloutBox_, this));
  controls->addWidget(rolloutBox_);
  controls->addWidget(discardCaption_);
  controls->addWidget(discardBox_);
  controls->addStretch(1);
  controls->addWidget(zoomOut_);
  controls->addWidget(zoomFit_);
  controls->addWidget(zoomIn_);
  controls->addWidget(styleBar);

  placeholder_ = placeholderLabel(this);
  auto* detailNote = detailNoteLabel(view_, this);
  valueZeroingProgress_ = new QProgressBar(this);
  valueZeroingProgress_->setFormat(tr("value zeroing %p%"));
  valueZeroingProgress_->setMinimumWidth(200);  // the format on one line
  valueZeroingCancel_ = new QPushButton(tr("Cancel"), this);
  valueZeroingCancel_->setToolTip(tr("Stop computing value zeroing"));
  valueZeroingCompute_ = new QPushButton(tr("Compute value zeroing"), this);
  valueZeroingCompute_->setToolTip(tr("Zero each token's values in each layer and measure how every output moves "
                                      "(Mohebbi et al. 2023): one layer pass per token and layer, in the background"));
  auto* valueZeroingRow = new QHBoxLayout;
  valueZeroingRow->addStretch(1);
  valueZeroingRow->addWidget(valueZeroingProgress_);
  valueZeroingRow->addWidget(valueZeroingCancel_);
  valueZeroingRow->addWidget(valueZeroingCompute_);
  valueZeroingRow->addStretch(1);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  scroll_ = new QScrollArea(this);
  scroll_->setFrameShape(QFrame::NoFrame);
  scroll_->setWidget(view_);
  scroll_->setWidgetResizable(false);
  scroll_->viewport()->installEventFilter(this);  // resize: the view follows at the current zoom
  layout->addLayout(controls);
  layout->addWidget(scroll_, 1);
  layout->addWidget(placeholder_, 1);
  layout->addLayout(valueZeroingRow);
  layout->addWidget(detailNote);

  connect(view_, &HeatmapView::hovered, this, &HeatmapPanel::onHovered);
  connect(view_, &HeatmapView::clicked, this, &HeatmapPanel::onClicked);
  view_->setPinnedRow(Selection::kNone);  // rows pin on click, as in Arcs and Patches
  connect(view_, &HeatmapView::zoomRequested, this, [this](double factor, const QPointF& at) { zoomBy(factor, at); });
  connect(zoomIn_, &QToolButton::clicked, this, [this] { zoomBy(kZoomStep, {}); });
  connect(zoomOut_, &QToolButton::clicked, this, [this] { zoomBy(1.0 / kZoomStep, {}); });
  connect(zoomFit_, &QToolButton::clicked, this, [this] { setZoom(1.0); });
  connect(discardBox_, &QDoubleSpinBox::valueChanged, this, [this](double ratio) {
    if (!syncing_ && workspace_) workspace_->setRolloutDiscard(ratio);
  });
  connect(mapBox_, &QComboBox::activated, this, [this] { setMapName(mapBox_->currentData().toString()); });
  connect(valueZeroingCancel_, &QPushButton::clicked, this, [this] {
    if (!workspace_) return;
    valueZeroingCanceled_ = workspace_->derived().trace();
    workspace_->derived().cancelValueZeroing();
  });
  connect(valueZeroingCompute_, &QPushButton::clicked, this, [this] {
    valueZeroingCanceled_ = nullptr;
    refreshMap();
  });
  connect(layerBox_, &QSpinBox::valueChanged, this, &HeatmapPanel::onLayerHeadEdited);
  connect(headBox_, &QSpinBox::valueChanged, this, &HeatmapPanel::onLayerHeadEdited);
  connect(rolloutBox_, &QComboBox::activated, this, [this] {
    if (!syncing_ && workspace_)
      workspace_->setRolloutFusion(static_cast<attnviz::RolloutFusion>(rolloutBox_->currentData().toInt()));
  });
  onTraceChanged();
}

void HeatmapPanel::attach() {
  if (workspace_) {
    listen(workspace_, &Workspace::shownTraceChanged, this, &HeatmapPanel::onTraceChanged);
    listen(&workspace_->selection(), &Selection::cellChanged, this, &HeatmapPanel::onCellChanged);
    listen(&workspace_->selection(), &Selection::pinChanged, this, [this](int row) { view_->setPinnedRow(row); });
    view_->setPinnedRow(workspace_->selection().pinnedRow());
    listen(&workspace_->selection(), &Selection::layerHeadChanged, this, &HeatmapPanel::onLayerHeadChanged);
    listen(workspace_, &Workspace::rolloutFusionChanged, this, &HeatmapPanel::onRolloutFusionChanged);
    listen(workspace_, &Workspace::rolloutDiscardChanged, this, &HeatmapPanel::onRolloutDiscardChanged);
    listen(workspace_, &Workspace::limitsChanged, this, &HeatmapPanel::updateStyle);
    DerivedResults& derived = workspace_->derived();
    listen(&derived, &DerivedResults::valueZeroingChanged, this, &HeatmapPanel::onTraceChanged);  // its layers too
    listen(&derived.valueZeroingJob(), &BackgroundJob::progress, this, [this](int done, int total) {
      valueZeroingProgress_->setRange(0, std::max(1, total));
      valueZeroingProgress_->setValue(done);
    });
    listen(&derived.valueZeroingJob(), &BackgroundJob::canceled, this, &HeatmapPanel::refreshMap);
    listen(&derived.valueZeroingJob(), &BackgroundJob::finished, this, &HeatmapPanel::showValueZeroingJob);
    const QScopedValueRollback guard(syncing_, true);
    rolloutBox_->setCurrentIndex(rolloutBox_->findData(static_cast<int>(workspace_->rolloutFusion())));
    discardBox_->setValue(workspace_->rolloutDiscard());
  }
  updateStyle();
  onTraceChanged();
}

bool HeatmapPanel::zoom(ZoomStep step) {
  QToolButton* button = step == ZoomStep::In ? zoomIn_ : step == ZoomStep::Out ? zoomOut_ : zoomFit_;
  if (button->isEnabled()) button->click();
  return true;
}

void HeatmapPanel::setMapName(const QString& name) {
  if (name == mapName_) return;
  mapName_ = name;
  refreshMap();
}

const MapInfo* HeatmapPanel::currentMapInfo() const {
  for (const MapInfo& m : maps_) {
    if (m.name == mapName_) return &m;
  }
  return nullptr;
}

void HeatmapPanel::onTraceChanged() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  maps_ = trace ? availableMaps(*trace) : std::vector<MapInfo>{};
  const bool rolloutListed = std::any_of(maps_.begin(), maps_.end(), [](const MapInfo& m) { return m.name == QLatin1String("rollout"); });
  if (trace && !rolloutListed && workspace_->rolloutEnabled() && canShowRollout(*trace)) {
    // Derived from attention.self: the model is never asked for rollout.
    maps_.insert(maps_.begin() + std::min<std::ptrdiff_t>(1, static_cast<std::ptrdiff_t>(maps_.size())), MapInfo{QStringLiteral("rollout")});
  }
  if (trace && kindCan(trace->model.kind, &KindCapabilities::contributions)) {
    // Listed before a run computes them: choosing one asks the Workspace to (the model runs again).
    for (const char* name : kContributionMapNames)
      if (!trace->attention.contains(name)) maps_.push_back(MapInfo{QString::fromLatin1(name)});
    const attnviz::ValueZeroing* computed = trace == workspace_->derived().trace() ? workspace_->derived().valueZeroing() : nullptr;
    for (const char* name : kValueZeroingMapNames)
      if (!trace->attention.contains(name))
        maps_.push_back(computed ? valueZeroingMapInfo(QString::fromLatin1(name), *computed) : MapInfo{QString::fromLatin1(name)});
  }
  if (trace && workspace_->currentModel() && workspace_->currentModel()->info().weightedNorms) {
    // The RNN models' a_j ‖h_j‖ (weighted_norms.h), listed before a run computes them, like the contribution maps.
    for (const QString& name : weightedNormMapsOf(*trace))
      if (!trace->attention.contains(name.toStdString()) && !trace->raggedAttention.contains(name.toStdString()))
        maps_.push_back(MapInfo{name});
  }
  if (wantRollout_ && trace && canShowRollout(*trace) && workspace_->rolloutEnabled()) {
    mapName_ = QStringLiteral("rollout");
    wantRollout_ = false;
  }
  if (!maps_.empty() && currentMapInfo() == nullptr) mapName_ = maps_.front().name;
  rebuildMapChoices();
  refreshMap();
}

void HeatmapPanel::rebuildMapChoices() {
  const QScopedValueRollback guard(syncing_, true);
  QStringList names;
  for (const MapInfo& m : maps_) names << m.name;
  QStringList shown;
  for (int i = 0; i < mapBox_->count(); ++i) shown << mapBox_->itemData(i).toString();
  if (names != shown) {
    mapBox_->clear();
    for (const MapInfo& m : maps_) mapBox_->addItem(mapTitle({m.name, false, 0, 0}, {}), m.name);
  }
  mapBox_->setCurrentIndex(mapBox_->findData(mapName_));
  mapBox_->setEnabled(!maps_.empty());
  // Only the controls that apply to this model's maps (issue 18 item 11): no Layer/Head for a model whose maps are
  // all unlayered (han), no Rollout without self-attention, nothing but the placeholder before a model is open.
  const bool rollout = workspace_ && kindCan(workspace_->currentKind(), &KindCapabilities::selfAttention);
  const bool anyLayered = std::any_of(maps_.begin(), maps_.end(), [](const MapInfo& m) { return m.layered; });
  showWithCaption(mapBox_, !maps_.empty());
  showWithCaption(layerBox_, anyLayered);
  showWithCaption(headBox_, anyLayered);
  showWithCaption(rolloutBox_, rollout);
  showDiscard(rollout && workspace_->rolloutEnabled());
  mapBox_->setMinimumWidth(mapBox_->sizeHint().width());  // the controls row is full: never cut the map's name
}

void HeatmapPanel::showDiscard(bool shown) {
  // Only with rollout on: it applies to nothing else, and the controls row has no room to spare.
  discardCaption_->setVisible(shown);
  discardBox_->setVisible(shown);
  discardBox_->setEnabled(shown);
}

void HeatmapPanel::refreshMap() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const MapInfo* info = currentMapInfo();
  {
    const QScopedValueRollback guard(syncing_, true);
    const bool layered = info && info->layered;
    layerBox_->setEnabled(layered);
    headBox_->setEnabled(layered && info->perHead);
    if (layered) {
      layerBox_->setRange(1, std::max(1, info->layers));
      headBox_->setRange(1, std::max(1, info->heads));
      const Selection& sel = workspace_->selection();
      layerBox_->setValue(sel.layer() + 1);
      headBox_->setValue(sel.head() + 1);
    }
    mapBox_->setCurrentIndex(mapBox_->findData(mapName_));
  }
  QString why;
  HeatmapData data;
  if (!workspace_ || !workspace_->currentModel()) {
    why = tr("Open a model (File ▸ Open model…, or drop a model folder or file onto the window).");
  } else if (!trace) {
    why = workspace_->isRunning() ? tr("Running…") : tr("Type a sentence above to see where the model attends.");
  } else if (!info) {
    why = tr("This trace has no attention map that can be shown as a heatmap.");
  } else {
    try {
      const Selection& sel = workspace_->selection();
      if (mapName_ == QLatin1String("rollout")) {  // the title says how heads were fused and what was discarded
        std::optional<HeatmapData> r =
            rolloutMap(workspace_->derived(), trace, workspace_->rolloutFusion(), workspace_->rolloutDiscard());
        if (r) data = std::move(*r);
        else why = tr("Turn rollout on (mean, max or min) to see it.");
      } else if (isValueZeroingMap(mapName_) && !trace->attention.contains(mapName_.toStdString())) {
        data = valueZeroingData(trace, why);
      } else if (isContributionMap(mapName_) && !trace->attention.contains(mapName_.toStdString()) &&
                 !trace->raggedAttention.contains(mapName_.toStdString())) {
        requestContributions();
        why = workspace_->isRunning() ? tr("Computing %1… (the model runs again, keeping what the method needs)")
                                            .arg(mapTitle({mapName_}, {}))
                                      : tr("%1 is not in this result; run the model again to compute it.")
                                            .arg(mapTitle({mapName_}, {}));
      } else {
        data = extractMap(*trace, {mapName_, sel.layer(), sel.head()});
      }
    } catch (const attnviz::Error& e) {
      why = QString::fromStdString(e.message());
    }
  }
  view_->setData(std::move(data));
  scroll_->setVisible(why.isEmpty());
  placeholder_->setText(why);
  placeholder_->setVisible(!why.isEmpty());
  showValueZeroingJob();
  if (workspace_) view_->setHighlight(workspace_->selection().row(), workspace_->selection().column());
}

HeatmapData HeatmapPanel::valueZeroingData(const TracePtr& trace, QString& why) {
  DerivedResults& derived = workspace_->derived();
  if (trace != derived.trace()) return {};  // the Workspace moves the derived results to a new trace before showing it
  if (const attnviz::ValueZeroing* v = derived.valueZeroing())
    return valueZeroingMap(*trace, *v, {mapName_, workspace_->selection().layer(), 0});
  if (const QString no = derived.whyNoValueZeroing(); !no.isEmpty()) {
    why = no;
    return {};
  }
  if (valueZeroingCanceled_ != trace && !derived.valueZeroingJob().isRunning()) {
    valueZeroingProgress_->setRange(0, 0);  // busy until the engine has reported once
    derived.startValueZeroing();            // arrives with valueZeroingChanged
  }
  why = derived.valueZeroingJob().isRunning()
            ? tr("Computing value zeroing… (one layer pass per token and layer, in the background)")
            : tr("Value zeroing was cancelled for this input.");
  return {};
}

void HeatmapPanel::showValueZeroingJob() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const bool wanted = trace && isValueZeroingMap(mapName_) && !trace->attention.contains(mapName_.toStdString()) &&
                      trace == workspace_->derived().trace() && !workspace_->derived().valueZeroing();
  const bool running = wanted && workspace_->derived().valueZeroingJob().isRunning();
  valueZeroingProgress_->setVisible(running);
  valueZeroingCancel_->setVisible(running);
  valueZeroingCompute_->setVisible(wanted && !running && valueZeroingCanceled_ == trace);
}

void HeatmapPanel::requestContributions() {
  // A rerun when this changes the set; refreshMap follows the new trace.
  workspace_->setContributions(withMethodOf(mapName_, workspace_->contributions()));
}

void HeatmapPanel::onHovered(int row, int column) {
  if (!workspace_) return;
  // Leaving the map goes back to a pinned row (or nothing); a row or column label focuses that row or column alone.
  if (row < 0 && column < 0) workspace_->selection().releaseHover();
  else workspace_->selection().setCell(row, column);
}

void HeatmapPanel::onClicked(int row, int column) {
  if (!workspace_) return;
  Selection& sel = workspace_->selection();
  if (row == sel.pinnedRow()) {  // the pinned row again: released
    sel.setPinnedRow(Selection::kNone);
    return;
  }
  sel.setCell(row, column);
  sel.setPinnedRow(row);
}

void HeatmapPanel::onCellChanged(int row, int column) { view_->setHighlight(row, column); }

void HeatmapPanel::onLayerHeadChanged(int, int) { refreshMap(); }

void HeatmapPanel::onRolloutFusionChanged() {
  const bool enabled = workspace_->rolloutEnabled();
  {
    const QScopedValueRollback guard(syncing_, true);
    rolloutBox_->setCurrentIndex(rolloutBox_->findData(static_cast<int>(workspace_->rolloutFusion())));
  }
  wantRollout_ = enabled;  // show rollout as soon as a trace carries it
  showDiscard(enabled && kindCan(workspace_->currentKind(), &KindCapabilities::selfAttention));
  if (!enabled && mapName_ == QLatin1String("rollout")) {
    setMapName(QStringLiteral("self"));
  } else if (enabled) {
    onTraceChanged();  // derived from attention.self at once: no run
  }
}

int HeatmapPanel::rolloutComputations() const { return workspace_ ? workspace_->derived().rolloutComputations() : 0; }

void HeatmapPanel::onRolloutDiscardChanged(double ratio) {
  {
    const QScopedValueRollback guard(syncing_, true);
    discardBox_->setValue(ratio);
  }
  if (mapName_ == QLatin1String("rollout")) refreshMap();
}

void HeatmapPanel::setZoom(double zoom) {
  zoomBy(zoom / zoom_, {});
}

void HeatmapPanel::zoomBy(double factor, const QPointF& at) {
  const double zoom = std::clamp(zoom_ * factor, 1.0, kMaxZoom);
  if (zoom == zoom_) return;
  // Keep the point under the pointer (or the viewport's centre) where it is.
  const QPointF anchor = at.isNull() ? view_->mapFromParent(QPoint(scroll_->viewport()->width() / 2, scroll_->viewport()->height() / 2))
                                     : at;
  const QPointF inViewport = view_->mapToParent(anchor.toPoint());
  const double scale = zoom / zoom_;
  zoom_ = zoom;
  fitViewToZoom();
  scroll_->horizontalScrollBar()->setValue(static_cast<int>(anchor.x() * scale - inViewport.x()));
  scroll_->verticalScrollBar()->setValue(static_cast<int>(anchor.y() * scale - inViewport.y()));
  zoomOut_->setEnabled(zoom_ > 1.0);
  zoomFit_->setEnabled(zoom_ > 1.0);
  zoomIn_->setEnabled(zoom_ < kMaxZoom);
}

void HeatmapPanel::fitViewToZoom() {
  scroll_->setHorizontalScrollBarPolicy(zoom_ > 1.0 ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff);
  scroll_->setVerticalScrollBarPolicy(zoom_ > 1.0 ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff);
  const QSize vp = scroll_->viewport()->size();  // after the policies: they change it
  const QSize size(std::max(1, static_cast<int>(vp.width() * zoom_)), std::max(1, static_cast<int>(vp.height() * zoom_)));
  if (view_->size() != size) view_->resize(size);
}

bool HeatmapPanel::eventFilter(QObject* watched, QEvent* event) {
  if (watched == scroll_->viewport() && event->type() == QEvent::Resize) fitViewToZoom();
  return Panel::eventFilter(watched, event);
}

void HeatmapPanel::onLayerHeadEdited() {
  if (syncing_ || !workspace_) return;
  workspace_->selection().setLayerHead(layerBox_->value() - 1, headBox_->value() - 1);
}

}  // namespace attnviz::ui
