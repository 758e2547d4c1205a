#include "ui/kinds/vit/patch_painter.h"

#include <QFont>
#include <QFontMetricsF>
#include <QObject>
#include <QPaintEngine>
#include <QPainter>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <limits>

namespace attnviz::ui {
namespace {

constexpr double kMargin = 6.0;
constexpr double kBarWidth = 14.0;
constexpr double kBarGap = 10.0;
constexpr double kBarLabelWidth = 54.0;
constexpr int kBarSteps = 128;
constexpr double kFocusPen = 2.5;
// Text in pixels, as the other painters: a point size would grow with the device's DPI on top of the figure's own
// scaling (a 192 DPI PNG got text twice too large and a clipped title).
constexpr int kFontPixelSize = 13;

QFont figureFont() {
  QFont font;
  font.setPixelSize(kFontPixelSize);
  return font;
}

constexpr int kMaxVectorUpscale = 16;

// SVG and PDF viewers smooth an embedded image when they scale it; there the image goes in already scaled up by
// nearest neighbour (about twice the figure's size) and the patches are drawn as rectangles, so both stay crisp.
bool vectorDevice(const QPainter& painter) {
  const QPaintEngine* engine = painter.paintEngine();
  return engine && (engine->type() == QPaintEngine::SVG || engine->type() == QPaintEngine::Pdf);
}


}  // namespace

std::optional<PatchGrid> patchGrid(const std::vector<std::string>& tokens) {
  static const QRegularExpression kPatch(QStringLiteral("^patch (\\d+),(\\d+)$"));
  int first = -1;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].rfind("patch ", 0) == 0) {
      first = static_cast<int>(i);
      break;
    }
  }
  if (first < 0) return std::nullopt;
  const QRegularExpressionMatch m = kPatch.match(QString::fromStdString(tokens.back()));
  if (!m.hasMatch()) return std::nullopt;
  PatchGrid g{m.captured(1).toInt() + 1, m.captured(2).toInt() + 1, first};
  if (g.firstToken + g.count() != static_cast<int>(tokens.size())) return std::nullopt;
  return g;
}

PatchOverlay overlayFromRow(const float* map, int tokens, const PatchGrid& grid, int query, QString title) {
  PatchOverlay o;
  o.grid = grid;
  o.title = std::move(title);
  if (query < 0 || query >= tokens || grid.firstToken + grid.count() > tokens) return o;
  const float* row = map + static_cast<std::ptrdiff_t>(query) * tokens + grid.firstToken;
  o.values.assign(row, row + grid.count());
  return o;
}

PatchLayout patchLayout(const QRectF& rect, const QSize& imageSize, const PatchStyle& style) {
  PatchLayout l;
  QRectF area = rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
  if (style.colorBar) {
    const double titleHeight = QFontMetricsF(figureFont()).height() * 1.4;
    l.title = QRectF(area.left(), area.top(), area.width(), titleHeight);
    area.setTop(area.top() + titleHeight);
    area.setRight(area.right() - kBarGap - kBarWidth - kBarLabelWidth);
  }
  const QSizeF image = imageSize.isEmpty() ? QSizeF(1, 1) : QSizeF(imageSize);
  const QSizeF fitted = image.scaled(area.size(), Qt::KeepAspectRatio);
  l.image = QRectF(area.left() + (area.width() - fitted.width()) / 2, area.top() + (area.height() - fitted.height()) / 2,
                   fitted.width(), fitted.height());
  if (style.colorBar) l.colorBar = QRectF(l.image.right() + kBarGap, l.image.top(), kBarWidth, l.image.height());
  return l;
}

int patchAt(const PatchLayout& layout, const PatchGrid& grid, const QPointF& point) {
  if (grid.count() <= 0 || !layout.image.contains(point)) return -1;
  const int c = std::clamp(static_cast<int>((point.x() - layout.image.left()) / layout.image.width() * grid.cols), 0, grid.cols - 1);
  const int r = std::clamp(static_cast<int>((point.y() - layout.image.top()) / layout.image.height() * grid.rows), 0, grid.rows - 1);
  return r * grid.cols + c;
}

QColor headColour(int head, int headCount) {
  return QColor::fromHsvF(static_cast<float>(head) / static_cast<float>(std::max(1, headCount)), 0.85f, 1.0f);
}

std::pair<float, float> overlayRange(const PatchOverlay& overlay, const PatchStyle& style) {
  float lo = std::numeric_limits<float>::infinity(), hi = 0.0f;
  for (float v : overlay.values) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (!style.fromMin || !(lo < hi)) lo = 0.0f;
  return {lo, hi};
}

QRgb overlayColour(const PatchOverlay& overlay, const PatchStyle& style, float value) {
  const auto [lo, hi] = overlayRange(overlay, style);
  return Colormap::byId(style.colormap).rgb(hi > lo ? (value - lo) / (hi - lo) : 0.0);
}

void paintPatchImage(QPainter& painter, const QRectF& rect, const QImage& image, const PatchOverlay& overlay,
                     const PatchStyle& style) {
  painter.save();
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);  // nearest neighbour: crisp pixels and patches
  const bool vector = vectorDevice(painter);
  if (image.isNull()) {
    painter.fillRect(rect, QColor(128, 128, 128));
  } else if (vector && image.width() > 0 && rect.width() > image.width()) {
    const int factor = std::clamp(static_cast<int>(std::ceil(2 * rect.width() / image.width())), 1, kMaxVectorUpscale);
    painter.drawImage(rect, image.scaled(image.size() * factor, Qt::IgnoreAspectRatio, Qt::FastTransformation));
  } else {
    painter.drawImage(rect, image);
  }
  const PatchGrid& g = overlay.grid;
  if (!overlay.empty() && g.count() == static_cast<int>(overlay.values.size())) {
    QImage cells(g.cols, g.rows, QImage::Format_ARGB32);
    const int alpha = std::clamp(static_cast<int>(std::lround(style.opacity * 255)), 0, 255);
    const bool multiHead = overlay.heads.size() == overlay.values.size();
    for (int i = 0; i < g.count(); ++i) {
      if (multiHead) {  // the mean colour of the heads that chose this patch
        int r = 0, gr = 0, b = 0, n = 0;
        for (int h = 0; h < overlay.headCount; ++h) {
          if (!(overlay.heads[static_cast<std::size_t>(i)] & (1u << h))) continue;
          const QColor c = headColour(h, overlay.headCount);
          r += c.red();
          gr += c.green();
          b += c.blue();
          ++n;
        }
        // Patches no head chose are veiled, so a colourful image does not read as head colours.
        cells.setPixel(i % g.cols, i / g.cols, n ? qRgba(r / n, gr / n, b / n, alpha) : qRgba(0, 0, 0, alpha));
        continue;
      }
      const QRgb c = overlayColour(overlay, style, overlay.values[static_cast<std::size_t>(i)]);
      cells.setPixel(i % g.cols, i / g.cols, qRgba(qRed(c), qGreen(c), qBlue(c), alpha));
    }
    if (vector) {
      const double w = rect.width() / g.cols, h = rect.height() / g.rows;
      for (int i = 0; i < g.count(); ++i) {
        const QRgb c = cells.pixel(i % g.cols, i / g.cols);
        painter.fillRect(QRectF(rect.left() + (i % g.cols) * w, rect.top() + (i / g.cols) * h, w, h),
                         QColor(qRed(c), qGreen(c), qBlue(c), qAlpha(c)));
      }
    } else {
      painter.drawImage(rect, cells);
    }
  }
  const double cw = rect.width() / std::max(1, g.cols);
  const double ch = rect.height() / std::max(1, g.rows);
  if (style.grid && g.count() > 0) {
    painter.setPen(QPen(QColor(255, 255, 255, 110), 0));
    for (int c = 1; c < g.cols; ++c) painter.drawLine(QPointF(rect.left() + c * cw, rect.top()), QPointF(rect.left() + c * cw, rect.bottom()));
    for (int r = 1; r < g.rows; ++r) painter.drawLine(QPointF(rect.left(), rect.top() + r * ch), QPointF(rect.right(), rect.top() + r * ch));
  }
  if (style.focusedPatch >= 0 && style.focusedPatch < g.count()) {
    const QRectF cell(rect.left() + (style.focusedPatch % g.cols) * cw, rect.top() + (style.focusedPatch / g.cols) * ch, cw, ch);
    const double pen = std::min(kFocusPen, std::min(cw, ch) / 4);
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(Qt::black, pen * 2));
    painter.drawRect(cell.adjusted(pen, pen, -pen, -pen));
    painter.setPen(QPen(QColor(255, 64, 64), pen));
    painter.drawRect(cell.adjusted(pen, pen, -pen, -pen));
  }
  painter.restore();
}

void paintPatches(QPainter& painter, const QRectF& rect, const QImage& image, const PatchOverlay& overlay,
                  const PatchStyle& style) {
  const PatchLayout l = patchLayout(rect, image.size(), style);
  painter.save();
  painter.setFont(figureFont());
  painter.fillRect(rect, Qt::white);
  paintPatchImage(painter, l.image, image, overlay, style);
  if (style.colorBar && overlay.headCount > 0 && overlay.heads.size() == overlay.values.size()) {
    painter.setPen(Qt::black);
    painter.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine, overlay.title);
    const QFontMetricsF fm(painter.font());
    const double line = fm.height() * 1.2;
    for (int h = 0; h < overlay.headCount; ++h) {  // legend: a swatch and "head k" per head
      const QRectF swatch(l.colorBar.left(), l.colorBar.top() + h * line, l.colorBar.width(), fm.height());
      painter.fillRect(swatch, headColour(h, overlay.headCount));
      painter.drawText(QRectF(swatch.right() + 4, swatch.top(), kBarLabelWidth + kBarGap, fm.height()),
                       Qt::AlignLeft | Qt::AlignVCenter, QObject::tr("head %1").arg(h + 1));
    }
  } else if (style.colorBar) {
    painter.setPen(Qt::black);
    painter.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine, overlay.title);
    const Colormap& cm = Colormap::byId(style.colormap);
    const double step = l.colorBar.height() / kBarSteps;
    for (int i = 0; i < kBarSteps; ++i) {
      const double t = 1.0 - (i + 0.5) / kBarSteps;  // high at the top
      painter.fillRect(QRectF(l.colorBar.left(), l.colorBar.top() + i * step, l.colorBar.width(), step + 0.5), cm.color(t));
    }
    painter.setPen(QPen(Qt::black, 0));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(l.colorBar);
    const QFontMetricsF fm(painter.font());
    const QRectF labels(l.colorBar.right() + 4, l.colorBar.top(), kBarLabelWidth, l.colorBar.height());
    const auto [lo, hi] = overlayRange(overlay, style);
    painter.drawText(QRectF(labels.left(), labels.top(), labels.width(), fm.height()), Qt::AlignLeft | Qt::AlignTop,
                     QString::number(hi, 'g', 3));
    painter.drawText(QRectF(labels.left(), labels.bottom() - fm.height(), labels.width(), fm.height()),
                     Qt::AlignLeft | Qt::AlignBottom, lo == 0.0f ? QStringLiteral("0") : QString::number(lo, 'g', 3));
    // What the ends of the bar are, read upwards along it: the map's own minimum is not zero attention.
    painter.save();
    painter.translate(labels.left() + fm.height() / 2, labels.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-labels.height() / 2 + 2 * fm.height(), -fm.height() / 2, labels.height() - 4 * fm.height(), fm.height()),
                     Qt::AlignCenter, style.fromMin ? QObject::tr("min–max of this map") : QObject::tr("0 to max"));
    painter.restore();
  }
  painter.restore();
}

}  // namespace attnviz::ui
