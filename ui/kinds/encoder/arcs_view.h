// ArcsView: a scrolling canvas over ArcsPainter, with hover, click-to-pin and a fixed header strip. The layout
// is computed once per data, layout kind, font or width; moving the pointer to another token only recomputes
// that token's arcs (O(tokens x heads)) and repaints — no relayout — so 512-token inputs hover smoothly.
// Knows nothing of Workspace or Trace.
//
//   auto* view = new ArcsView(this);
//   view->setData(data);                  // relayout
//   connect(view, &ArcsView::hovered, this, [](int group) { ... });   // a token under the pointer (pinned or not)
//   view->setFocusGroup(3);               // from elsewhere; emits nothing
#pragma once

#include <QScrollArea>
#include <QWidget>

#include "ui/kinds/encoder/arcs_painter.h"

namespace attnviz::ui {

class ArcsView;

class ArcsCanvas : public QWidget {
  Q_OBJECT

 public:
  explicit ArcsCanvas(ArcsView* view);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  bool event(QEvent* event) override;

 private:
  ArcsView* view_;
};

class ArcsHeader : public QWidget {
  Q_OBJECT

 public:
  explicit ArcsHeader(ArcsView* view, QWidget* parent = nullptr);
  QSize sizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  ArcsView* view_;
};

class ArcsView : public QScrollArea {
  Q_OBJECT

 public:
  explicit ArcsView(QWidget* parent = nullptr);

  void setData(ArcsData data);
  const ArcsData& data() const { return data_; }
  void setStyle(const ArcsStyle& style);  // focus, pin and key highlight are kept as they are
  const ArcsStyle& arcsStyle() const { return style_; }
  void setFocusGroup(int group);          // the token whose arcs are drawn, -1 for none
  void setKeyHighlight(int group);
  void setPinned(bool pinned);
  bool pinned() const { return style_.pinned; }
  const ArcsLayout& layoutNow() const { return layout_; }
  const std::vector<Arc>& shownArcs() const { return arcs_; }
  int layoutCount() const { return layoutCount_; }  // layouts computed so far (hover must not add any)
  ArcsCanvas* canvas() const { return canvas_; }
  ArcsHeader* header() const { return header_; }

  // In canvas coordinates (tests move the pointer there; scroll first with ensureGroupVisible).
  QPointF groupCenter(int group) const;
  void ensureGroupVisible(int group);
  int hitAt(const QPointF& canvasPos) const { return ArcsPainter::hit(layout_, canvasPos); }
  QString toolTipAt(const QPointF& canvasPos) const;

 signals:
  void hovered(int group);
  void pinToggled(int group, bool pinned);  // a click: pin `group` (pinned) or release it; the owner calls setPinned

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  friend class ArcsCanvas;
  void relayout();
  void recomputeArcs();
  void onCanvasHover(const QPointF& pos);
  void onCanvasClick(const QPointF& pos);

  ArcsCanvas* canvas_ = nullptr;
  ArcsHeader* header_ = nullptr;
  ArcsData data_;
  ArcsStyle style_;
  ArcsLayout layout_;
  std::vector<Arc> arcs_;
  int layoutCount_ = 0;
  int lastHover_ = -1;
};

}  // namespace attnviz::ui
