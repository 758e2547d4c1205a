// HeatmapViewPanel: what the panels built around one HeatmapView share (the attention heatmap, the seq2seq
// alignment): the view, its style bar (colour map, scaling, values) applied with the workspace's detail limit,
// and the figure, which is the view's map painted with the view's style (STYLE.md 15), honouring every
// FigureStyle feature, and exported as CSV as it is shown.
//
//   class AlignmentPanel : public HeatmapViewPanel {
//     AlignmentPanel() : HeatmapViewPanel(QStringLiteral("alignmentView")) {
//       controls->addWidget(makeStyleBar(tr("Global: ... Per row: ...")));   // where the style controls go
//     }
//     void attach() override { ...; updateStyle(); }   // the workspace's limits apply to the view
//   };
#pragma once

#include "ui/maps/heatmap_view.h"
#include "ui/panels/panel.h"

namespace attnviz::ui {

class HeatmapStyleBar;

class HeatmapViewPanel : public Panel {
  Q_OBJECT

 public:
  void paintFigure(QPainter& painter, const QRectF& rect) const final;
  FigureFeatures figureFeatures() const final;
  // Styled, the title names the model too (the map's title names the method, layer and head).
  void paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const final;
  QString figureNote(const QSizeF& size, const FigureStyle& style) const final;
  // The view's size while it is shown (zoomed: the whole zoomed map), else the map's natural size.
  QSizeF figureSize() const final;
  QSizeF tightFigureSize() const final;  // the map's natural size: square cells, labels, colour bar
  std::optional<HeatmapData> shownMatrix() const final;

  HeatmapView* view() const { return view_; }
  void setColormap(ColormapId id);

 protected:
  // viewName: the view's object name (tests find it by it).
  HeatmapViewPanel(const QString& viewName, QWidget* parent);

  // The style bar, made once where the panel lays out its controls; scalingTip: what scaling means on this map.
  HeatmapStyleBar* makeStyleBar(const QString& scalingTip);
  // The style bar's choices and the workspace's detail limit onto the view (on every change of either).
  void updateStyle();

  HeatmapView* view_ = nullptr;

 private:
  HeatmapData figureData() const;  // the view's map titled with the model's name

  HeatmapStyleBar* styleBar_ = nullptr;
};

}  // namespace attnviz::ui
