#include "ui/compare/compare_view.h"

#include <cmath>

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include "ui/panels/palette_follow.h"
#include "ui/panels/tool_tip_event.h"

namespace attnviz::ui {

CompareView::CompareView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setAttribute(Qt::WA_OpaquePaintEvent);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  followPalette(this, [this](const QColor& base, const QColor& text) {
    base_ = base;
    text_ = text;
    setFigure(std::move(figure_));
  });
}

void CompareView::setFigure(CompareFigure figure) {
  const int row = figure_.style.highlightRow;
  const int col = figure_.style.highlightCol;
  figure_ = std::move(figure);
  figure_.style.highlightRow = row;
  figure_.style.highlightCol = col;
  for (HeatmapStyle* s : {&figure_.style, &figure_.differenceStyle}) {  // the screen's colours
    s->background = base_;
    s->foreground = text_;
  }
  update();
}

void CompareView::setHighlight(int row, int col) {
  if (row == figure_.style.highlightRow && col == figure_.style.highlightCol) return;
  figure_.style.highlightRow = row;
  figure_.style.highlightCol = col;
  update();
}

QPointF CompareView::cellCenter(int panel, int row, int col) const {
  return CompareFigurePainter::cellCenter(geometryNow(), figure_, panel, row, col);
}

QString CompareView::toolTipAt(const QPointF& pos) const {
  const CompareHit h = CompareFigurePainter::hit(geometryNow(), figure_, pos);
  if (h.row < 0) return {};
  const HeatmapData& d = CompareFigurePainter::panelData(figure_, h.panel);
  if (!d.valid(h.row, h.col) || std::isnan(d.at(h.row, h.col))) return {};  // NaN: past a han sentence's end
  const QString r = h.row < d.rowLabels.size() ? d.rowLabels[h.row] : QString::number(h.row);
  const QString c = d.colLabelAt(h.row, h.col);
  return QStringLiteral("%1\n%2 → %3\n%4 %5").arg(d.title, r, c,
                                                 h.panel < static_cast<int>(figure_.maps.size()) ? tr("weight") : tr("difference"),
                                                 QString::number(d.at(h.row, h.col), 'f', 4));
}

void CompareView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  CompareFigurePainter::paint(p, QRectF(rect()), figure_);
}

void CompareView::mouseMoveEvent(QMouseEvent* event) {
  CompareHit h = CompareFigurePainter::hit(geometryNow(), figure_, event->position());
  if (h.row < 0) h = {};
  if (h.panel == last_.panel && h.row == last_.row && h.col == last_.col) return;
  last_ = h;
  emit hovered(h.panel, h.row, h.col);
  if (h.row >= 0 && QToolTip::isVisible()) QToolTip::showText(event->globalPosition().toPoint(), toolTipAt(event->position()), this);
}

void CompareView::leaveEvent(QEvent*) {
  if (last_.panel == -1 && last_.row == -1) return;
  last_ = {};
  emit hovered(-1, -1, -1);
}

bool CompareView::event(QEvent* event) {
  if (handleToolTipEvent(this, event, [this](const QPoint& p) { return toolTipAt(p); })) return true;
  return QWidget::event(event);
}

}  // namespace attnviz::ui
