#include "ui/export/layout_figure.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QWidget>
#include <algorithm>
#include <cmath>

#include "ui/compare/compare_figure.h"
#include "ui/panels/panel.h"

namespace attnviz::ui {
namespace {

constexpr int kLabelPixelSize = 15;
constexpr double kGap = 3.0;         // white on each side of a cell, so neighbouring panels do not touch
constexpr double kLabelInset = 4.0;  // label from the cell's left edge

QFont labelFont() {
  QFont f;
  f.setPixelSize(kLabelPixelSize);
  f.setBold(true);
  return f;
}

double labelStrip() { return std::ceil(QFontMetricsF(labelFont()).height() + 2); }

}  // namespace

LayoutFigure LayoutFigure::ofPage(const QWidget* page, const std::vector<Panel*>& panels) {
  LayoutFigure f;
  if (!page) return f;
  for (const Panel* p : panels) {
    if (!page->isAncestorOf(p) || p->isHidden() || p->width() <= 1 || p->height() <= 1) continue;
    f.items.push_back({p, QRectF(QPointF(p->mapTo(page, QPoint(0, 0))), QSizeF(p->size()))});
  }
  // Reading order: rows by top edge, then left to right (a splitter's side column comes after the main panel).
  std::stable_sort(f.items.begin(), f.items.end(), [](const Item& a, const Item& b) {
    return std::round(a.rect.top()) != std::round(b.rect.top()) ? a.rect.top() < b.rect.top() : a.rect.left() < b.rect.left();
  });
  if (!f.items.empty()) f.pageSize = QSizeF(page->size());
  return f;
}

QString LayoutFigure::label(int index) const {
  return items.size() > 1 ? CompareFigure::panelLetter(index) : QString();
}

QRectF LayoutFigure::cell(const QRectF& rect, int index) const {
  if (empty() || index < 0 || index >= static_cast<int>(items.size())) return {};
  const double sx = rect.width() / pageSize.width();
  const double sy = rect.height() / pageSize.height();
  const QRectF& r = items[static_cast<std::size_t>(index)].rect;
  return QRectF(rect.left() + r.left() * sx, rect.top() + r.top() * sy, r.width() * sx, r.height() * sy)
      .adjusted(kGap, kGap, -kGap, -kGap);
}

QRectF LayoutFigure::content(const QRectF& rect, int index) const {
  const QRectF c = cell(rect, index);
  if (c.isEmpty() || label(index).isEmpty()) return c;
  return c.adjusted(0, std::min(labelStrip(), c.height() / 2), 0, 0);
}

void LayoutFigure::paint(QPainter& painter, const QRectF& rect) const {
  painter.save();
  painter.fillRect(rect, Qt::white);
  for (int i = 0; i < static_cast<int>(items.size()); ++i) {
    const QRectF c = content(rect, i);
    if (c.isEmpty()) continue;
    painter.save();
    painter.setClipRect(c, Qt::IntersectClip);  // a long document does not run into the panel below
    items[static_cast<std::size_t>(i)].panel->paintFigure(painter, c);
    painter.restore();
    const QString text = label(i);
    if (text.isEmpty()) continue;
    const QRectF box = cell(rect, i);
    painter.setFont(labelFont());
    painter.setPen(Qt::black);
    painter.drawText(QRectF(box.left() + kLabelInset, box.top(), box.width() - kLabelInset, c.top() - box.top()),
                     Qt::AlignLeft | Qt::AlignVCenter, text);
  }
  painter.restore();
}

}  // namespace attnviz::ui
