// PatchPanel: the vit Patches tab — the input image with an attention overlay over its patch grid. The map is the
// focused query token's row (default [CLS]) of one layer and head, of the mean over the layer's heads, or of
// rollout (fusion mean/max/min and discard ratio, derived from attention.self by the Workspace, rollout_map.h).
// Hover a patch: it becomes the query (Selection row = its token, Selection patch = its index) and the overlay
// shows that patch's own attention; click pins it (click again, or outside the image, to release). A row focused
// elsewhere (the heatmap) is shown here too. Opacity, colour map, patch grid; paints through patch_painter.h.
// "Top patches per head": each head's top patches of the query's row in its own colour (patch_maps.h, the DINO
// figure). Rollout can leave out each patch's own weight and [CLS] (renormalised, said in the title); the colour scale
// is 0..max or the map's own min..max (auto: min..max for rollout and flow), said on the colour bar. What the overlay
// shows (method, query) goes to the VitExtension, so the per-head thumbnails follow it. "Flow from [CLS]": attention flow computed in the background by the Workspace's derived results
// (derived_results.h) with a progress bar and Cancel, kept per trace; flow only has [CLS] as its query. "ALTI rollout",
// "GlobEnc rollout" and "Value norm (heads summed)" are the run's token contribution maps, the query's row.
//
//   auto* panel = new PatchPanel;
//   panel->setWorkspace(&ws);   // shows ws.shownTrace() over QImage(trace.input), follows ws.selection()
#pragma once

#include <QPointer>

#include "ui/document/background_job.h"
#include "ui/panels/panel.h"
#include "ui/kinds/vit/patch_view.h"
#include "ui/maps/rollout_map.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;

namespace attnviz::ui {

class PatchPanel : public Panel {
  Q_OBJECT

 public:
  // AltiRollout, ValueNormSum and GlobEncRollout are token contribution maps (contributions.h): chosen, they turn the
  // method on in the Workspace (the model runs again) and show the trace's attention.alti_rollout / .value_norm_sum /
  // .globenc_rollout row (contributionMapOf).
  enum class MapKind { Head, MeanOverHeads, TopPerHead, Rollout, Flow, AltiRollout, ValueNormSum, GlobEncRollout };
  // Colour scale of the overlay: Auto is MinToMax for rollout and flow (derived maps with a large base), else ZeroToMax.
  enum class Scale { Auto, ZeroToMax, MinToMax };

  explicit PatchPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Patch attention"); }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  FigureFeatures figureFeatures() const override;
  void paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
  QSizeF figureSize() const override;
  std::optional<HeatmapData> shownMatrix() const override;  // the overlay, patch rows x patch columns

  // Only the image and its overlay, filling rect: a figure at imageSize() is the image at its native resolution.
  void paintImageFigure(QPainter& painter, const QRectF& rect) const;
  QSize imageSize() const { return view_->image().size(); }
  QString infoText() const;  // the line under the image: query, pin, what the picture is

  PatchView* view() const { return view_; }
  const PatchOverlay& overlay() const { return view_->overlay(); }
  int queryToken() const { return query_; }
  bool pinned() const;  // the query is the Selection's pinned row (a clicked patch, or a row pinned elsewhere)
  MapKind mapKind() const { return kind_; }
  void setMapKind(MapKind kind);
  void setRollout(attnviz::RolloutFusion fusion, double discard);
  void setOpacity(double opacity);  // 0..1
  void setGridShown(bool shown);
  void setColormap(ColormapId id);
  BackgroundJob* flowJob() const;  // the Workspace's flow job (derived().flowJob()); null when detached
  QProgressBar* flowProgress() const { return flowProgress_; }
  QPushButton* flowCancelButton() const { return flowCancel_; }
  QPushButton* flowComputeButton() const { return flowCompute_; }
  QCheckBox* withoutSelfBox() const { return withoutSelfBox_; }  // rollout: own weight and [CLS] left out
  QComboBox* scaleBox() const { return scaleBox_; }
  bool scaledFromMin() const;  // the overlay's colour scale is its own [min, max]

 private:
  void attach() override;
  void onTraceChanged();
  void onCellChanged(int row, int column);
  void onPatchHovered(int patch);
  void onPatchClicked(int patch);
  void focusPatch(int patch);
  void showFlowProgress(int done, int total);
  void refresh();
  void updateStyle();
  void publishShownMap(bool shown);  // what the overlay shows, for the side views (VitExtension)

  PatchView* view_ = nullptr;
  QComboBox* mapBox_ = nullptr;
  QSpinBox* layerBox_ = nullptr;
  QSpinBox* headBox_ = nullptr;
  QComboBox* fusionBox_ = nullptr;
  QLabel* discardCaption_ = nullptr;
  QDoubleSpinBox* discardBox_ = nullptr;
  QCheckBox* withoutSelfBox_ = nullptr;
  QComboBox* scaleBox_ = nullptr;
  QComboBox* colormapBox_ = nullptr;
  QSlider* opacitySlider_ = nullptr;
  QCheckBox* gridBox_ = nullptr;
  QLabel* info_ = nullptr;
  QLabel* placeholder_ = nullptr;
  QProgressBar* flowProgress_ = nullptr;
  QPushButton* flowCancel_ = nullptr;
  QPushButton* flowCompute_ = nullptr;
  TracePtr flowCanceled_;  // the trace whose flow the user cancelled: not restarted until Compute

  MapKind kind_ = MapKind::Head;
  QString imagePath_;  // of image_
  QImage image_;
  int query_ = 0;       // token whose row is shown
  bool syncing_ = false;
};

}  // namespace attnviz::ui
