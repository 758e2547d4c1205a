#include "ui/kinds/vit/patch_panel.h"
#include "ui/maps/heatmap_source.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

#include "engine/core/error.h"
#include "ui/panels/panel_controls.h"
#include "ui/kinds/vit/patch_maps.h"
#include "ui/kinds/vit/trace_image.h"
#include "ui/kinds/vit/vit_extension.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

constexpr int kOpacitySteps = 100;
constexpr double kDefaultOpacity = 0.6;
constexpr double kMaxDiscard = 0.95;
const QSizeF kNaturalFigure(480, 420);

QString tokenName(const attnviz::Trace& trace, int token) {
  if (token < 0 || token >= static_cast<int>(trace.sourceTokens.size())) return {};
  return QString::fromStdString(trace.sourceTokens[static_cast<std::size_t>(token)]);
}

// The Map choices that are token contribution maps (contributions.h), read from trace.attention[name]: a rollout
// [N, N] or one map per layer [L, N, N].
struct ContributionMap {
  const char* name;
  bool perLayer;
  QString label;
};

std::optional<ContributionMap> contributionMapOf(PatchPanel::MapKind kind) {
  switch (kind) {
    case PatchPanel::MapKind::AltiRollout: return ContributionMap{"alti_rollout", false, PatchPanel::tr("ALTI rollout")};
    case PatchPanel::MapKind::GlobEncRollout:
      return ContributionMap{"globenc_rollout", false, PatchPanel::tr("GlobEnc rollout")};
    case PatchPanel::MapKind::ValueNormSum:
      return ContributionMap{"value_norm_sum", true, PatchPanel::tr("value norm, heads summed")};
    default: return std::nullopt;
  }
}

}  // namespace

PatchPanel::PatchPanel(QWidget* parent) : Panel(parent) {
  view_ = new PatchView(this);
  mapBox_ = new QComboBox(this);
  rememberControl(mapBox_, "map");
  mapBox_->addItem(tr("One head"), static_cast<int>(MapKind::Head));
  mapBox_->addItem(tr("Mean over heads"), static_cast<int>(MapKind::MeanOverHeads));
  mapBox_->addItem(tr("Top patches per head"), static_cast<int>(MapKind::TopPerHead));
  mapBox_->addItem(tr("Rollout"), static_cast<int>(MapKind::Rollout));
  mapBox_->addItem(tr("Flow from [CLS]"), static_cast<int>(MapKind::Flow));
  mapBox_->addItem(tr("ALTI rollout"), static_cast<int>(MapKind::AltiRollout));
  mapBox_->addItem(tr("GlobEnc rollout"), static_cast<int>(MapKind::GlobEncRollout));
  mapBox_->addItem(tr("Value norm (heads summed)"), static_cast<int>(MapKind::ValueNormSum));
  mapBox_->setToolTip(tr("Which attention the overlay shows: the query's row of one head, of the mean over the layer's heads, "
                         "of rollout, or attention flow from [CLS] (max-flow, computed in the background)"));
  layerBox_ = new QSpinBox(this);
  layerBox_->setPrefix(tr("layer "));
  layerBox_->setToolTip(tr("Attention layer shown (Alt+Up/Down)"));
  headBox_ = new QSpinBox(this);
  headBox_->setPrefix(tr("head "));
  headBox_->setToolTip(tr("Attention head shown (Alt+Left/Right)"));
  fusionBox_ = new QComboBox(this);
  rememberControl(fusionBox_, "fusion");
  fusionBox_->addItem(tr("mean"), static_cast<int>(attnviz::RolloutFusion::Mean));
  fusionBox_->addItem(tr("max"), static_cast<int>(attnviz::RolloutFusion::Max));
  fusionBox_->addItem(tr("min"), static_cast<int>(attnviz::RolloutFusion::Min));
  fusionBox_->setToolTip(tr("How rollout fuses the heads of a layer"));
  discardCaption_ = new QLabel(tr("Discard"), this);
  discardBox_ = new QDoubleSpinBox(this);
  rememberControl(discardBox_, "discard");
  discardBox_->setRange(0.0, kMaxDiscard);
  discardBox_->setSingleStep(0.05);
  discardBox_->setToolTip(tr("Rollout: the weakest fraction of each row dropped in every layer"));
  withoutSelfBox_ = new QCheckBox(tr("Without self, [CLS]"), this);
  rememberControl(withoutSelfBox_, "rolloutWithoutSelf");
  withoutSelfBox_->setToolTip(tr("Rollout keeps the residual path in every layer, so a patch's row is mostly its own weight. "
                                 "Checked: its weight on itself and on [CLS] are left out and the rest renormalised to sum 1, "
                                 "to see where the rest goes (the title says so)"));
  scaleBox_ = new QComboBox(this);
  rememberControl(scaleBox_, "scale");
  scaleBox_->addItem(tr("Scale: auto"), static_cast<int>(Scale::Auto));
  scaleBox_->addItem(tr("Scale: 0 to max"), static_cast<int>(Scale::ZeroToMax));
  scaleBox_->addItem(tr("Scale: min to max"), static_cast<int>(Scale::MinToMax));
  scaleBox_->setToolTip(tr("Colour scale of the overlay. 0 to max: a weight of 0 is the colour map's bottom. Min to max: the "
                           "map's own range, for maps that vary little over a large base (flow, rollout; from 0 they are "
                           "one colour). Auto: min to max for rollout and flow, 0 to max for attention. The colour bar "
                           "says which"));
  colormapBox_ = new QComboBox(this);
  rememberControl(colormapBox_, "colormap");
  colormapBox_->setToolTip(tr("Colour map of the attention overlay"));
  for (ColormapId id : Colormap::all()) colormapBox_->addItem(Colormap::byId(id).name(), static_cast<int>(id));
  opacitySlider_ = new QSlider(Qt::Horizontal, this);
  rememberControl(opacitySlider_, "opacity");
  opacitySlider_->setRange(0, kOpacitySteps);
  opacitySlider_->setValue(static_cast<int>(kDefaultOpacity * kOpacitySteps));
  opacitySlider_->setMaximumWidth(100);
  opacitySlider_->setToolTip(tr("Opacity of the attention overlay"));
  gridBox_ = new QCheckBox(tr("Grid"), this);
  rememberControl(gridBox_, "grid");
  gridBox_->setChecked(true);
  gridBox_->setToolTip(tr("Draw the patch grid over the image"));
  info_ = new QLabel(this);
  info_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  flowProgress_ = new QProgressBar(this);
  flowProgress_->setMaximumWidth(160);
  flowProgress_->setFormat(tr("flow %p%"));
  flowCancel_ = new QPushButton(tr("Cancel"), this);
  flowCompute_ = new QPushButton(tr("Compute flow"), this);
  flowCancel_->setToolTip(tr("Stop computing attention flow"));
  flowCompute_->setToolTip(tr("Compute attention flow from [CLS] (Abnar & Zuidema 2020): a max-flow per patch, in the background"));
  placeholder_ = placeholderLabel(this);

  auto* controls = new QHBoxLayout;
  controls->addWidget(mapBox_);
  controls->addWidget(layerBox_);
  controls->addWidget(headBox_);
  controls->addWidget(fusionBox_);
  controls->addWidget(discardCaption_);
  controls->addWidget(discardBox_);
  controls->addWidget(withoutSelfBox_);
  controls->addWidget(scaleBox_);
  controls->addWidget(colormapBox_);
  controls->addWidget(new QLabel(tr("Opacity"), this));
  controls->addWidget(opacitySlider_);
  controls->addWidget(gridBox_);
  controls->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(controls);
  auto* status = new QHBoxLayout;
  status->addWidget(info_, 1);
  status->addWidget(flowProgress_);
  status->addWidget(flowCancel_);
  status->addWidget(flowCompute_);
  layout->addLayout(status);
  layout->addWidget(view_, 1);
  layout->addWidget(placeholder_, 1);

  connect(view_, &PatchView::patchHovered, this, &PatchPanel::onPatchHovered);
  connect(view_, &PatchView::patchClicked, this, &PatchPanel::onPatchClicked);
  connect(mapBox_, &QComboBox::activated, this, [this] { setMapKind(static_cast<MapKind>(mapBox_->currentData().toInt())); });
  auto layerHeadEdited = [this] {
    if (!syncing_ && workspace_) workspace_->selection().setLayerHead(layerBox_->value() - 1, headBox_->value() - 1);
  };
  connect(layerBox_, &QSpinBox::valueChanged, this, layerHeadEdited);
  connect(headBox_, &QSpinBox::valueChanged, this, layerHeadEdited);
  connect(fusionBox_, &QComboBox::activated, this, [this] { refresh(); });
  connect(discardBox_, &QDoubleSpinBox::valueChanged, this, [this] {
    if (!syncing_) refresh();
  });
  connect(withoutSelfBox_, &QCheckBox::toggled, this, [this] { refresh(); });
  connect(scaleBox_, &QComboBox::currentIndexChanged, this, &PatchPanel::updateStyle);
  connect(colormapBox_, &QComboBox::currentIndexChanged, this, &PatchPanel::updateStyle);
  connect(opacitySlider_, &QSlider::valueChanged, this, &PatchPanel::updateStyle);
  connect(gridBox_, &QCheckBox::toggled, this, &PatchPanel::updateStyle);
  connect(flowCancel_, &QPushButton::clicked, this, [this] {
    if (!workspace_) return;
    flowCanceled_ = workspace_->derived().trace();
    workspace_->derived().cancelFlow();
  });
  connect(flowCompute_, &QPushButton::clicked, this, [this] {
    flowCanceled_ = nullptr;
    refresh();
  });
  updateStyle();
  refresh();
}

void PatchPanel::attach() {
  if (workspace_) {
    listen(workspace_, &Workspace::shownTraceChanged, this, &PatchPanel::onTraceChanged);
    listen(workspace_, &Workspace::flowChanged, this, [this] { refresh(); });
    listen(&workspace_->selection(), &Selection::cellChanged, this, &PatchPanel::onCellChanged);
    listen(&workspace_->selection(), &Selection::pinChanged, this, [this] { refresh(); });
    listen(&workspace_->selection(), &Selection::layerHeadChanged, this, [this] { refresh(); });
    listen(flowJob(), &BackgroundJob::progress, this, &PatchPanel::showFlowProgress);
    listen(flowJob(), &BackgroundJob::canceled, this, [this] { refresh(); });
  }
  onTraceChanged();
}

BackgroundJob* PatchPanel::flowJob() const { return workspace_ ? &workspace_->derived().flowJob() : nullptr; }

void PatchPanel::showFlowProgress(int done, int total) {
  flowProgress_->setRange(0, std::max(1, total));
  flowProgress_->setValue(done);
}

void PatchPanel::setMapKind(MapKind kind) {
  kind_ = kind;
  refresh();
}

void PatchPanel::setRollout(attnviz::RolloutFusion fusion, double discard) {
  {
    const QScopedValueRollback guard(syncing_, true);
    fusionBox_->setCurrentIndex(std::max(0, fusionBox_->findData(static_cast<int>(fusion))));
    discardBox_->setValue(discard);
  }
  refresh();
}

void PatchPanel::setOpacity(double opacity) { opacitySlider_->setValue(static_cast<int>(std::lround(opacity * kOpacitySteps))); }
void PatchPanel::setGridShown(bool shown) { gridBox_->setChecked(shown); }
void PatchPanel::setColormap(ColormapId id) { colormapBox_->setCurrentIndex(colormapBox_->findData(static_cast<int>(id))); }

void PatchPanel::onTraceChanged() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const QString path = trace ? QString::fromStdString(trace->input) : QString();
  if (path != imagePath_) {
    imagePath_ = path;
    image_ = traceImage(path.toStdString());
  }
  refresh();
}

void PatchPanel::onCellChanged(int, int) { refresh(); }

QString PatchPanel::infoText() const { return info_->text(); }

void PatchPanel::focusPatch(int patch) {
  if (!workspace_) return;
  const PatchGrid& grid = view_->overlay().grid;
  Selection& sel = workspace_->selection();
  if (patch < 0 || patch >= grid.count()) {
    sel.setRow(Selection::kNone);
    sel.setPatch(Selection::kNone);
    return;
  }
  sel.setPatch(patch);
  sel.setRow(grid.tokenOf(patch));
}

bool PatchPanel::pinned() const {
  if (!workspace_) return false;
  const Selection& sel = workspace_->selection();
  return sel.pinnedRow() != Selection::kNone && sel.pinnedRow() == sel.row();
}

void PatchPanel::onPatchHovered(int patch) {
  if (!pinned()) focusPatch(patch);  // a clicked patch stays the query while the pointer moves
}

void PatchPanel::onPatchClicked(int patch) {
  const int focused = view_->overlay().grid.patchOf(query_);
  if (!workspace_) return;
  if (patch < 0 || (pinned() && patch == focused)) {
    workspace_->selection().setPinnedRow(Selection::kNone);
    focusPatch(-1);
    return;
  }
  focusPatch(patch);
  workspace_->selection().setPinnedRow(workspace_->selection().row());
}

void PatchPanel::refresh() {
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const attnviz::Tensor* self = trace ? selfAttention(*trace) : nullptr;
  const std::optional<PatchGrid> grid = trace ? patchGrid(trace->sourceTokens) : std::nullopt;
  const bool rollout = kind_ == MapKind::Rollout;
  {
    const QScopedValueRollback guard(syncing_, true);
    mapBox_->setCurrentIndex(mapBox_->findData(static_cast<int>(kind_)));
    headBox_->setVisible(kind_ == MapKind::Head);
    layerBox_->setVisible(kind_ == MapKind::Head || kind_ == MapKind::MeanOverHeads || kind_ == MapKind::TopPerHead ||
                          (contributionMapOf(kind_) && contributionMapOf(kind_)->perLayer));
    fusionBox_->setVisible(rollout);
    discardCaption_->setVisible(rollout);
    discardBox_->setVisible(rollout);
    withoutSelfBox_->setVisible(rollout);
    // Before an image has run there is no layer to pick: the boxes wait, disabled, at 1 (not at a "layer 0").
    layerBox_->setEnabled(self != nullptr);
    headBox_->setEnabled(self != nullptr);
    if (!self) {
      layerBox_->setRange(1, 1);
      headBox_->setRange(1, 1);
    }
    if (self && workspace_) {
      layerBox_->setRange(1, static_cast<int>(self->dim(0)));
      headBox_->setRange(1, static_cast<int>(self->dim(1)));
      layerBox_->setValue(workspace_->selection().layer() + 1);
      headBox_->setValue(workspace_->selection().head() + 1);
    }
  }
  QString why;
  PatchOverlay overlay;
  if (!workspace_ || !workspace_->currentModel()) {
    why = tr("Open a vit model (File ▸ Open model…), then an image (File ▸ Open Image…, Ctrl+I, or drop one).");
  } else if (!trace) {
    why = workspace_->isRunning() ? tr("Running…") : tr("Open an image (File ▸ Open Image…, Ctrl+I, or drop one) to see where the model attends.");
  } else if (!grid || !self || self->dim(2) != static_cast<std::int64_t>(trace->sourceTokens.size())) {
    why = tr("This trace has no patch tokens with self-attention to draw over the image.");
  } else {
    const int tokens = static_cast<int>(self->dim(2));
    const int row = workspace_->selection().row();
    query_ = row >= 0 && row < tokens && kind_ != MapKind::Flow ? row : 0;
    const QString from = tokenName(*trace, query_) + QStringLiteral(" → patches");
    const int layer = std::clamp(workspace_->selection().layer(), 0, static_cast<int>(self->dim(0)) - 1);
    const int heads = static_cast<int>(self->dim(1));
    try {
      if (kind_ == MapKind::Head) {
        const int head = std::clamp(workspace_->selection().head(), 0, heads - 1);
        overlay = headRow(*self, *grid, layer, head, query_, tr("%1 · layer %2 · head %3").arg(from).arg(layer + 1).arg(head + 1));
      } else if (kind_ == MapKind::MeanOverHeads) {
        overlay = meanRow(*self, *grid, layer, query_, tr("%1 · layer %2 · mean over heads").arg(from).arg(layer + 1));
      } else if (kind_ == MapKind::TopPerHead) {
        overlay = topPatchesPerHead(*self, *grid, layer, query_, kTopPatchFraction,
                                    tr("%1 · layer %2 · each head's top %3% of patches").arg(from).arg(layer + 1).arg(kTopPatchFraction * 100));
      } else if (kind_ == MapKind::Flow) {
        query_ = 0;  // flow is computed from [CLS] only
        if (const std::vector<float>* row = workspace_->flowFor(trace); row && static_cast<int>(row->size()) == tokens) {
          overlay = overlayFromRow(row->data(), tokens, *grid, 0, tr("%1 → patches · attention flow").arg(tokenName(*trace, 0)));
        } else if (flowCanceled_ != trace && trace == workspace_->derived().trace() && !flowJob()->isRunning()) {
          flowProgress_->setRange(0, 0);  // busy until the engine has reported once
          workspace_->derived().startFlow();  // arrives with Workspace::flowChanged
        }
      } else if (const std::optional<ContributionMap> contribution = contributionMapOf(kind_)) {
        const auto it = trace->attention.find(contribution->name);
        if (it == trace->attention.end()) {
          workspace_->setContributions(withMethodOf(QString::fromLatin1(contribution->name), workspace_->contributions()));  // one rerun
          why = workspace_->isRunning() ? tr("Computing %1… (the model runs again, keeping what the method needs)")
                                              .arg(mapBox_->currentText())
                                        : tr("%1 is not in this result; run the model again to compute it.")
                                              .arg(mapBox_->currentText());
        } else {
          const attnviz::Tensor& map = contribution->perLayer ? it->second.slice(layer) : it->second;  // [N, N]
          overlay = overlayFromRow(map.data(), tokens, *grid, query_,
                                   contribution->perLayer ? tr("%1 · layer %2 · %3").arg(from).arg(layer + 1).arg(contribution->label)
                                                          : tr("%1 · %2").arg(from, contribution->label));
        }
      } else {
        const auto fusion = static_cast<attnviz::RolloutFusion>(fusionBox_->currentData().toInt());
        std::optional<HeatmapData> r = rolloutMap(workspace_->derived(), trace, fusion, discardBox_->value());
        if (r && withoutSelfBox_->isChecked()) r = withoutSelfAndSpecial(std::move(*r), grid->firstToken);
        if (r && r->rows == tokens && r->cols == tokens) {
          overlay = overlayFromRow(r->values.data(), tokens, *grid, query_, tr("%1 · %2").arg(from, r->title));
        } else {
          why = tr("Rollout cannot be computed for this trace.");
        }
      }
    } catch (const attnviz::Error& e) {
      why = QString::fromStdString(e.message());
    }
    QString text = tr("Query: %1").arg(tokenName(*trace, query_));
    if (pinned() && kind_ != MapKind::Flow) text += tr(" (pinned: click it again to release)");
    if (isPixelsPreview(trace->input)) text += tr(" · preprocessed pixels (.npy), shown min–max scaled: not the original image");
    if (kind_ == MapKind::Flow && overlay.empty()) {
      const bool computing = flowJob()->isRunning() && workspace_->derived().trace() == trace;
      text += computing ? tr(" · computing attention flow…") : tr(" · attention flow cancelled");
    }
    info_->setText(text);
  }
  if (!trace) query_ = 0;
  if (!why.isEmpty()) info_->clear();
  const bool flowShown = kind_ == MapKind::Flow && why.isEmpty();
  const bool flowRunning = flowShown && flowJob() && flowJob()->isRunning();
  flowProgress_->setVisible(flowRunning);
  flowCancel_->setVisible(flowRunning);
  flowCompute_->setVisible(flowShown && !flowRunning && overlay.empty());
  const bool shown = !overlay.empty();
  view_->setContent(image_, std::move(overlay));
  updateStyle();
  publishShownMap(shown);
  view_->setVisible(why.isEmpty());
  placeholder_->setText(why);
  placeholder_->setVisible(!why.isEmpty());
}

void PatchPanel::publishShownMap(bool shown) {
  if (!workspace_) return;
  VitExtension::ShownMap m;
  if (shown) {
    const std::optional<ContributionMap> contribution = contributionMapOf(kind_);
    m.method = kind_ == MapKind::Flow      ? tr("attention flow")
               : kind_ == MapKind::Rollout ? tr("rollout")
               : contribution              ? contribution->label
                                           : tr("attention");
    m.query = query_;
    m.perHead = kind_ == MapKind::Head || kind_ == MapKind::MeanOverHeads || kind_ == MapKind::TopPerHead;
  }
  workspace_->extension<VitExtension>().setShownMap(m);
}

bool PatchPanel::scaledFromMin() const {
  const auto scale = static_cast<Scale>(scaleBox_->currentData().toInt());
  // Auto: min..max for the derived maps with a large base (a token's own share).
  const bool derived = kind_ == MapKind::Flow || kind_ == MapKind::Rollout || kind_ == MapKind::AltiRollout ||
                       kind_ == MapKind::GlobEncRollout;
  return scale == Scale::MinToMax || (scale == Scale::Auto && derived);
}

void PatchPanel::updateStyle() {
  PatchStyle style = view_->patchStyle();
  style.fromMin = scaledFromMin();
  style.colormap = static_cast<ColormapId>(colormapBox_->currentData().toInt());
  style.opacity = static_cast<double>(opacitySlider_->value()) / kOpacitySteps;
  style.grid = gridBox_->isChecked();
  style.focusedPatch = view_->overlay().grid.patchOf(query_);
  view_->setStyle(style);
}

void PatchPanel::paintFigure(QPainter& painter, const QRectF& rect) const {
  paintPatches(painter, rect, view_->image(), view_->overlay(), view_->patchStyle());
}

void PatchPanel::paintImageFigure(QPainter& painter, const QRectF& rect) const {
  paintPatchImage(painter, rect, view_->image(), view_->overlay(), view_->patchStyle());
}

FigureFeatures PatchPanel::figureFeatures() const {
  return kTextFigureFeatures | FigureFeature::Colormap | FigureFeature::ColorBar;
}

// The focused patch's outline is the selection; the map over the image is the figure.
void PatchPanel::paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& figure) const {
  PatchStyle style = view_->patchStyle();
  figure.applyText(style);
  if (figure.colormap) style.colormap = *figure.colormap;
  style.colorBar = figure.showColorBar;
  if (!figure.showSelection) style.focusedPatch = -1;
  PatchOverlay overlay = view_->overlay();
  overlay.title = figure.titleFor(overlay.title);
  paintPatches(painter, rect, view_->image(), overlay, style);
}

QSizeF PatchPanel::figureSize() const {
  return view_->isVisible() && !view_->size().isEmpty() ? QSizeF(view_->size()) : kNaturalFigure;
}

std::optional<HeatmapData> PatchPanel::shownMatrix() const {
  const PatchOverlay& o = view_->overlay();
  if (o.empty()) return std::nullopt;
  HeatmapData d;
  d.rows = o.grid.rows;
  d.cols = o.grid.cols;
  d.values = o.values;
  for (int r = 0; r < d.rows; ++r) d.rowLabels << tr("row %1").arg(r);
  for (int c = 0; c < d.cols; ++c) d.colLabels << tr("column %1").arg(c);
  d.title = o.title;
  d.rowAxis = tr("patch row");
  d.colAxis = tr("patch column");
  return d;
}

}  // namespace attnviz::ui
