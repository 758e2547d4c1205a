#include "ui/export/layout_figure.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QWidget>
#include <algorithm>
#include <cmath>
#include <map>

#include "ui/compare/compare_figure.h"
#include "ui/panels/panel.h"

namespace attnviz::ui {
namespace {

constexpr int kLabelPixelSize = 15;
constexpr double kGap = 3.0;         // white on each side of a cell, so neighbouring panels do not touch
constexpr double kLabelInset = 4.0;  // label from the cell's left edge
constexpr double kColumnSnap = 4.0;  // panels whose left edges are this close on screen share a column
constexpr double kMinAspect = 0.15;  // height / width a panel's figure may take in the layout
constexpr double kMaxAspect = 4.0;

QFont labelFont(const FigureStyle* style = nullptr) {
  QFont f;
  if (style) f.setFamily(style->resolvedFamily());
  f.setPixelSize(kLabelPixelSize);  // the strip above each panel is sized for it
  f.setBold(true);
  return f;
}

double labelStrip() { return std::ceil(QFontMetricsF(labelFont()).height() + 2); }

QSizeF tightSize(const Panel& p) {
  const QSizeF s = p.tightFigureSize();
  return s.width() > 0 && s.height() > 0 ? s : QSizeF(p.size());
}

double aspectOf(const Panel& p) {
  const QSizeF s = tightSize(p);
  return std::clamp(s.height() / std::max(1.0, s.width()), kMinAspect, kMaxAspect);
}

}  // namespace

LayoutFigure LayoutFigure::ofPage(const QWidget* page, const std::vector<Panel*>& panels) {
  LayoutFigure f;
  if (!page) return f;
  struct OnScreen {
    const Panel* panel;
    QRectF rect;
  };
  std::vector<OnScreen> shown;
  for (const Panel* p : panels) {
    if (!page->isAncestorOf(p) || p->isHidden() || p->width() <= 1 || p->height() <= 1) continue;
    shown.push_back({p, QRectF(QPointF(p->mapTo(page, QPoint(0, 0))), QSizeF(p->size()))});
  }
  if (shown.empty()) return f;
  // Columns as the splitters make them: by left edge, then top to bottom in each (a side column after the main panel).
  std::stable_sort(shown.begin(), shown.end(), [](const OnScreen& a, const OnScreen& b) {
    return std::abs(a.rect.left() - b.rect.left()) > kColumnSnap ? a.rect.left() < b.rect.left() : a.rect.top() < b.rect.top();
  });
  std::vector<std::vector<const Panel*>> columns;
  double columnLeft = -1e9;
  for (const OnScreen& s : shown) {
    if (columns.empty() || std::abs(s.rect.left() - columnLeft) > kColumnSnap) {
      columns.emplace_back();
      columnLeft = s.rect.left();
    }
    columns.back().push_back(s.panel);
  }
  // Column c holds its panels at their figures' aspects a_i, so at content width u_c its height is u_c * A_c + K_c
  // (A_c = sum a_i, K_c the label strips and gaps). The columns end level at a height H: u_c = (H - K_c) / A_c. H is
  // the least at which every panel gets at least its own figure's width (so its text, drawn at its own size, fits).
  const double strip = shown.size() > 1 ? labelStrip() : 0.0;
  double height = 0;
  std::vector<double> aspectSums;
  for (const auto& column : columns) {
    double a = 0;
    for (const Panel* p : column) a += aspectOf(*p);
    const double k = static_cast<double>(column.size()) * (strip + 2 * kGap);
    for (const Panel* p : column) height = std::max(height, k + a * tightSize(*p).width());
    aspectSums.push_back(a);
  }
  double x = 0;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const double k = static_cast<double>(columns[c].size()) * (strip + 2 * kGap);
    const double w = (height - k) / aspectSums[c] + 2 * kGap;
    double y = 0;
    for (const Panel* p : columns[c]) {
      const double h = (w - 2 * kGap) * aspectOf(*p) + strip + 2 * kGap;
      f.items.push_back({p, QRectF(x, y, w, h)});
      y += h;
    }
    x += w;
  }
  f.pageSize = QSizeF(std::ceil(x), std::ceil(height));
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

void LayoutFigure::paint(QPainter& painter, const QRectF& rect, const FigureStyle* style) const {
  painter.save();
  painter.fillRect(rect, style ? style->background() : QColor(Qt::white));
  FigureStyle each = style ? *style : FigureStyle{};
  each.title.clear();  // the whole figure's title, not every panel's
  for (int i = 0; i < static_cast<int>(items.size()); ++i) {
    const QRectF c = content(rect, i);
    if (c.isEmpty()) continue;
    painter.save();
    painter.setClipRect(c, Qt::IntersectClip);  // a long document does not run into the panel below
    const Panel& panel = *items[static_cast<std::size_t>(i)].panel;
    if (style) panel.paintStyledFigure(painter, c, each);
    else panel.paintFigure(painter, c);
    painter.restore();
    const QString text = label(i);
    if (text.isEmpty()) continue;
    const QRectF box = cell(rect, i);
    painter.setFont(labelFont(style));
    painter.setPen(style ? style->foreground() : QColor(Qt::black));
    painter.drawText(QRectF(box.left() + kLabelInset, box.top(), box.width() - kLabelInset, c.top() - box.top()),
                     Qt::AlignLeft | Qt::AlignVCenter, text);
  }
  painter.restore();
}

QString LayoutFigure::note(const QSizeF& size, const FigureStyle& style) const {
  QStringList notes;
  const QRectF whole(QPointF(), size);
  for (int i = 0; i < static_cast<int>(items.size()); ++i) {
    const QString n = items[static_cast<std::size_t>(i)].panel->figureNote(content(whole, i).size(), style);
    if (!n.isEmpty()) notes << (label(i).isEmpty() ? n : label(i) + QLatin1Char(' ') + n);
  }
  return notes.join(QLatin1Char('\n'));
}

}  // namespace attnviz::ui
