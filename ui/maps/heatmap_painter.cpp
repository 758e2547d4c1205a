#include "ui/maps/heatmap_painter.h"

#include <QFont>
#include <QFontMetricsF>
#include <QImage>
#include <QObject>
#include <QPaintEngine>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/maps/heatmap_cell_text.h"
#include "ui/maps/heatmap_labels.h"

namespace attnviz::ui {
namespace {

constexpr double kMargin = 8.0;
constexpr double kColorBarWidth = 14.0;
constexpr double kColorBarGap = 14.0;       // grid to colour bar
constexpr double kNaturalCell = 28.0;
constexpr double kMaxNaturalSide = 1600.0;
constexpr double kVectorMinCellPx = 4.0;    // images embedded in SVG/PDF get at least this many px a cell
constexpr int kMaxVectorImageSide = 4096;
constexpr double kSeamOverlap = 0.35;       // cells overlap a little so vector viewers show no hairlines
constexpr QRgb kNoCell = 0xfff0f0f0;        // NaN cells: padding of ragged maps (han sentences of unequal length)

QFont labelFont(const HeatmapStyle& style) {
  QFont f;
  if (!style.fontFamily.isEmpty()) f.setFamily(style.fontFamily);
  f.setPixelSize(style.fontPixelSize);
  return f;
}

QFont tickFont(const HeatmapStyle& style) {
  QFont f = labelFont(style);
  f.setPixelSize(std::max(8, style.fontPixelSize - 1));
  return f;
}

// Width right of the grid taken by the colour bar, its tick labels and its label (0 without a bar).
double colorBarTotal(const HeatmapStyle& s) {
  if (!s.showColorBar) return 0.0;
  const double label = s.colorBarLabel.isEmpty() ? 0.0 : QFontMetricsF(tickFont(s)).height() + 4;
  return kColorBarGap + kColorBarWidth + HeatmapPainter::colorBarLabelWidth(s) + label;
}


QFont titleFont(const HeatmapStyle& style) {
  QFont f = labelFont(style);
  f.setBold(true);
  f.setPixelSize(style.fontPixelSize + 1);
  return f;
}

QString tickText(double v) {
  if (v == 0.0) return QStringLiteral("0");
  const double a = std::abs(v);
  if (a >= 1000 || a < 1) return QString::number(v, 'g', 2);  // two significant digits: 0.015, not 0.01
  return QString::number(v, 'f', a >= 10 ? 1 : 2);
}

double normalised(float v, std::pair<float, float> r) {
  if (std::isnan(v)) return std::numeric_limits<double>::quiet_NaN();
  return (static_cast<double>(v) - r.first) / (static_cast<double>(r.second) - r.first);
}

bool isVectorDevice(const QPainter& p) {
  const QPaintEngine* e = p.paintEngine();
  return e && e->type() != QPaintEngine::Raster && e->type() != QPaintEngine::OpenGL2;
}

// Column x edges / row y edges, so neighbouring cells share exact boundaries.
double edgeX(const HeatmapGeometry& g, int col) { return g.grid.left() + col * g.cellWidth; }
double edgeY(const HeatmapGeometry& g, int row) { return g.grid.top() + row * g.cellHeight; }

// The colour range of every row, worked out once per paint (a global range scans the whole map: once, not per row).
class RowRanges {
 public:
  RowRanges(const HeatmapData& d, const HeatmapStyle& s) : perRow_(s.scaling == Scaling::PerRow) {
    if (perRow_) {
      rows_.reserve(static_cast<std::size_t>(d.rows));
      for (int r = 0; r < d.rows; ++r) rows_.push_back(HeatmapPainter::range(d, s, r));
    } else {
      all_ = HeatmapPainter::range(d, s, -1);
    }
  }
  std::pair<float, float> operator[](int row) const { return perRow_ ? rows_[static_cast<std::size_t>(row)] : all_; }

 private:
  bool perRow_;
  std::pair<float, float> all_{0.0f, 1.0f};
  std::vector<std::pair<float, float>> rows_;
};

// Rows [first, last) and columns whose cells meet `visible` (everything when visible is empty).
CellSpan visibleCells(const HeatmapGeometry& g, const QRectF& visible) {
  CellSpan c{0, g.rows, 0, g.cols};
  if (visible.isEmpty() || g.cellWidth <= 0 || g.cellHeight <= 0) return c;
  c.row0 = std::clamp(static_cast<int>(std::floor((visible.top() - g.grid.top()) / g.cellHeight)), 0, g.rows);
  c.row1 = std::clamp(static_cast<int>(std::ceil((visible.bottom() - g.grid.top()) / g.cellHeight)), 0, g.rows);
  c.col0 = std::clamp(static_cast<int>(std::floor((visible.left() - g.grid.left()) / g.cellWidth)), 0, g.cols);
  c.col1 = std::clamp(static_cast<int>(std::ceil((visible.right() - g.grid.left()) / g.cellWidth)), 0, g.cols);
  return c;
}

void paintCellsAsRects(QPainter& p, const HeatmapGeometry& g, const HeatmapData& d, const HeatmapStyle& s,
                       const RowRanges& ranges, const CellSpan& span) {
  const Colormap& cm = Colormap::byId(s.colormap);
  p.setPen(Qt::NoPen);
  for (int r = span.row0; r < span.row1; ++r) {
    const auto range = ranges[r];
    const double y0 = edgeY(g, r);
    const double y1 = edgeY(g, r + 1) + (r + 1 < d.rows ? kSeamOverlap : 0.0);
    for (int c = span.col0; c < span.col1; ++c) {
      const double x1 = edgeX(g, c + 1) + (c + 1 < d.cols ? kSeamOverlap : 0.0);
      const float v = d.at(r, c);
      p.fillRect(QRectF(QPointF(edgeX(g, c), y0), QPointF(x1, y1)),
                 QColor::fromRgb(std::isnan(v) ? kNoCell : cm.rgb(normalised(v, range))));
    }
  }
}

QImage makeCellImage(const HeatmapData& d, const HeatmapStyle& s, const RowRanges& ranges) {
  const Colormap& cm = Colormap::byId(s.colormap);
  QImage img(d.cols, d.rows, QImage::Format_RGB32);
  for (int r = 0; r < d.rows; ++r) {
    const auto range = ranges[r];
    auto* line = reinterpret_cast<QRgb*>(img.scanLine(r));
    for (int c = 0; c < d.cols; ++c) line[c] = std::isnan(d.at(r, c)) ? kNoCell : cm.rgb(normalised(d.at(r, c), range));
  }
  return img;
}

void paintCellsAsImage(QPainter& p, const HeatmapGeometry& g, const HeatmapData& d, const HeatmapStyle& s,
                       const RowRanges& ranges, const QImage* cached) {
  QImage img = cached && cached->width() == d.cols && cached->height() == d.rows ? *cached : makeCellImage(d, s, ranges);
  if (isVectorDevice(p)) {
    // SVG/PDF viewers smooth embedded images; hand them one already enlarged with nearest neighbour.
    const int k = std::max(1, static_cast<int>(std::ceil(kVectorMinCellPx / std::min(g.cellWidth, g.cellHeight))));
    const int w = std::min(d.cols * k, kMaxVectorImageSide);
    const int h = std::min(d.rows * k, kMaxVectorImageSide);
    if (w > d.cols || h > d.rows) img = img.scaled(w, h, Qt::IgnoreAspectRatio, Qt::FastTransformation);
  }
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  p.drawImage(g.grid, img);
}

// The image under a vit patch map, nearest neighbour (crisp pixels); vector formats get it enlarged first, as
// their viewers smooth embedded images.
void paintUnderlay(QPainter& p, const QRectF& rect, const QImage& image) {
  p.setRenderHint(QPainter::SmoothPixmapTransform, false);
  if (isVectorDevice(p) && image.width() > 0 && rect.width() > image.width()) {
    const int k = std::clamp(static_cast<int>(std::ceil(2 * rect.width() / image.width())), 1,
                             std::max(1, kMaxVectorImageSide / std::max(image.width(), image.height())));
    p.drawImage(rect, image.scaled(image.size() * k, Qt::IgnoreAspectRatio, Qt::FastTransformation));
  } else {
    p.drawImage(rect, image);
  }
}

void paintHighlight(QPainter& p, const HeatmapGeometry& g, const HeatmapData& d, const HeatmapStyle& s) {
  const bool row = s.highlightRow >= 0 && s.highlightRow < d.rows;
  const bool col = s.highlightCol >= 0 && s.highlightCol < d.cols;
  if (!row && !col) return;
  p.setBrush(Qt::NoBrush);
  // Dark outer line + light inner line: visible on every colour of every map.
  auto outline = [&](const QRectF& rect, double width) {
    p.setPen(QPen(QColor(0, 0, 0, 200), width + 2.0));
    p.drawRect(rect);
    p.setPen(QPen(QColor(255, 255, 255, 235), width));
    p.drawRect(rect);
  };
  if (row) outline(QRectF(g.grid.left(), edgeY(g, s.highlightRow), g.grid.width(), g.cellHeight), 1.0);
  if (col) outline(QRectF(edgeX(g, s.highlightCol), g.grid.top(), g.cellWidth, g.grid.height()), 1.0);
  if (row && col) outline(HeatmapPainter::cellRect(g, s.highlightRow, s.highlightCol), 2.0);
}

void paintMapColorBar(QPainter& p, const HeatmapGeometry& g, const HeatmapData& d, const HeatmapStyle& s) {
  if (g.colorBar.isEmpty()) return;
  HeatmapPainter::paintColorBar(p, g.colorBar, s, HeatmapPainter::range(d, s, -1));
  if (s.colorBarLabel.isEmpty()) return;
  // Along the bar, reading upwards, right of the tick labels.
  const QFontMetricsF fm(tickFont(s));
  const double x = g.colorBar.right() + HeatmapPainter::colorBarLabelWidth(s) + fm.height() / 2 + 2;
  p.save();
  p.setFont(tickFont(s));
  p.setPen(s.foreground);
  p.translate(x, g.colorBar.center().y());
  p.rotate(-90);
  const double length = g.colorBar.height();
  p.drawText(QRectF(-length / 2, -fm.height() / 2, length, fm.height()), Qt::AlignCenter,
             fm.elidedText(s.colorBarLabel, Qt::ElideRight, length));
  p.restore();
}

bool hasLegend(const HeatmapData& d) {
  for (const HeatmapMark& m : d.marks) {
    if (!d.markNames[static_cast<std::size_t>(m.shape)].isEmpty()) return true;
  }
  return false;
}

void paintLegend(QPainter& p, const HeatmapGeometry& g, const HeatmapData& d, const HeatmapStyle& s) {
  if (g.legend.isEmpty()) return;
  bool present[kMarkShapes] = {false, false, false};
  for (const HeatmapMark& m : d.marks) present[static_cast<int>(m.shape)] = true;
  const QFont f = tickFont(s);
  p.setFont(f);
  const QFontMetricsF fm(f);
  const double box = fm.height() * 1.1;
  double x = g.legend.left();
  // Gold first (squares), then the model's argmax (dots): the order of the legend in papers.
  for (MarkShape shape : {MarkShape::FilledSquare, MarkShape::HollowSquare, MarkShape::Dot}) {
    const QString& name = d.markNames[static_cast<std::size_t>(shape)];
    if (!present[static_cast<int>(shape)] || name.isEmpty()) continue;
    const QRectF swatch(x, g.legend.center().y() - box / 2, box, box);
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(swatch, Colormap::byId(s.colormap).color(0.35));  // a mid-dark cell, as on the map
    HeatmapPainter::paintMark(p, swatch, shape);
    p.restore();
    p.setPen(s.foreground);
    const double w = fm.horizontalAdvance(name);
    p.drawText(QRectF(swatch.right() + 4, g.legend.top(), w + 2, g.legend.height()), Qt::AlignLeft | Qt::AlignVCenter, name);
    x = swatch.right() + 4 + w + 14;
  }
}

}  // namespace

std::pair<float, float> HeatmapPainter::range(const HeatmapData& d, const HeatmapStyle& s, int row) {
  if (s.fixedRange && s.scaling != Scaling::PerRow && s.fixedRange->second > s.fixedRange->first) return *s.fixedRange;
  return range(d, s.scaling, row);
}

std::pair<float, float> HeatmapPainter::range(const HeatmapData& d, Scaling scaling, int row) {
  if (scaling == Scaling::Symmetric) {
    float m = 0.0f;
    for (float v : d.values) {
      if (!std::isnan(v)) m = std::max(m, std::abs(v));
    }
    if (!(m > 0.0f)) m = 1.0f;
    return {-m, m};
  }
  float lo = 0.0f;
  float hi = -std::numeric_limits<float>::infinity();
  const bool perRow = scaling == Scaling::PerRow && row >= 0 && row < d.rows;
  const std::size_t begin = perRow ? static_cast<std::size_t>(row) * d.cols : 0;
  const std::size_t end = perRow ? begin + d.cols : d.values.size();
  for (std::size_t i = begin; i < end; ++i) {
    const float v = d.values[i];
    if (std::isnan(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (!(hi > lo)) hi = lo + 1.0f;  // empty, constant or all-NaN: avoid dividing by zero
  return {lo, hi};
}

double HeatmapPainter::colorBarLabelWidth(const HeatmapStyle& s) {
  return 5 + QFontMetricsF(tickFont(s)).horizontalAdvance(QStringLiteral("row max")) + 2;
}

void HeatmapPainter::paintColorBar(QPainter& p, const QRectF& bar, const HeatmapStyle& s, std::pair<float, float> range) {
  if (bar.isEmpty()) return;
  p.save();
  const Colormap& cm = Colormap::byId(s.colormap);
  constexpr int kSteps = 256;
  QImage img(1, kSteps, QImage::Format_RGB32);
  for (int i = 0; i < kSteps; ++i) img.setPixel(0, i, cm.rgb(1.0 - static_cast<double>(i) / (kSteps - 1)));
  p.setRenderHint(QPainter::SmoothPixmapTransform, true);
  p.drawImage(bar, img);
  p.setPen(QPen(s.foreground, 0.8));
  p.setBrush(Qt::NoBrush);
  p.drawRect(bar);

  const QFont f = tickFont(s);
  p.setFont(f);
  const QFontMetricsF fm(f);
  const double x = bar.right();
  auto tick = [&](double frac, const QString& text) {
    const double y = bar.bottom() - frac * bar.height();
    p.drawLine(QPointF(x, y), QPointF(x + 3, y));
    p.drawText(QRectF(x + 5, y - fm.height(), 200, 2 * fm.height()), Qt::AlignLeft | Qt::AlignVCenter, text);
  };
  if (s.scaling == Scaling::PerRow) {
    tick(0.0, QStringLiteral("0"));
    tick(1.0, QStringLiteral("row max"));
  } else {
    const auto [lo, hi] = range;
    const bool roomForMid = bar.height() > 4 * fm.height();
    tick(0.0, tickText(lo));
    if (roomForMid) tick(0.5, tickText((static_cast<double>(lo) + hi) / 2));
    tick(1.0, tickText(hi));
  }
  p.restore();
}

void HeatmapPainter::paintMark(QPainter& p, const QRectF& cell, MarkShape shape) {
  paintMarkIn(p, markBox(cell, shape, 0.0), shape);
}

namespace {

// The layout with token labels of `labelPx` pixels (heatmap_labels.h), steps not yet set.
HeatmapGeometry layoutWithLabels(const QRectF& rect, const HeatmapData& d, const HeatmapStyle& s, int labelPx) {
  HeatmapGeometry g;
  g.rows = d.rows;
  g.cols = d.cols;
  g.labelPixelSize = labelPx;
  const QFontMetricsF fm(labelFont(s));
  const QRectF inner = rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
  double top = inner.top();
  if (s.showTitle) {
    const double line = QFontMetricsF(titleFont(s)).height();
    const double h = line * (d.subtitle.isEmpty() ? 1 : 2) + 6;
    g.title = QRectF(inner.left(), top, inner.width(), h);
    top += h;
  }
  if (d.empty()) {
    g.grid = QRectF(inner.left(), top, 0, 0);
    return g;
  }
  const double rowLabelW = heatmap_labels::leftRoom(d, s, labelPx);
  const double colLabelH = heatmap_labels::bottomRoom(d, s, labelPx);
  const double barTotal = colorBarTotal(s);
  const double availW = std::max(1.0, inner.width() - rowLabelW - barTotal);
  const double legendH = hasLegend(d) ? fm.height() * 1.1 + 8 : 0.0;
  const double availH = std::max(1.0, inner.bottom() - top - colLabelH - legendH);
  // Square cells: a token attends to a token, neither axis is stretched. A map whose cells carry their own words
  // (han sentences x words) is no such square relation: its cells take the whole width, for the words.
  const double cell = std::max(0.5, std::min(availW / d.cols, availH / d.rows));
  g.cellWidth = d.labelsInCells ? std::max(cell, availW / d.cols) : cell;
  g.cellHeight = cell;
  const double gridW = g.cellWidth * d.cols;
  const double gridH = cell * d.rows;
  const double blockW = rowLabelW + gridW + barTotal;
  const double left = inner.left() + std::max(0.0, (inner.width() - blockW) / 2);
  g.rowLabels = QRectF(left, top, rowLabelW, gridH);
  g.grid = QRectF(left + rowLabelW, top, gridW, gridH);
  g.colLabels = QRectF(g.grid.left(), g.grid.bottom(), gridW, colLabelH);
  if (s.showLabels && s.showAxisTitles) {
    const double band = QFontMetricsF(heatmap_labels::axisTitleFont(s)).height();
    if (!d.rowAxis.isEmpty()) {
      g.rowAxisTitle = QRectF(left, top, band, gridH);
      g.rowLabels.setLeft(left + band);
    }
    if (!d.colAxis.isEmpty()) {
      g.colAxisTitle = QRectF(g.grid.left(), g.colLabels.bottom() - band, gridW, band);
      g.colLabels.setBottom(g.colAxisTitle.top());
    }
  }
  if (s.showColorBar) g.colorBar = QRectF(g.grid.right() + kColorBarGap, g.grid.top(), kColorBarWidth, gridH);
  if (legendH > 0) g.legend = QRectF(left, g.colLabels.bottom() + g.colAxisTitle.height() + 4, inner.right() - left, legendH - 4);
  return g;
}

}  // namespace

HeatmapGeometry HeatmapPainter::layout(const QRectF& rect, const HeatmapData& d, const HeatmapStyle& s) {
  // Labels shrink one pixel at a time down to the style's minimum while neighbours would overlap; then they thin.
  const int largest = std::max(1, s.fontPixelSize);
  const int smallest = s.showLabels && s.minLabelPixelSize > 0 ? std::min(largest, s.minLabelPixelSize) : largest;
  HeatmapGeometry g;
  for (int px = largest;; --px) {
    g = layoutWithLabels(rect, d, s, px);
    if (px <= smallest || d.empty() || g.cellHeight >= heatmap_labels::spacing(s, px)) break;
  }
  // Level of detail: draw every n-th label so neighbours never overlap.
  g.rowLabelStep = heatmap_labels::step(heatmap_labels::spacing(s, g.labelPixelSize), g.cellHeight);
  g.colLabelStep = g.rowLabelStep;
  return g;
}

std::pair<int, int> HeatmapPainter::cellAt(const HeatmapGeometry& g, const QPointF& point) {
  if (g.rows <= 0 || g.cols <= 0 || !g.grid.contains(point)) return {-1, -1};
  const StickyBands b = stickyBands(g);  // cells under pinned labels are hidden: not hovered through them
  for (const QRectF& r : {b.rowLabels, b.colLabels, b.colorBar, b.title})
    if (r.contains(point)) return {-1, -1};
  const int col = std::clamp(static_cast<int>((point.x() - g.grid.left()) / g.cellWidth), 0, g.cols - 1);
  const int row = std::clamp(static_cast<int>((point.y() - g.grid.top()) / g.cellHeight), 0, g.rows - 1);
  return {row, col};
}

QRectF HeatmapPainter::cellRect(const HeatmapGeometry& g, int row, int col) {
  return QRectF(edgeX(g, col), edgeY(g, row), g.cellWidth, g.cellHeight);
}

QSizeF HeatmapPainter::naturalSize(const HeatmapData& d, const HeatmapStyle& s) {
  const QFontMetricsF fm(labelFont(s));
  const double cell = d.empty() ? kNaturalCell
                                : std::max(4.0, std::min(kNaturalCell, kMaxNaturalSide / std::max(d.rows, d.cols)));
  const double titleH = s.showTitle ? QFontMetricsF(titleFont(s)).height() * (d.subtitle.isEmpty() ? 1 : 2) + 6 : 0;
  // Cells that carry their own words are as wide as the longest of them (up to a label's width).
  double cellW = cell;
  if (d.labelsInCells && s.showLabels) cellW = std::max(cell, heatmap_labels::longestLabel(d.cellLabels, fm) + 6);
  const double w = 2 * kMargin + heatmap_labels::leftRoom(d, s, s.fontPixelSize) + cellW * std::max(d.cols, 1) + colorBarTotal(s);
  const double legendH = hasLegend(d) ? fm.height() * 1.1 + 8 : 0.0;
  const double h = 2 * kMargin + titleH + cell * std::max(d.rows, 1) + heatmap_labels::bottomRoom(d, s, s.fontPixelSize) + legendH;
  return {std::ceil(std::max(w, 240.0)), std::ceil(std::max(h, 160.0))};
}

bool HeatmapPainter::cellsAsImage(const HeatmapData& d, const HeatmapStyle& s) {
  return static_cast<std::int64_t>(d.rows) * d.cols > s.fullDetailCells;
}

QString HeatmapPainter::detailNote(const HeatmapData& d, const HeatmapStyle& s) {
  if (d.empty() || !cellsAsImage(d, s)) return {};
  return QObject::tr("%1 cells, drawn as an image (a pixel per cell; raster in SVG and PDF): more than the %2 cells "
                     "drawn at full detail (Run > Limits)")
      .arg(QString::fromStdString(limitText(kFullDetailCellsLimit, static_cast<std::int64_t>(d.rows) * d.cols)),
           QString::fromStdString(limitText(kFullDetailCellsLimit, s.fullDetailCells)));
}

QImage HeatmapPainter::cellImage(const HeatmapData& d, const HeatmapStyle& s) {
  if (d.empty() || static_cast<std::size_t>(d.rows) * d.cols != d.values.size()) return {};
  return makeCellImage(d, s, RowRanges(d, s));
}

void HeatmapPainter::paint(QPainter& p, const QRectF& rect, const HeatmapData& d, const HeatmapStyle& s, const QRectF& visible,
                           const HeatmapPaintCache& cache) {
  p.save();
  p.setRenderHint(QPainter::Antialiasing, false);
  p.setRenderHint(QPainter::TextAntialiasing, true);
  p.fillRect(visible.isEmpty() ? rect : visible.intersected(rect), s.background);
  const HeatmapGeometry g = cache.geometry ? *cache.geometry : layout(rect, d, s);
  auto paintTitle = [&] {
    if (!s.showTitle || d.title.isEmpty()) return;
    p.setFont(titleFont(s));
    p.setPen(s.foreground);
    const QFontMetricsF fm(titleFont(s));
    p.drawText(g.title, Qt::AlignHCenter | Qt::AlignTop, fm.elidedText(d.title, Qt::ElideRight, g.title.width()));
    if (!d.subtitle.isEmpty())
      p.drawText(g.title.adjusted(0, fm.height(), 0, 0), Qt::AlignHCenter | Qt::AlignTop,
                 fm.elidedText(d.subtitle, Qt::ElideRight, g.title.width()));
  };
  if (d.empty() || static_cast<std::size_t>(d.rows) * d.cols != d.values.size()) {
    paintTitle();
    p.setFont(labelFont(s));
    p.setPen(s.foreground);
    p.drawText(rect, Qt::AlignCenter, QStringLiteral("No map to show"));
    p.restore();
    return;
  }
  const RowRanges ranges(d, s);
  const CellSpan span = visibleCells(g, visible);
  if (!d.underlay.isNull()) {
    paintUnderlay(p, g.grid, d.underlay);
    p.setOpacity(std::clamp(s.overlayOpacity, 0.0, 1.0));
  }
  if (!cellsAsImage(d, s)) {
    paintCellsAsRects(p, g, d, s, ranges, span);
  } else {
    paintCellsAsImage(p, g, d, s, ranges, cache.cells);
  }
  p.setOpacity(1.0);
  const CellText text = cellTextLayout(g, d, s);
  const Colormap& cm = Colormap::byId(s.colormap);
  paintCellText(p, g, d, s, text, span, [&](int r, int c) { return cm.rgb(normalised(d.at(r, c), ranges[r])); });
  paintHighlight(p, g, d, s);
  paintCellMarks(p, g, d, text);
  // Labels, colour bar, title and legend last: pinned to a scrolled viewport they lie over the cells, on their bands.
  const StickyBands bands = stickyBands(g);
  auto band = [&](const QRectF& r) {
    if (!r.isEmpty()) p.fillRect(r, s.background);
  };
  // The labels of the rows and columns in view (one more each side: labels overhang) and the axis titles; pinned to a
  // viewport, row and column labels each stay inside their own band (drawn once per band, clipped to it).
  const heatmap_labels::Span labelSpan{span.row0, span.row1, span.col0, span.col1};
  if (s.showLabels && g.viewport.isEmpty()) {
    heatmap_labels::paint(p, g, d, s, labelSpan);
  } else if (s.showLabels) {
    band(bands.rowLabels);
    band(bands.colLabels);
    for (const QRectF& clip : {bands.rowLabels, bands.colLabels.adjusted(bands.rowLabels.width(), 0, -bands.colorBar.width(), 0)}) {
      p.save();
      p.setClipRect(clip);
      heatmap_labels::paint(p, g, d, s, labelSpan);
      p.restore();
    }
  }
  band(bands.colorBar);
  paintMapColorBar(p, g, d, s);
  band(bands.title);
  paintTitle();
  paintLegend(p, g, d, s);
  p.restore();
}

HeatmapPainter::StickyBands HeatmapPainter::stickyBands(const HeatmapGeometry& g) {
  StickyBands b;
  const QRectF& v = g.viewport;
  if (v.isEmpty()) return b;
  const double below = std::min(g.colLabels.top(), g.legend.isEmpty() ? g.colLabels.top() : g.legend.top());
  if (g.rowLabels.width() > 0) b.rowLabels = QRectF(QPointF(v.left(), v.top()), QPointF(g.rowLabels.right(), v.bottom()));
  if (g.colLabels.height() > 0 || !g.legend.isEmpty()) b.colLabels = QRectF(QPointF(v.left(), below), v.bottomRight());
  if (!g.colorBar.isEmpty()) b.colorBar = QRectF(QPointF(g.colorBar.left() - kColorBarGap, v.top()), v.bottomRight());
  if (!g.title.isEmpty()) b.title = QRectF(v.topLeft(), QPointF(v.right(), g.title.bottom()));
  return b;
}

HeatmapGeometry HeatmapPainter::pinToViewport(const HeatmapGeometry& natural, const QRectF& viewport, const HeatmapStyle& s) {
  if (viewport.isEmpty() || natural.rows <= 0 || natural.cols <= 0) return natural;
  // Everything the map draws: from the row labels to the colour bar's label, from the title to the legend.
  const double right = natural.colorBar.isEmpty() ? natural.grid.right() : natural.colorBar.left() - kColorBarGap + colorBarTotal(s);
  const double bottom = natural.legend.isEmpty() ? natural.colLabels.bottom() : natural.legend.bottom();
  const double top = natural.title.isEmpty() ? natural.grid.top() : natural.title.top();
  const double left = natural.rowAxisTitle.isEmpty() ? natural.rowLabels.left() : natural.rowAxisTitle.left();
  const QRectF drawn(QPointF(left, top), QPointF(right, bottom));
  if (viewport.contains(drawn)) return natural;  // all of it in view: nothing to pin
  HeatmapGeometry g = natural;
  g.viewport = viewport;
  if (!g.title.isEmpty()) g.title = QRectF(viewport.left() + kMargin, std::max(g.title.top(), viewport.top()),
                                           viewport.width() - 2 * kMargin, g.title.height());
  // Row labels move only up and down with their rows, column labels only sideways with their columns.
  const double rightShift = std::max(g.rowLabels.left(), viewport.left() + g.rowAxisTitle.width()) - g.rowLabels.left();
  g.rowLabels.translate(rightShift, 0);
  g.rowAxisTitle.translate(rightShift, 0);
  const double up = std::min(0.0, viewport.bottom() - kMargin - bottom);
  g.colLabels.translate(0, up);
  g.colAxisTitle.translate(0, up);
  if (!g.legend.isEmpty()) g.legend = QRectF(g.rowLabels.left(), g.legend.top() + up, viewport.right() - g.rowLabels.left(), g.legend.height());
  if (!g.colorBar.isEmpty()) {
    const double tickHalf = QFontMetricsF(tickFont(s)).height() / 2;  // the end ticks' labels overhang the bar
    const double barTop = std::max(g.colorBar.top(), (g.title.isEmpty() ? viewport.top() + kMargin : g.title.bottom()) + tickHalf);
    const double barBottom = std::min(g.colorBar.bottom(), g.colLabels.top() - tickHalf);
    g.colorBar = QRectF(g.colorBar.left() + std::min(0.0, viewport.right() - kMargin - right), barTop, g.colorBar.width(),
                        std::max(0.0, barBottom - barTop));
  }
  return g;
}

}  // namespace attnviz::ui
