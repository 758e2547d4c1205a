// HeatmapStyleBar: the row of heatmap style controls every heatmap panel shows (colour map, global or per-row
// scaling, values in cells), remembered by the session under "colormap", "scaling" and "values"
// (panel_controls.h). It writes no view itself: the panel applies it to its HeatmapView's style on changed().
//
//   bar_ = new HeatmapStyleBar(tr("Global: one colour scale. Per row: each row scaled to its own maximum"), this);
//   connect(bar_, &HeatmapStyleBar::changed, this, [this] { view_->setStyle(bar_->applyTo(view_->heatmapStyle())); });
#pragma once

#include <QWidget>

#include "ui/maps/heatmap_painter.h"

class QCheckBox;
class QComboBox;

namespace attnviz::ui {

class HeatmapStyleBar : public QWidget {
  Q_OBJECT

 public:
  // scalingTip: what global and per-row scaling mean on this panel's map.
  HeatmapStyleBar(const QString& scalingTip, QWidget* parent);

  // style with the bar's colour map, scaling and values setting; every other field as it was.
  HeatmapStyle applyTo(HeatmapStyle style) const;
  void setColormap(ColormapId id);

 signals:
  void changed();

 private:
  QComboBox* colormapBox_ = nullptr;
  QComboBox* scalingBox_ = nullptr;
  QCheckBox* valuesBox_ = nullptr;
};

}  // namespace attnviz::ui
