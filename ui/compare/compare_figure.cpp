#include "ui/compare/compare_figure.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <cmath>
#include <limits>

namespace attnviz::ui {
namespace {

constexpr double kMargin = 6.0;
constexpr double kBarWidth = 14.0;
constexpr double kBarGap = 10.0;
constexpr double kMaxPanelSide = 620.0;  // natural size: no panel wider than this

int columnsFor(int panels) {
  if (panels <= 3) return std::max(panels, 1);
  if (panels == 4) return 2;
  return 3;
}

QFont titleFont(const HeatmapStyle& s) {
  QFont f;
  f.setPixelSize(s.fontPixelSize + 2);
  f.setBold(true);
  return f;
}

}  // namespace

QString CompareFigure::panelLetter(int index) {
  QString letters;
  for (int i = index;; i = i / 26 - 1) {
    letters.prepend(QChar(u'a' + i % 26));
    if (i < 26) break;
  }
  return QStringLiteral("(%1)").arg(letters);
}

std::pair<float, float> CompareFigure::sharedRange(const std::vector<HeatmapData>& maps) {
  float lo = 0.0f;
  float hi = -std::numeric_limits<float>::infinity();
  for (const HeatmapData& m : maps) {
    for (float v : m.values) {
      if (std::isnan(v)) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  if (!(hi > lo)) hi = lo + 1.0f;
  return {lo, hi};
}

std::pair<float, float> CompareFigure::ownRange(const HeatmapData& map) {
  float lo = std::numeric_limits<float>::infinity();
  float hi = -std::numeric_limits<float>::infinity();
  for (float v : map.values) {
    if (std::isnan(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (!(lo <= hi)) lo = hi = 0.0f;
  if (!(hi > lo)) hi = lo + 1.0f;
  return {lo, hi};
}

const HeatmapData& CompareFigurePainter::panelData(const CompareFigure& f, int panel) {
  return panel < static_cast<int>(f.maps.size()) ? f.maps[static_cast<std::size_t>(panel)] : *f.difference;
}

HeatmapStyle CompareFigurePainter::panelStyle(const CompareFigure& f, int panel) {
  if (panel < static_cast<int>(f.maps.size())) {
    HeatmapStyle s = f.style;
    s.showColorBar = !f.sharedScale;  // one shared bar for all maps, or each its own
    if (!f.sharedScale) s.fixedRange = CompareFigure::ownRange(f.maps[static_cast<std::size_t>(panel)]);
    s.showTitle = true;
    return s;
  }
  HeatmapStyle s = f.differenceStyle;
  s.highlightRow = f.style.highlightRow;
  s.highlightCol = f.style.highlightCol;
  s.showTitle = true;
  s.showColorBar = true;
  return s;
}

CompareGeometry CompareFigurePainter::layout(const QRectF& rect, const CompareFigure& f) {
  CompareGeometry g;
  const QRectF inner = rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
  double top = inner.top();
  if (!f.title.isEmpty()) {
    const double h = QFontMetricsF(titleFont(f.style)).height() + 6;
    g.title = QRectF(inner.left(), top, inner.width(), h);
    top += h;
  }
  const int n = f.panels();
  if (n == 0) return g;
  const double barW = f.maps.empty() || !f.sharedScale ? 0.0 : kBarGap + kBarWidth + HeatmapPainter::colorBarLabelWidth(f.style);
  // The difference (always the last panel) draws its own colour bar: it gets that much more width, so
  // its cells come out as large as the others'.
  const double diffBarW = f.difference ? kBarGap + kBarWidth + HeatmapPainter::colorBarLabelWidth(f.differenceStyle) : 0.0;
  const double gridW = std::max(1.0, inner.width() - barW - diffBarW);
  const double gridH = std::max(1.0, inner.bottom() - top);
  // As many columns as give the largest cells in this rectangle (a wide window: one row of maps).
  double bestCell = -1.0;
  for (int c = 1; c <= n; ++c) {
    const int r = (n + c - 1) / c;
    const HeatmapGeometry probe = HeatmapPainter::layout(QRectF(0, 0, gridW / c, gridH / r), panelData(f, 0), panelStyle(f, 0));
    if (probe.cellWidth > bestCell * 1.02) {  // fewer columns unless more are clearly better
      bestCell = probe.cellWidth;
      g.columns = c;
    }
  }
  const int rows = (n + g.columns - 1) / g.columns;
  const double w = gridW / g.columns;
  const double h = gridH / rows;
  for (int i = 0; i < n; ++i) {
    const bool diff = f.difference && i == n - 1;
    g.panels.emplace_back(inner.left() + (i % g.columns) * w, top + (i / g.columns) * h, w + (diff ? diffBarW : 0.0), h);
  }
  // The shared bar goes right of everything, the difference's own bar included.
  double right = inner.left() + g.columns * w;
  for (const QRectF& r : g.panels) right = std::max(right, r.right());
  if (!f.maps.empty() && f.sharedScale) {
    // The shared bar spans the grid cells of the first map, so it lines up with the cells it explains.
    const HeatmapGeometry first = HeatmapPainter::layout(g.panels.front(), f.maps.front(), panelStyle(f, 0));
    const double barTop = first.grid.isEmpty() ? top : first.grid.top();
    const double barH = first.grid.isEmpty() ? h / 2 : first.grid.height();
    g.colorBar = QRectF(right + kBarGap, barTop, kBarWidth, barH);
  }
  return g;
}

void CompareFigurePainter::paint(QPainter& p, const QRectF& rect, const CompareFigure& f) {
  p.save();
  p.fillRect(rect, f.style.background);
  const CompareGeometry g = layout(rect, f);
  if (!f.title.isEmpty()) {
    p.setFont(titleFont(f.style));
    p.setPen(f.style.foreground);
    p.drawText(g.title, Qt::AlignHCenter | Qt::AlignTop,
               QFontMetricsF(titleFont(f.style)).elidedText(f.title, Qt::ElideRight, g.title.width()));
  }
  for (int i = 0; i < static_cast<int>(g.panels.size()); ++i) {
    HeatmapPainter::paint(p, g.panels[static_cast<std::size_t>(i)], panelData(f, i), panelStyle(f, i));
  }
  if (!f.maps.empty() && f.sharedScale) {
    HeatmapStyle bar = f.style;
    HeatmapPainter::paintColorBar(p, g.colorBar, bar, HeatmapPainter::range(f.maps.front(), f.style, -1));
  }
  p.restore();
}

CompareHit CompareFigurePainter::hit(const CompareGeometry& g, const CompareFigure& f, const QPointF& point) {
  for (int i = 0; i < static_cast<int>(g.panels.size()); ++i) {
    if (!g.panels[static_cast<std::size_t>(i)].contains(point)) continue;
    const HeatmapGeometry hg = HeatmapPainter::layout(g.panels[static_cast<std::size_t>(i)], panelData(f, i), panelStyle(f, i));
    const auto [row, col] = HeatmapPainter::cellAt(hg, point);
    return {i, row, col};
  }
  return {};
}

QPointF CompareFigurePainter::cellCenter(const CompareGeometry& g, const CompareFigure& f, int panel, int row, int col) {
  if (panel < 0 || panel >= static_cast<int>(g.panels.size())) return {};
  const HeatmapGeometry hg = HeatmapPainter::layout(g.panels[static_cast<std::size_t>(panel)], panelData(f, panel), panelStyle(f, panel));
  return HeatmapPainter::cellRect(hg, row, col).center();
}

QSizeF CompareFigurePainter::naturalSize(const CompareFigure& f) {
  const int n = f.panels();
  if (n == 0) return {480, 320};
  const int columns = columnsFor(n);
  const int rows = (n + columns - 1) / columns;
  QSizeF panel(0, 0);
  for (int i = 0; i < n; ++i) {
    const QSizeF s = HeatmapPainter::naturalSize(panelData(f, i), panelStyle(f, i));
    panel = panel.expandedTo(QSizeF(std::min(s.width(), kMaxPanelSide), std::min(s.height(), kMaxPanelSide)));
  }
  const double titleH = f.title.isEmpty() ? 0 : QFontMetricsF(titleFont(f.style)).height() + 6;
  const double barW = f.sharedScale ? kBarGap + kBarWidth + HeatmapPainter::colorBarLabelWidth(f.style) : 0.0;
  return {std::ceil(2 * kMargin + columns * panel.width() + barW), std::ceil(2 * kMargin + titleH + rows * panel.height())};
}

}  // namespace attnviz::ui
