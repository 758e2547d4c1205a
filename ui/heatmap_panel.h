// HeatmapPanel: the generic attention heatmap of the current trace. Picks the map (self with
// layer/head from the Selection, rollout, cross, ...), lets the user choose colour map, scaling and
// numbers in cells, and links hover to the Selection both ways without bouncing.
//
//   auto* panel = new HeatmapPanel;
//   panel->setWorkspace(&ws);   // shows ws.trace(), follows ws.selection()
#pragma once

#include <QPointer>
#include <vector>

#include "ui/heatmap_source.h"
#include "ui/heatmap_view.h"
#include "ui/panel.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;

namespace attnviz::ui {

class HeatmapPanel : public Panel {
  Q_OBJECT

 public:
  explicit HeatmapPanel(QWidget* parent = nullptr);

  void setWorkspace(Workspace* workspace) override;
  QString panelTitle() const override { return tr("Attention heatmap"); }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  QSizeF figureSize() const override;
  std::optional<HeatmapData> shownMatrix() const override;

  HeatmapView* view() const { return view_; }
  QString mapName() const { return mapName_; }
  void setMapName(const QString& name);  // "self", "rollout", "cross", ...
  void setColormap(ColormapId id);
  void setScaling(Scaling scaling);

 private:
  void onTraceChanged();
  void onCellChanged(int row, int column);
  void onLayerHeadChanged(int layer, int head);
  void onHovered(int row, int column);
  void onLayerHeadEdited();
  void onRolloutFusionChanged();
  void rebuildMapChoices();
  void refreshMap();
  void updateStyle();
  const MapInfo* currentMapInfo() const;

  QPointer<Workspace> workspace_;
  HeatmapView* view_ = nullptr;
  QComboBox* mapBox_ = nullptr;
  QSpinBox* layerBox_ = nullptr;
  QSpinBox* headBox_ = nullptr;
  QComboBox* rolloutBox_ = nullptr;  // off, mean, max, min
  QComboBox* colormapBox_ = nullptr;
  QComboBox* scalingBox_ = nullptr;
  QCheckBox* valuesBox_ = nullptr;
  QLabel* placeholder_ = nullptr;

  std::vector<MapInfo> maps_;
  QString mapName_ = QStringLiteral("self");
  bool wantRollout_ = false;  // switch to the rollout map once the first trace with it arrives
  bool syncing_ = false;      // writing controls from the Selection: their signals must not write back
};

}  // namespace attnviz::ui
