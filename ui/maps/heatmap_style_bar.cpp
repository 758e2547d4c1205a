#include "ui/maps/heatmap_style_bar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>

#include "ui/maps/colormap.h"
#include "ui/panels/panel_controls.h"

namespace attnviz::ui {
namespace {

// The spacing of the panels' control rows the bar sits in (rows nested in a layout of spacing 2), so the bar's three
// controls stand as they did when they were widgets of that row.
constexpr int kSpacingPx = 2;

}  // namespace

HeatmapStyleBar::HeatmapStyleBar(const QString& scalingTip, QWidget* parent) : QWidget(parent) {
  colormapBox_ = new QComboBox(this);
  rememberControl(colormapBox_, "colormap");
  colormapBox_->setToolTip(tr("Colour map (all perceptually uniform)"));
  for (ColormapId id : Colormap::all()) colormapBox_->addItem(Colormap::byId(id).name(), static_cast<int>(id));
  scalingBox_ = new QComboBox(this);
  rememberControl(scalingBox_, "scaling");
  scalingBox_->addItem(tr("Global scale"), static_cast<int>(Scaling::Global));
  scalingBox_->addItem(tr("Per-row scale"), static_cast<int>(Scaling::PerRow));
  scalingBox_->setToolTip(scalingTip);
  valuesBox_ = new QCheckBox(tr("Values"), this);
  rememberControl(valuesBox_, "values");
  valuesBox_->setChecked(true);
  valuesBox_->setToolTip(tr("Print the weights inside the cells where they fit"));

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(kSpacingPx);
  layout->addWidget(colormapBox_);
  layout->addWidget(scalingBox_);
  layout->addWidget(valuesBox_);

  connect(colormapBox_, &QComboBox::currentIndexChanged, this, &HeatmapStyleBar::changed);
  connect(scalingBox_, &QComboBox::currentIndexChanged, this, &HeatmapStyleBar::changed);
  connect(valuesBox_, &QCheckBox::toggled, this, &HeatmapStyleBar::changed);
}

HeatmapStyle HeatmapStyleBar::applyTo(HeatmapStyle style) const {
  style.colormap = static_cast<ColormapId>(colormapBox_->currentData().toInt());
  style.scaling = static_cast<Scaling>(scalingBox_->currentData().toInt());
  style.showValues = valuesBox_->isChecked();
  return style;
}

void HeatmapStyleBar::setColormap(ColormapId id) { colormapBox_->setCurrentIndex(colormapBox_->findData(static_cast<int>(id))); }

}  // namespace attnviz::ui
