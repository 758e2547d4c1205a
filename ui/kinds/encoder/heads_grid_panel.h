// HeadsGridPanel (encoder): every layer x head as a small heatmap thumbnail (HeadsGridPainter), to spot at a
// glance heads that look at the previous/next token, at [SEP], or broadly. Clicking one focuses it everywhere
// (Selection::setLayerHead); the Selection's head is outlined; the model's coreference head
// (ModelInfo::coreferenceHead, config.json "coreference_head") is marked. Thumbnails are made once per trace, from
// the trace's own attention (no copy), and only once the panel is on screen or asked for its figure: a hidden
// All heads tab makes none (WhenShown), however many traces pass while it is hidden.
//
//   auto* panel = new HeadsGridPanel;  panel->setWorkspace(&ws);
//   QPointF p = panel->thumbnailCenter(1, 0);     // canvas coordinates, for tests
#pragma once

#include <QPointer>
#include <QWidget>

#include "ui/maps/heads_grid_canvas.h"
#include "ui/document/model_ptr.h"
#include "ui/panels/panel.h"
#include "ui/panels/when_shown.h"

class QLabel;

namespace attnviz::ui {

class HeadsGridPanel : public Panel, public HeadsGridSource {
  Q_OBJECT

 public:
  explicit HeadsGridPanel(QWidget* parent = nullptr);

  QString panelTitle() const override { return tr("All heads"); }
  void paintFigure(QPainter& painter, const QRectF& rect) const override;
  FigureFeatures figureFeatures() const override;
  void paintStyledFigure(QPainter& painter, const QRectF& rect, const FigureStyle& style) const override;
  QSizeF figureSize() const override;

  const HeadsGridData& data() const {  // brought up to date first (the thumbnails wait while the panel is hidden)
    refresh_.flush();
    return data_;
  }
  HeadsGridCanvas* canvas() const { return canvas_; }
  int thumbnailBuilds() const { return builds_; }  // thumbnails are made once per trace
  QPointF thumbnailCenter(int layer, int head) const;
  QString toolTipAt(const QPointF& canvasPos) const override;
  void clickAt(const QPointF& canvasPos) override;
  // Scales the thumbnails to the canvas's cell size once per size (the canvas calls it before painting).
  void prepareScaled(const QRectF& canvasRect) override;
  const HeadsGridData& gridData() const override { return data(); }
  const HeadsGridData& gridDataAsIs() const override { return data_; }

 private:
  void attach() override;
  void onTraceChanged();  // asks for refreshNow(): now when on screen, else when shown or asked (refresh_)
  void refreshNow();      // thumbnails and entropies when the trace changed, the marks, the placeholder
  void onLayerHeadChanged(int layer, int head);

  HeadsGridCanvas* canvas_ = nullptr;
  QLabel* placeholder_ = nullptr;
  HeadsGridData data_;
  std::vector<double> entropies_;  // [layers * heads], bits
  TracePtr thumbnailsOf_;  // the trace the thumbnails were made from
  int builds_ = 0;
  WhenShown refresh_{this, [this] { refreshNow(); }};
};

}  // namespace attnviz::ui
