// HeatmapPanel: the generic attention heatmap of the current trace. Picks the map (self with
// layer/head from the Selection, rollout, cross, ...), lets the user choose colour map, scaling and
// numbers in cells, and links hover to the Selection both ways without bouncing; a click pins the row
// (Selection::setPinnedRow), as Arcs and Patches do. Encoders: the rollout
// fusion (mean/max/min) and discard ratio; rollout comes from the Workspace's derived results of the trace
// (derived_results.h, rollout_map.h), so both change the map without rerunning the model. The token contribution
// maps are listed before any run has them: value norm, ALTI and GlobEnc rerun the model keeping what they need;
// value zeroing (one layer pass per token and layer) is computed by the derived results in the background, with a
// progress bar and Cancel under the message. Zoom (Ctrl+wheel over the map, or −/+/fit) enlarges the
// canvas inside a scroll area, for 512 × 512 maps.
//
//   auto* panel = new HeatmapPanel;
//   panel->setWorkspace(&ws);   // shows ws.trace(), follows ws.selection()
#pragma once

#include <QPointer>
#include <vector>

#include "ui/maps/heatmap_source.h"
#include "ui/maps/heatmap_view_panel.h"
#include "ui/maps/rollout_map.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QToolButton;

namespace attnviz::ui {

class HeatmapPanel : public HeatmapViewPanel {
  Q_OBJECT

 public:
  explicit HeatmapPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("Attention heatmap"); }
  bool zoom(ZoomStep step) override;  // as the −, Fit and + buttons

  QDoubleSpinBox* discardBox() const { return discardBox_; }
  QScrollArea* scrollArea() const { return scroll_; }
  int rolloutComputations() const;  // by the Workspace's derived results of the current trace
  QString mapName() const { return mapName_; }
  void setMapName(const QString& name);  // "self", "rollout", "cross", ...
  // 1: the whole map fits the panel; larger: the map is that many times the panel's size and scrolls.
  void setZoom(double zoom);
  double zoom() const { return zoom_; }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void attach() override;
  void onTraceChanged();
  void onCellChanged(int row, int column);
  void onLayerHeadChanged(int layer, int head);
  void onHovered(int row, int column);
  void onClicked(int row, int column);  // pins the row (the pinned one again: releases it)
  void onLayerHeadEdited();
  void onRolloutFusionChanged();
  void onRolloutDiscardChanged(double ratio);
  void zoomBy(double factor, const QPointF& at);  // at: view coordinates; null: the viewport's centre
  void fitViewToZoom();
  void showDiscard(bool shown);
  void rebuildMapChoices();
  void refreshMap();
  // The shown map is a token contribution map the trace lacks: turn its method on in the Workspace (a rerun).
  void requestContributions();
  // The shown map is value zeroing's: the derived results' maps, or `why` they are not shown (computing, cancelled,
  // cannot), starting the job when it has not run for this trace.
  HeatmapData valueZeroingData(const TracePtr& trace, QString& why);
  void showValueZeroingJob();  // the progress row: visible while the job runs for the shown map, or after a cancel
  const MapInfo* currentMapInfo() const;

  QComboBox* mapBox_ = nullptr;
  QSpinBox* layerBox_ = nullptr;
  QSpinBox* headBox_ = nullptr;
  QComboBox* rolloutBox_ = nullptr;  // off, mean, max, min
  QLabel* discardCaption_ = nullptr;
  QDoubleSpinBox* discardBox_ = nullptr;
  QScrollArea* scroll_ = nullptr;
  QToolButton* zoomOut_ = nullptr;
  QToolButton* zoomFit_ = nullptr;
  QToolButton* zoomIn_ = nullptr;
  QLabel* placeholder_ = nullptr;
  QProgressBar* valueZeroingProgress_ = nullptr;
  QPushButton* valueZeroingCancel_ = nullptr;
  QPushButton* valueZeroingCompute_ = nullptr;  // after a cancel: start again
  TracePtr valueZeroingCanceled_;               // the trace whose value zeroing was cancelled: not restarted by itself

  std::vector<MapInfo> maps_;
  QString mapName_ = QStringLiteral("self");
  double zoom_ = 1.0;
  bool wantRollout_ = false;  // switch to the rollout map once the first trace with it arrives
  bool syncing_ = false;      // writing controls from the Selection: their signals must not write back
};

}  // namespace attnviz::ui
