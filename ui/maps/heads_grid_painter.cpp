#include "ui/maps/heads_grid_painter.h"

#include <QFont>
#include <QFontMetricsF>
#include <QObject>
#include <QPaintEngine>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/maps/colormap.h"

namespace attnviz::ui {
namespace {

constexpr double kMargin = 10.0;
constexpr double kGap = 6.0;
constexpr double kTitleHeight = 22.0;
constexpr double kLabelWidth = 34.0;   // "L12" left of each row
constexpr double kLabelHeight = 18.0;  // "H12" above each column
constexpr double kLegendHeight = 20.0;
constexpr double kNaturalCell = 72.0;
constexpr double kMinTextCell = 30.0;  // cellTexts are left out in smaller cells
constexpr int kFontPx = 12;  // the sizes above are for text of this size; they scale with the style's
const QColor kCurrent(0xd0, 0x20, 0x20);
const QColor kCoreference(0xff, 0x8c, 0x00);

QFont font(const HeadsGridStyle& s, bool bold = false) {
  QFont f;
  if (!s.fontFamily.isEmpty()) f.setFamily(s.fontFamily);
  f.setPixelSize(s.fontPixelSize);
  f.setBold(bold);
  return f;
}

// A text row's size for the style's font (the constants above are for kFontPx).
double scaled(double size, const HeadsGridStyle& s) { return size * s.fontPixelSize / kFontPx; }

// The legend's rows: the marks, and the note when there is one.
double legendRows(const HeadsGridData& d) { return d.note.isEmpty() ? 1.0 : 2.0; }

}  // namespace

std::vector<QImage> HeadsGridPainter::thumbnails(const EncoderAttention& a) {
  std::vector<QImage> out;
  if (a.empty()) return out;
  const QVector<QRgb> table = Colormap::byId(ColormapId::Viridis).table(256);
  out.reserve(static_cast<std::size_t>(a.layers) * a.heads);
  for (int l = 0; l < a.layers; ++l) {
    for (int h = 0; h < a.heads; ++h) {
      const float* m = a.map(l, h);
      const std::size_t cells = static_cast<std::size_t>(a.n) * a.n;
      const float top = std::max(1e-12f, *std::max_element(m, m + cells));
      QImage img(a.n, a.n, QImage::Format_Indexed8);
      img.setColorTable(table);
      for (int i = 0; i < a.n; ++i) {
        uchar* line = img.scanLine(i);
        for (int j = 0; j < a.n; ++j)
          line[j] = static_cast<uchar>(std::clamp(std::lround(255.0f * m[static_cast<std::size_t>(i) * a.n + j] / top), 0L, 255L));
      }
      out.push_back(std::move(img));
    }
  }
  return out;
}

std::vector<QImage> HeadsGridPainter::scaledThumbnails(const std::vector<QImage>& thumbnails, int side) {
  std::vector<QImage> out;
  out.reserve(thumbnails.size());
  for (const QImage& img : thumbnails)
    out.push_back(img.convertToFormat(QImage::Format_RGB32)
                      .scaled(side, side, Qt::IgnoreAspectRatio, img.width() > side ? Qt::SmoothTransformation : Qt::FastTransformation));
  return out;
}

int HeadsGridPainter::screenSide(const HeadsGridGeometry& g) { return static_cast<int>(std::lround(g.cell)); }

HeadsGridGeometry HeadsGridPainter::layout(const QRectF& rect, const HeadsGridData& d, const HeadsGridStyle& s) {
  HeadsGridGeometry g;
  g.layers = d.layers;
  g.heads = d.heads;
  if (d.empty()) return g;
  const double labelW = scaled(kLabelWidth, s), labelH = scaled(kLabelHeight, s);
  const double titleH = scaled(kTitleHeight, s), legendH = scaled(kLegendHeight, s) * legendRows(d);
  const QRectF area(rect.left() + kMargin + labelW, rect.top() + kMargin + titleH + labelH,
                    rect.width() - 2 * kMargin - labelW, rect.height() - 2 * kMargin - titleH - labelH - legendH);
  g.pitch = std::max(4.0, std::min(area.width() / d.heads, area.height() / d.layers));
  g.cell = std::max(2.0, g.pitch - kGap);
  g.grid = QRectF(area.topLeft(), QSizeF(g.pitch * d.heads, g.pitch * d.layers));
  return g;
}

QRectF HeadsGridPainter::cellRect(const HeadsGridGeometry& g, int layer, int head) {
  return {g.grid.left() + head * g.pitch, g.grid.top() + layer * g.pitch, g.cell, g.cell};
}

LayerHead HeadsGridPainter::hit(const HeadsGridGeometry& g, const QPointF& p) {
  if (g.layers <= 0 || !g.grid.contains(p)) return {};
  const int head = static_cast<int>((p.x() - g.grid.left()) / g.pitch);
  const int layer = static_cast<int>((p.y() - g.grid.top()) / g.pitch);
  if (layer < 0 || layer >= g.layers || head < 0 || head >= g.heads) return {};
  if (!cellRect(g, layer, head).contains(p)) return {};  // in a gap
  return {layer, head};
}

void HeadsGridPainter::paint(QPainter& painter, const QRectF& rect, const HeadsGridData& d, const HeadsGridStyle& s) {
  const double labelW = scaled(kLabelWidth, s), labelH = scaled(kLabelHeight, s);
  const double titleH = scaled(kTitleHeight, s), legendH = scaled(kLegendHeight, s) * legendRows(d);
  painter.save();
  painter.fillRect(rect, s.background);
  painter.setPen(s.foreground);
  painter.setFont(font(s, true));
  painter.drawText(QRectF(rect.left() + kMargin, rect.top() + kMargin, rect.width() - 2 * kMargin, titleH),
                   Qt::AlignLeft | Qt::AlignVCenter, d.title);
  if (d.empty()) {
    painter.restore();
    return;
  }
  const HeadsGridGeometry g = layout(rect, d, s);
  painter.setFont(font(s));
  for (int h = 0; h < d.heads; ++h) {
    const QRectF c = cellRect(g, 0, h);
    painter.drawText(QRectF(c.left(), g.grid.top() - labelH, c.width(), labelH), Qt::AlignCenter,
                     QStringLiteral("H%1").arg(h + 1));
  }
  for (int l = 0; l < d.layers; ++l) {
    const QRectF c = cellRect(g, l, 0);
    painter.drawText(QRectF(g.grid.left() - labelW, c.top(), labelW - 4, c.height()), Qt::AlignRight | Qt::AlignVCenter,
                     QStringLiteral("L%1").arg(l + 1));
  }
  // Smooth scaling blurs a few tokens into mush; nearest keeps cells sharp until maps outnumber pixels.
  const QPaintEngine* engine = painter.paintEngine();
  const bool raster = engine && engine->type() == QPaintEngine::Raster;
  const bool prescaled = raster && d.scaled.size() == d.thumbnails.size() && d.scaledSide == screenSide(g) &&
                         painter.transform().isIdentity();
  for (int l = 0; l < d.layers; ++l) {
    for (int h = 0; h < d.heads; ++h) {
      const std::size_t i = static_cast<std::size_t>(l) * d.heads + h;
      if (i >= d.thumbnails.size()) continue;
      if (prescaled) {
        painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter.drawImage(cellRect(g, l, h), d.scaled[i]);
        continue;
      }
      const QImage& img = d.thumbnails[i];
      painter.setRenderHint(QPainter::SmoothPixmapTransform, img.width() > g.cell);
      painter.drawImage(cellRect(g, l, h), img);
    }
  }
  if (!d.cellTexts.empty() && g.cell >= kMinTextCell) {
    QFont f = font(s);
    f.setPixelSize(std::max(8, std::min(s.fontPixelSize, static_cast<int>(g.cell * 0.26))));
    painter.setFont(f);
    for (int l = 0; l < d.layers; ++l) {
      for (int h = 0; h < d.heads; ++h) {
        const std::size_t i = static_cast<std::size_t>(l) * d.heads + h;
        if (i >= d.cellTexts.size() || i >= d.thumbnails.size() || d.thumbnails[i].isNull()) continue;
        painter.setPen(Colormap::textColorOnFill(d.thumbnails[i].pixel(0, 0)));
        painter.drawText(cellRect(g, l, h), Qt::AlignCenter, d.cellTexts[i]);
      }
    }
    painter.setFont(font(s));
  }
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setBrush(Qt::NoBrush);
  if (d.coreference.valid() && d.coreference.layer < d.layers && d.coreference.head < d.heads) {
    painter.setPen(QPen(kCoreference, 2.0, Qt::DashLine));
    painter.drawRect(cellRect(g, d.coreference.layer, d.coreference.head).adjusted(-2, -2, 2, 2));
  }
  if (s.showCurrent && d.current.valid() && d.current.layer < d.layers && d.current.head < d.heads) {
    painter.setPen(QPen(kCurrent, 2.5));
    painter.drawRect(cellRect(g, d.current.layer, d.current.head).adjusted(-2.5, -2.5, 2.5, 2.5));
  }
  // Legend below the grid.
  const double y = g.grid.bottom() + 4, rowH = legendH / legendRows(d);
  double x = g.grid.left();
  QString text;
  if (s.showCurrent) {
    painter.setPen(QPen(kCurrent, 2.5));
    painter.drawRect(QRectF(x, y + 4, 12, 12));
    painter.setPen(s.foreground);
    text = QObject::tr("shown head (click a thumbnail to show another)");
    painter.drawText(QRectF(x + 18, y, 320, rowH), Qt::AlignLeft | Qt::AlignVCenter, text);
    x += 18 + QFontMetricsF(painter.font()).horizontalAdvance(text) + 16;
  }
  if (d.coreference.valid()) {
    painter.setPen(QPen(kCoreference, 2.0, Qt::DashLine));
    painter.drawRect(QRectF(x, y + 4, 12, 12));
    painter.setPen(s.foreground);
    text = QObject::tr("coreference head (config.json)");
    painter.drawText(QRectF(x + 18, y, 260, rowH), Qt::AlignLeft | Qt::AlignVCenter, text);
  }
  if (!d.note.isEmpty()) {
    painter.setPen(s.foreground);
    painter.drawText(QRectF(rect.left() + kMargin, y + rowH, rect.width() - 2 * kMargin, rowH),
                     Qt::AlignLeft | Qt::AlignVCenter, d.note);
  }
  painter.restore();
}

QSizeF HeadsGridPainter::naturalSize(const HeadsGridData& d) {
  const int heads = std::max(1, d.heads), layers = std::max(1, d.layers);
  const double w = 2 * kMargin + kLabelWidth + heads * (kNaturalCell + kGap);
  return {std::max(w, 520.0),
          2 * kMargin + kTitleHeight + kLabelHeight + kLegendHeight * legendRows(d) + layers * (kNaturalCell + kGap)};
}

}  // namespace attnviz::ui
