// SaliencyView: a scrolling han document drawn by SaliencyPainter — one or more colourings side by side —
// with hover and tooltips. The layout is computed once per document, style or width change; a paint event
// draws only the sentences in its exposed rectangle, and a hover repaints only the sentences it touches,
// so documents of hundreds of sentences scroll and hover smoothly. Knows nothing of Workspace or Trace.
//
//   auto* view = new SaliencyView(this);
//   view->setDocument(HanDocument::fromTrace(*trace, nullptr));
//   connect(view, &SaliencyView::hovered, this, [](int sentence, int word) { ... });  // -1, -1 on leave
//   view->setHighlight(sentence, word);   // from elsewhere; emits nothing
#pragma once

#include <QScrollArea>
#include <QWidget>

#include "ui/export/figure_style.h"
#include "ui/kinds/han/saliency_painter.h"

namespace attnviz::ui {

class SaliencyView;

// The tall inner widget of a SaliencyView: as wide as the viewport, as high as the laid-out document.
class SaliencyCanvas : public QWidget {
  Q_OBJECT

 public:
  explicit SaliencyCanvas(SaliencyView* view);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  bool event(QEvent* event) override;

 private:
  SaliencyView* view_;
};

// The fixed strip above the document: prediction, column titles and legends, Kendall tau.
class SaliencyHeader : public QWidget {
  Q_OBJECT

 public:
  explicit SaliencyHeader(SaliencyView* view, QWidget* parent = nullptr);
  QSize sizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  SaliencyView* view_;
};

// What a document figure honours of a figure style: font and background; the title comes as a band above (the
// header is the document's own).
inline const FigureFeatures kDocumentFigureFeatures = FigureFeature::Font | FigureFeature::Dark | FigureFeature::Selection;

class SaliencyView : public QScrollArea {
  Q_OBJECT

 public:
  explicit SaliencyView(QWidget* parent = nullptr);

  void setDocument(HanDocument doc);
  const HanDocument& document() const { return doc_; }
  void setStyle(const SaliencyStyle& style);  // highlight fields are kept as they are
  const SaliencyStyle& saliencyStyle() const { return style_; }
  // The whole document as a figure with a figure style (kDocumentFigureFeatures): the saliency and occlusion figures.
  void paintStyled(QPainter& painter, const QRectF& rect, const FigureStyle& figure) const;
  void setHighlight(int sentence, int word);
  const SaliencyLayout& layoutNow() const { return layout_; }
  int layoutCount() const { return layoutCount_; }  // layouts computed so far (hover must not add any)
  SaliencyCanvas* canvas() const { return canvas_; }

  // In canvas coordinates (tests move the pointer there; scroll first with ensureSentenceVisible).
  QPointF wordCenter(int column, int sentence, int word) const;
  QPointF sentenceBarCenter(int column, int sentence) const;
  void ensureSentenceVisible(int sentence);
  // "“word” — sentence 2, word 4 …" for a word, the sentence summary on its bar; empty elsewhere.
  QString toolTipAt(const QPointF& canvasPos) const;
  SaliencyHit hitAt(const QPointF& canvasPos) const { return SaliencyPainter::hit(layout_, style_, canvasPos); }

 signals:
  void hovered(int sentence, int word);
  void appearanceChanged();  // document, style or width: the header repaints

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  friend class SaliencyCanvas;
  void relayout();
  void repaintSentence(int sentence);
  void onCanvasHover(const QPointF& pos);
  void onCanvasLeave();

  SaliencyCanvas* canvas_ = nullptr;
  HanDocument doc_;
  SaliencyStyle style_;
  SaliencyLayout layout_;
  int layoutCount_ = 0;
  int lastSentence_ = -1;
  int lastWord_ = -1;
};

}  // namespace attnviz::ui
