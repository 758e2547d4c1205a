#include "ui/maps/heatmap_cell_text.h"

#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/maps/colormap.h"
#include "ui/maps/heatmap_painter.h"

namespace attnviz::ui {
namespace {

constexpr double kMinCornerMark = 5.0;    // px: a corner mark smaller than this is not legible
constexpr double kCornerMarkShare = 0.3;  // of the cell's shorter side, at most
constexpr double kMarkInset = 1.0;        // corner mark to the cell's edge
constexpr double kTextPad = 2.0;          // text to the cell's edge
constexpr int kMinWordPx = 7;             // words shrink to fit a cell down to this size, then are elided
constexpr int kUnderlaySamples = 3;       // per side of a cell, to average the image under it
// Centred marks, as a share of the cell's shorter side: a square of 0.46, a dot of 0.26 across.
constexpr double kCentredSquare = 0.46;
constexpr double kCentredDot = 0.26;

QFont cellFont(const HeatmapStyle& s, int pixelSize) {
  QFont f;
  if (!s.fontFamily.isEmpty()) f.setFamily(s.fontFamily);
  f.setPixelSize(pixelSize);
  return f;
}

// The mean colour of the underlay image where it lies under cell (r, c) of the grid (a few samples).
QRgb underlayUnder(const QImage& image, const HeatmapGeometry& g, int r, int c) {
  int red = 0, green = 0, blue = 0, n = 0;
  for (int i = 0; i < kUnderlaySamples; ++i) {
    for (int j = 0; j < kUnderlaySamples; ++j) {
      const int x = static_cast<int>((c + (j + 0.5) / kUnderlaySamples) / g.cols * image.width());
      const int y = static_cast<int>((r + (i + 0.5) / kUnderlaySamples) / g.rows * image.height());
      const QRgb px = image.pixel(std::clamp(x, 0, image.width() - 1), std::clamp(y, 0, image.height() - 1));
      red += qRed(px);
      green += qGreen(px);
      blue += qBlue(px);
      ++n;
    }
  }
  return qRgb(red / n, green / n, blue / n);
}

// What the eye sees in the cell: the colour map's colour at `opacity` over the image under it.
QRgb shownFill(QRgb colour, const HeatmapData& d, const HeatmapGeometry& g, const HeatmapStyle& s, int r, int c) {
  if (d.underlay.isNull()) return colour;
  const QRgb under = underlayUnder(d.underlay, g, r, c);
  const double a = std::clamp(s.overlayOpacity, 0.0, 1.0);
  auto mix = [a](int top, int bottom) { return static_cast<int>(std::lround(a * top + (1.0 - a) * bottom)); };
  return qRgb(mix(qRed(colour), qRed(under)), mix(qGreen(colour), qGreen(under)), mix(qBlue(colour), qBlue(under)));
}

// The word in the widest font of at most `font`'s size that fits `width`, down to kMinWordPx; then elided.
void drawWord(QPainter& p, const QRectF& box, const QString& word, QFont font) {
  for (int px = font.pixelSize(); px > kMinWordPx && QFontMetricsF(font).horizontalAdvance(word) > box.width(); --px)
    font.setPixelSize(px - 1);
  p.setFont(font);
  p.drawText(box, Qt::AlignCenter, QFontMetricsF(font).elidedText(word, Qt::ElideRight, box.width()));
}

}  // namespace

CellText cellTextLayout(const HeatmapGeometry& g, const HeatmapData& d, const HeatmapStyle& s) {
  CellText t;
  if (d.empty() || g.cellWidth <= 0 || g.cellHeight <= 0) return t;
  t.valueFont = cellFont(s, std::max(8, s.fontPixelSize - 2));
  t.wordFont = cellFont(s, std::max(kMinWordPx, s.fontPixelSize - 1));
  const QFontMetricsF vfm(t.valueFont);
  const QFontMetricsF wfm(t.wordFont);
  const double marksRoom = d.marks.empty() ? 0.0 : 2 * (kMinCornerMark + kMarkInset);
  const double room = g.cellHeight - kTextPad - marksRoom;  // height left for text
  const bool valueFitsWidth = g.cellWidth >= vfm.horizontalAdvance(QStringLiteral("0.00")) + 2 * kTextPad;
  const bool wordFitsWidth = g.cellWidth >= QFontMetricsF(cellFont(s, kMinWordPx)).horizontalAdvance(QStringLiteral("abc")) + 2 * kTextPad;
  t.words = s.showLabels && d.labelsInCells && !d.cellLabels.isEmpty() && wordFitsWidth && room >= wfm.height();
  t.values = s.showValues && valueFitsWidth && room >= vfm.height() + (t.words ? wfm.height() : 0.0);
  t.textHeight = (t.words ? wfm.height() : 0.0) + (t.values ? vfm.height() : 0.0);
  if (!d.marks.empty() && (t.words || t.values)) {
    t.markSide = std::min((g.cellHeight - t.textHeight) / 2 - kMarkInset,
                          kCornerMarkShare * std::min(g.cellWidth, g.cellHeight));
    t.markSide = std::max(t.markSide, kMinCornerMark);
  }
  return t;
}

QRectF cellTextRect(const QRectF& cell, const CellText& t) {
  return QRectF(cell.left() + kTextPad, cell.center().y() - t.textHeight / 2, cell.width() - 2 * kTextPad, t.textHeight);
}

void paintCellText(QPainter& p, const HeatmapGeometry& g, const HeatmapData& d, const HeatmapStyle& s, const CellText& t,
                   const CellSpan& span, const std::function<QRgb(int, int)>& colourOf) {
  if (!t.words && !t.values) return;
  const double wordH = t.words ? QFontMetricsF(t.wordFont).height() : 0.0;
  for (int r = span.row0; r < span.row1; ++r) {
    for (int c = span.col0; c < span.col1; ++c) {
      const float v = d.at(r, c);
      if (std::isnan(v)) continue;  // padding of a ragged map: no token here
      p.setPen(Colormap::textColorOnFill(shownFill(colourOf(r, c), d, g, s, r, c)));
      const QRectF box = cellTextRect(HeatmapPainter::cellRect(g, r, c), t);
      if (t.words) drawWord(p, QRectF(box.left(), box.top(), box.width(), wordH), d.colLabelAt(r, c), t.wordFont);
      if (t.values) {
        p.setFont(t.valueFont);
        p.drawText(QRectF(box.left(), box.top() + wordH, box.width(), box.height() - wordH), Qt::AlignCenter,
                   QString::number(v, 'f', 2));
      }
    }
  }
}

QRectF markBox(const QRectF& cell, MarkShape shape, double cornerSide) {
  const bool dot = shape == MarkShape::Dot;
  if (cornerSide <= 0) {
    const double side = std::min(cell.width(), cell.height()) * (dot ? kCentredDot : kCentredSquare);
    return QRectF(cell.center().x() - side / 2, cell.center().y() - side / 2, side, side);
  }
  // The model's choice top right, the gold link top left: a cell with both shows both.
  const double x = dot ? cell.right() - kMarkInset - cornerSide : cell.left() + kMarkInset;
  return QRectF(x, cell.top() + kMarkInset, cornerSide, cornerSide);
}

void paintMarkIn(QPainter& p, const QRectF& box, MarkShape shape) {
  const double side = std::min(box.width(), box.height());
  switch (shape) {
    case MarkShape::FilledSquare:  // gold sure link: a white square with a dark rim
      p.setPen(QPen(QColor(0, 0, 0, 190), std::max(0.6, side * 0.11)));
      p.setBrush(QColor(255, 255, 255, 235));
      p.drawRect(box);
      break;
    case MarkShape::HollowSquare:  // gold possible link: the same square, outline only (dark, then light inside)
      p.setBrush(Qt::NoBrush);
      p.setPen(QPen(QColor(0, 0, 0, 190), std::max(1.2, side * 0.24)));
      p.drawRect(box);
      p.setPen(QPen(QColor(255, 255, 255, 240), std::max(0.6, side * 0.12)));
      p.drawRect(box);
      break;
    case MarkShape::Dot: {  // the model's argmax link: a red dot with a white rim
      const double rim = std::max(0.5, side * 0.17);
      p.setPen(QPen(QColor(255, 255, 255, 240), rim));
      p.setBrush(QColor(0xd6, 0x27, 0x28));
      p.drawEllipse(box.center(), side / 2 - rim / 2, side / 2 - rim / 2);
      break;
    }
  }
}

void paintCellMarks(QPainter& p, const HeatmapGeometry& g, const HeatmapData& d, const CellText& t) {
  if (d.marks.empty()) return;
  p.save();
  p.setRenderHint(QPainter::Antialiasing, true);
  for (const HeatmapMark& m : d.marks) {
    if (d.valid(m.row, m.col)) paintMarkIn(p, markBox(HeatmapPainter::cellRect(g, m.row, m.col), m.shape, t.markSide), m.shape);
  }
  p.restore();
}

}  // namespace attnviz::ui
