#include "ui/maps/heatmap_labels.h"

#include <QFontMetricsF>
#include <QObject>
#include <QPainter>
#include <algorithm>
#include <cmath>

namespace attnviz::ui::heatmap_labels {
namespace {

constexpr double kLabelGap = 5.0;         // between a label and the grid
constexpr double kLabelPad = 1.0;         // between neighbouring labels
constexpr double kMaxLabelWidth = 150.0;  // longer tokens are elided
constexpr double kAxisTitleGap = 3.0;     // between the labels and their axis title
const QColor kFocusColour(0xc0, 0x39, 0x2b);

// The band an axis title takes (0 without one).
double axisTitleBand(const QString& axis, const HeatmapStyle& s) {
  if (!s.showLabels || !s.showAxisTitles || axis.isEmpty()) return 0.0;
  return QFontMetricsF(axisTitleFont(s)).height() + kAxisTitleGap;
}

// A thinned label next to the focused (pinned) one would overlap it: it gives way.
bool drawn(int index, int focused, int step) {
  if (index == focused) return true;
  if (index % step != 0) return false;
  return focused < 0 || step == 1 || std::abs(index - focused) >= step;
}

void paintRows(QPainter& p, const HeatmapGeometry& g, const HeatmapData& d, const HeatmapStyle& s, const Span& span) {
  const QFont f = labelFont(s, g.labelPixelSize);
  const QFontMetricsF fm(f);
  for (int r = std::max(0, span.row0 - 1); r < std::min(d.rows, span.row1 + 1); ++r) {
    const bool focused = r == s.highlightRow;
    if (!drawn(r, s.highlightRow, g.rowLabelStep)) continue;
    QFont rf = f;
    rf.setBold(focused);
    p.setFont(rf);
    p.setPen(focused ? kFocusColour : s.foreground);
    const double centre = g.grid.top() + (r + 0.5) * g.cellHeight;
    const QRectF box(g.rowLabels.left(), centre - fm.height(), g.rowLabels.width() - kLabelGap, 2 * fm.height());
    const QString label = r < d.rowLabels.size() ? d.rowLabels[r] : QString::number(r);
    p.drawText(box, Qt::AlignRight | Qt::AlignVCenter, QFontMetricsF(rf).elidedText(label, Qt::ElideRight, box.width()));
  }
}

void paintCols(QPainter& p, const HeatmapGeometry& g, const HeatmapData& d, const HeatmapStyle& s, const Span& span) {
  const QFont f = labelFont(s, g.labelPixelSize);
  const QFontMetricsF fm(f);
  const double length = g.colLabels.height() - kLabelGap;
  for (int c = std::max(0, span.col0 - 1); c < std::min(d.cols, span.col1 + 1); ++c) {
    const bool focused = c == s.highlightCol;
    if (!drawn(c, s.highlightCol, g.colLabelStep)) continue;
    QFont cf = f;
    cf.setBold(focused);
    p.setFont(cf);
    p.setPen(focused ? kFocusColour : s.foreground);
    const QString label = c < d.colLabels.size() ? d.colLabels[c] : QString::number(c);
    // Rotated 90° counter-clockwise, reading upwards, ending just below the grid.
    p.save();
    p.translate(g.grid.left() + (c + 0.5) * g.cellWidth, g.colLabels.top() + kLabelGap);
    p.rotate(-90);
    const QRectF box(-length, -fm.height(), length, 2 * fm.height());
    p.drawText(box, Qt::AlignRight | Qt::AlignVCenter, QFontMetricsF(cf).elidedText(label, Qt::ElideRight, length));
    p.restore();
  }
}

void paintAxisTitles(QPainter& p, const HeatmapGeometry& g, const HeatmapData& d, const HeatmapStyle& s) {
  const QFont f = axisTitleFont(s);
  const QFontMetricsF fm(f);
  p.setFont(f);
  p.setPen(s.foreground);
  if (!g.colAxisTitle.isEmpty()) {
    p.drawText(g.colAxisTitle, Qt::AlignHCenter | Qt::AlignBottom, fm.elidedText(d.colAxis, Qt::ElideRight, g.colAxisTitle.width()));
  }
  if (!g.rowAxisTitle.isEmpty()) {  // reading upwards, along the rows
    p.save();
    p.translate(g.rowAxisTitle.center());
    p.rotate(-90);
    const double length = g.rowAxisTitle.height();
    p.drawText(QRectF(-length / 2, -g.rowAxisTitle.width() / 2, length, g.rowAxisTitle.width()), Qt::AlignHCenter | Qt::AlignTop,
               fm.elidedText(d.rowAxis, Qt::ElideRight, length));
    p.restore();
  }
}

}  // namespace

QFont labelFont(const HeatmapStyle& s, int pixelSize) {
  QFont f;
  if (!s.fontFamily.isEmpty()) f.setFamily(s.fontFamily);
  f.setPixelSize(std::max(1, pixelSize));
  return f;
}

QFont axisTitleFont(const HeatmapStyle& s) {
  QFont f = labelFont(s, std::max(std::min(s.fontPixelSize, kMinReadableLabelPixels), s.fontPixelSize - 1));
  f.setItalic(true);
  return f;
}

double longestLabel(const QStringList& labels, const QFontMetricsF& fm) {
  double w = 0;
  for (const QString& s : labels) w = std::max(w, fm.horizontalAdvance(s));
  return std::min(w, kMaxLabelWidth);
}

double spacing(const HeatmapStyle& s, int pixelSize) { return QFontMetricsF(labelFont(s, pixelSize)).height() + kLabelPad; }

double leftRoom(const HeatmapData& d, const HeatmapStyle& s, int px) {
  if (!s.showLabels) return 0.0;
  return longestLabel(d.rowLabels, QFontMetricsF(labelFont(s, px))) + kLabelGap + axisTitleBand(d.rowAxis, s);
}

double bottomRoom(const HeatmapData& d, const HeatmapStyle& s, int px) {
  if (!s.showLabels) return 0.0;
  return longestLabel(d.colLabels, QFontMetricsF(labelFont(s, px))) + kLabelGap + axisTitleBand(d.colAxis, s);
}

int step(double needed, double cell) {
  const double raw = needed / std::max(cell, 1e-6);
  for (int decade = 1;; decade *= 10) {
    for (int m : {1, 2, 5}) {
      if (m * decade >= raw || decade > 1'000'000) return m * decade;
    }
  }
}

int shownCount(int count, int step) { return count <= 0 ? 0 : (count + step - 1) / std::max(1, step); }

void paint(QPainter& p, const HeatmapGeometry& g, const HeatmapData& d, const HeatmapStyle& s, const Span& span) {
  if (!s.showLabels) return;
  paintRows(p, g, d, s, span);
  paintCols(p, g, d, s, span);
  paintAxisTitles(p, g, d, s);
}

QString thinnedNote(const HeatmapGeometry& g, const HeatmapStyle& s) {
  if (!s.showLabels) return {};
  QStringList parts;
  if (g.rowLabelStep > 1)
    parts << QObject::tr("%1 of %2 row labels").arg(shownCount(g.rows, g.rowLabelStep)).arg(g.rows);
  if (g.colLabelStep > 1)
    parts << QObject::tr("%1 of %2 column labels").arg(shownCount(g.cols, g.colLabelStep)).arg(g.cols);
  if (parts.isEmpty()) return {};
  const double points = g.labelPixelSize * 72.0 / 96.0;
  return QObject::tr("%1 shown: more would overlap even at %2 pt; a larger figure or fewer tokens shows every label")
      .arg(parts.join(QObject::tr(" and ")), QString::number(points, 'f', 1));
}

}  // namespace attnviz::ui::heatmap_labels
