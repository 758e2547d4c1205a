#include "ui/maps/heatmap_view_panel.h"

#include "ui/document/workspace.h"
#include "ui/export/figure_style.h"
#include "ui/maps/heatmap_style_bar.h"

namespace attnviz::ui {

HeatmapViewPanel::HeatmapViewPanel(const QString& viewName, QWidget* parent) : Panel(parent) {
  view_ = new HeatmapView(this);
  view_->setObjectName(viewName);
}

HeatmapStyleBar* HeatmapViewPanel::makeStyleBar(const QString& scalingTip) {
  styleBar_ = new HeatmapStyleBar(scalingTip, this);
  connect(styleBar_, &HeatmapStyleBar::changed, this, &HeatmapViewPanel::updateStyle);
  return styleBar_;
}

void HeatmapViewPanel::updateStyle() {
  HeatmapStyle style = styleBar_ ? styleBar_->applyTo(view_->heatmapStyle()) : view_->heatmapStyle();
  style.fullDetailCells = workspace_ ? workspace_->limits().fullDetailCells : kFullDetailCellsLimit.defaultValue;
  view_->setStyle(style);
}

void HeatmapViewPanel::setColormap(ColormapId id) {
  if (styleBar_) styleBar_->setColormap(id);
}

void HeatmapViewPanel::paintFigure(QPainter& painter, const QRectF& rect) const {
  HeatmapPainter::paint(painter, rect, view_->data(), view_->heatmapStyle());
}

FigureFeatures HeatmapViewPanel::figureFeatures() const { return kHeatmapFigureFeatures; }

HeatmapData HeatmapViewPanel::figureData() const {
  HeatmapData d = view_->data();
  const auto model = workspace_ ? workspace_->currentModel() : nullptr;
  const QString name = model ? QString::fromStdString(model->info().identity.name) : QString();
  if (!name.isEmpty() && !d.title.startsWith(name)) d.title = d.title.isEmpty() ? name : name + QStringLiteral(" · ") + d.title;
  return d;
}

void HeatmapViewPanel::paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const {
  paintStyledHeatmap(painter, rect, figureData(), view_->heatmapStyle(), style);
}

QString HeatmapViewPanel::figureNote(const QSizeF& size, const FigureStyle& style) const {
  return styledHeatmapNote(size, figureData(), view_->heatmapStyle(), style);
}

QSizeF HeatmapViewPanel::figureSize() const {
  if (view_->isVisible() && view_->width() > 0 && view_->height() > 0) return QSizeF(view_->size());
  return HeatmapPainter::naturalSize(view_->data(), view_->heatmapStyle());
}

QSizeF HeatmapViewPanel::tightFigureSize() const { return HeatmapPainter::naturalSize(view_->data(), view_->heatmapStyle()); }

std::optional<HeatmapData> HeatmapViewPanel::shownMatrix() const {
  if (view_->data().empty()) return std::nullopt;
  return view_->data();
}

}  // namespace attnviz::ui
