#include "ui/kinds/encoder/arcs_painter.h"

#include <QFont>
#include <QObject>
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <array>
#include <cmath>

namespace attnviz::ui {
namespace {

constexpr double kMargin = 12.0;
constexpr double kPadX = 4.0;          // inside a token box
constexpr double kGapX = 5.0;          // between tokens of a line
constexpr double kArcRoomFactor = 4.0; // Text: space above a line for arcs, in font heights
constexpr double kColumnGapMin = 140.0;
constexpr double kColumnMaxWidth = 170.0;
constexpr double kColumnGapMax = 420.0;  // wider and the lines get too flat to follow
constexpr double kSlotOffset = 3.0;    // several heads: their arcs' ends spread by this much
constexpr double kMaxStroke = 5.0;

QFont tokenFont(const ArcsStyle& style, bool bold = false) {
  QFont f;
  if (!style.fontFamily.isEmpty()) f.setFamily(style.fontFamily);
  f.setPixelSize(style.fontPixelSize);
  f.setBold(bold);
  return f;
}

double boxHeight(const ArcsStyle& style) { return std::ceil(style.fontPixelSize * 1.55); }

QPointF anchorTop(const QRectF& r, int slot, int slotCount) {
  return {r.center().x() + (slot - (slotCount - 1) / 2.0) * kSlotOffset, r.top()};
}

}  // namespace

QColor ArcsPainter::headColor(int head) {
  if (head == kPointerHead) return QColor(0x11, 0x11, 0x11);  // not an attention head: none of their colours
  if (head == kAltiContributions) return QColor(0x0b, 0x5d, 0x5d);
  // Tableau 10: distinct on white, and the order most readers know from matplotlib.
  static constexpr std::array<QRgb, 10> kColours{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                                 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
  return QColor::fromRgb(kColours[static_cast<std::size_t>(std::max(0, head)) % kColours.size()]);
}

QString ArcsPainter::headName(int head) {
  if (head == kAltiContributions) return QObject::tr("ALTI");
  return head == kPointerHead ? QObject::tr("coreference pointer") : QObject::tr("head %1").arg(head + 1);
}

double ArcsPainter::strokeWidth(float weight) { return 0.8 + kMaxStroke * std::clamp(static_cast<double>(weight), 0.0, 1.0); }

ArcsLayout ArcsPainter::layout(const ArcsData& data, const ArcsStyle& style, double width) {
  ArcsLayout l;
  l.kind = style.kind;
  l.width = width;
  const QFontMetricsF fm(tokenFont(style));
  const double h = boxHeight(style);
  const int n = data.size();
  l.queries.reserve(static_cast<std::size_t>(n));
  if (style.kind == ArcsLayoutKind::Text) {
    l.arcRoom = std::ceil(style.fontPixelSize * kArcRoomFactor);
    double x = kMargin;
    double top = l.arcRoom;
    for (int g = 0; g < n; ++g) {
      const double w = fm.horizontalAdvance(data.groups[static_cast<std::size_t>(g)].text) + 2 * kPadX;
      if (x > kMargin && x + w > width - kMargin) {  // wrap; a token wider than the line gets a line of its own
        x = kMargin;
        top += h + l.arcRoom;
      }
      l.queries.emplace_back(x, top, w, h);
      x += w + kGapX;
    }
    l.keys = l.queries;
    l.height = n > 0 ? top + h + kMargin : 0;
  } else {
    double column = 0;
    for (const TokenGroup& g : data.groups) column = std::max(column, fm.horizontalAdvance(g.text) + 2 * kPadX);
    column = std::min(column, kColumnMaxWidth);
    const double gap = std::clamp(width - 2 * kMargin - 2 * column, kColumnGapMin, kColumnGapMax);
    const double top = kMargin + std::ceil(style.fontPixelSize * 1.6);  // room for the column titles
    const double left = std::max(kMargin, (width - 2 * column - gap) / 2);
    const double right = left + column + gap;
    const double row = h + 2;
    l.keys.reserve(static_cast<std::size_t>(n));
    for (int g = 0; g < n; ++g) {
      l.queries.emplace_back(left, top + g * row, column, h);
      l.keys.emplace_back(right, top + g * row, column, h);
    }
    l.height = n > 0 ? top + kMargin + n * row : 0;
  }
  return l;
}

std::vector<Arc> ArcsPainter::arcs(const ArcsData& data, const ArcsStyle& style) {
  std::vector<Arc> out;
  if (data.empty()) return out;
  const int n = data.size();
  const float threshold = static_cast<float>(style.threshold);
  const int slotCount = static_cast<int>(data.maps.size());
  auto add = [&](int from) {
    for (int s = 0; s < slotCount; ++s)
      for (int to = 0; to < n; ++to) {
        const float w = data.weight(s, from, to);
        if (w >= threshold && w > 0.0f) out.push_back({from, to, s, w});
      }
  };
  if (style.focus >= 0 && style.focus < n) add(style.focus);
  else if (style.kind == ArcsLayoutKind::Columns)
    for (int from = 0; from < n; ++from) add(from);
  std::stable_sort(out.begin(), out.end(), [](const Arc& a, const Arc& b) { return a.weight < b.weight; });
  return out;
}

QPainterPath ArcsPainter::arcPath(const ArcsLayout& l, const Arc& arc, int slotCount) {
  QPainterPath path;
  if (l.kind == ArcsLayoutKind::Columns) {
    const QRectF& q = l.queries[static_cast<std::size_t>(arc.from)];
    const QRectF& k = l.keys[static_cast<std::size_t>(arc.to)];
    const double dy = (arc.slot - (slotCount - 1) / 2.0) * kSlotOffset * 0.5;
    const QPointF a(q.right() + 3, q.center().y() + dy);
    const QPointF b(k.left() - 3, k.center().y() + dy);
    const double mid = (b.x() - a.x()) * 0.4;
    path.moveTo(a);
    path.cubicTo(a + QPointF(mid, 0), b - QPointF(mid, 0), b);
    return path;
  }
  const QPointF a = anchorTop(l.queries[static_cast<std::size_t>(arc.from)], arc.slot, slotCount);
  const QPointF b = anchorTop(l.keys[static_cast<std::size_t>(arc.to)], arc.slot, slotCount);
  const double room = l.arcRoom - 4;
  if (arc.from == arc.to) {  // to itself: a small loop over the token
    const double r = std::min(room * 0.45, 14.0);
    path.moveTo(a - QPointF(3, 0));
    path.cubicTo(a + QPointF(-r, -r * 1.6), a + QPointF(r, -r * 1.6), a + QPointF(3, 0));
    return path;
  }
  // Higher for farther tokens, never above the free band over the upper of the two lines.
  const double h = std::min(room, 8.0 + 0.3 * std::abs(b.x() - a.x()) + 0.2 * std::abs(b.y() - a.y()));
  const double top = std::min(a.y(), b.y()) - h * 4.0 / 3.0;  // a cubic's peak is 3/4 of its controls' height
  path.moveTo(a);
  path.cubicTo(QPointF(a.x(), top), QPointF(b.x(), top), b);
  return path;
}

double ArcsPainter::headerHeight(const ArcsStyle& style) { return std::ceil(style.fontPixelSize * 1.5) * 2 + 8; }

void ArcsPainter::paintHeader(QPainter& painter, const QRectF& rect, const ArcsData& data, const ArcsStyle& style) {
  painter.save();
  const double line = std::ceil(style.fontPixelSize * 1.5);
  painter.setPen(style.foreground);
  painter.setFont(tokenFont(style, true));
  const QRectF first(rect.left() + kMargin, rect.top() + 4, rect.width() - 2 * kMargin, line);
  QString title = data.title;
  if (style.focus >= 0 && style.focus < data.size()) {
    title += QObject::tr(" · from “%1”").arg(data.groups[static_cast<std::size_t>(style.focus)].text);
    if (style.pinned) title += QObject::tr(" (pinned)");
  }
  painter.drawText(first, Qt::AlignLeft | Qt::AlignVCenter, title);
  painter.setFont(tokenFont(style));
  const QFontMetricsF fm(painter.font());
  double x = rect.left() + kMargin;
  const double y = rect.top() + 4 + line;
  for (int head : data.heads) {
    const QColor c = headColor(head);
    painter.setPen(QPen(c, 3));
    painter.drawLine(QPointF(x, y + line / 2), QPointF(x + 16, y + line / 2));
    x += 20;
    const QString text = headName(head);
    painter.setPen(style.foreground);
    painter.drawText(QRectF(x, y, fm.horizontalAdvance(text) + 2, line), Qt::AlignLeft | Qt::AlignVCenter, text);
    x += fm.horizontalAdvance(text) + 12;
  }
  painter.setPen(QColor(0x70, 0x70, 0x70));
  const QString note = QObject::tr("arcs ≥ %1 · width and opacity by weight").arg(style.threshold, 0, 'g', 3);
  painter.drawText(QRectF(x + 8, y, std::max(0.0, rect.right() - x - 8 - kMargin), line), Qt::AlignLeft | Qt::AlignVCenter, note);
  painter.restore();
}

void ArcsPainter::paintBody(QPainter& painter, const QPointF& origin, const ArcsLayout& l, const ArcsData& data,
                            const ArcsStyle& style, const std::vector<Arc>& arcs, const QRectF& visible) {
  if (l.empty() || data.empty()) return;
  painter.save();
  painter.translate(origin);
  painter.setRenderHint(QPainter::Antialiasing);
  const QRectF view = visible.translated(-origin);
  const int n = data.size();
  const int slotCount = static_cast<int>(data.maps.size());
  const bool focused = style.focus >= 0 && style.focus < n;

  // Key shading: each key's strongest shown head, by weight.
  std::vector<float> best(static_cast<std::size_t>(n), 0.0f);
  std::vector<int> bestSlot(static_cast<std::size_t>(n), 0);
  if (focused)
    for (const Arc& a : arcs)
      if (a.weight > best[static_cast<std::size_t>(a.to)]) {
        best[static_cast<std::size_t>(a.to)] = a.weight;
        bestSlot[static_cast<std::size_t>(a.to)] = a.slot;
      }

  painter.setFont(tokenFont(style));
  auto drawTokens = [&](const std::vector<QRectF>& boxes, bool keys) {
    for (int g = 0; g < n; ++g) {
      const QRectF& r = boxes[static_cast<std::size_t>(g)];
      if (!r.intersects(view)) continue;
      const bool isFocus = focused && g == style.focus && (!keys || l.kind == ArcsLayoutKind::Text);
      if (isFocus) {
        painter.setPen(QPen(style.foreground, style.pinned ? 2.0 : 1.2));
        painter.setBrush(QColor(0xff, 0xf3, 0xb0));
        painter.drawRoundedRect(r, 3, 3);
      } else if (keys && best[static_cast<std::size_t>(g)] > 0.0f) {
        QColor c = headColor(data.heads[static_cast<std::size_t>(bestSlot[static_cast<std::size_t>(g)])]);
        c.setAlphaF(static_cast<float>(0.12 + 0.6 * std::min(1.0f, best[static_cast<std::size_t>(g)])));
        painter.setPen(Qt::NoPen);
        painter.setBrush(c);
        painter.drawRoundedRect(r, 3, 3);
      }
      if (keys && g == style.keyHighlight) {
        painter.setPen(QPen(QColor(0xd0, 0x30, 0x30), 1.5));
        painter.setBrush(Qt::NoBrush);
        painter.drawRoundedRect(r.adjusted(-1, -1, 1, 1), 3, 3);
      }
      const QString& text = data.groups[static_cast<std::size_t>(g)].text;
      painter.setPen(isFrameToken(text) ? QColor(0x80, 0x80, 0x80) : style.foreground);
      painter.drawText(r.adjusted(kPadX, 0, -kPadX, 0), Qt::AlignCenter,
                       QFontMetricsF(painter.font()).elidedText(text, Qt::ElideRight, r.width() - 2 * kPadX));
    }
  };

  // Arcs first, tokens over them, so text stays legible.
  painter.setBrush(Qt::NoBrush);
  const bool faint = !focused;  // Columns overview: every arc, fainter
  for (const Arc& a : arcs) {
    const QPainterPath path = arcPath(l, a, slotCount);
    if (!path.controlPointRect().intersects(view)) continue;
    QColor c = headColor(data.heads[static_cast<std::size_t>(a.slot)]);
    const double alpha = faint ? 0.55 * a.weight : 0.2 + 0.8 * a.weight;
    c.setAlphaF(static_cast<float>(std::clamp(alpha, 0.05, 1.0)));
    painter.setPen(QPen(c, faint ? 0.5 + 2.5 * a.weight : strokeWidth(a.weight), Qt::SolidLine, Qt::RoundCap));
    painter.drawPath(path);
  }
  drawTokens(l.queries, l.kind == ArcsLayoutKind::Text);
  if (l.kind == ArcsLayoutKind::Columns) {
    drawTokens(l.keys, true);
    painter.setPen(QColor(0x70, 0x70, 0x70));
    painter.setFont(tokenFont(style, true));
    // Column titles sit in the top margin.
    if (!l.queries.empty()) {
      const QRectF q = l.queries.front(), k = l.keys.front();
      painter.drawText(QRectF(q.left() - 20, 0, q.width() + 40, q.top() - 2), Qt::AlignHCenter | Qt::AlignBottom, QObject::tr("query"));
      painter.drawText(QRectF(k.left() - 20, 0, k.width() + 40, k.top() - 2), Qt::AlignHCenter | Qt::AlignBottom, QObject::tr("key"));
    }
  }
  painter.restore();
}

void ArcsPainter::paint(QPainter& painter, const QRectF& rect, const ArcsData& data, const ArcsStyle& style) {
  painter.save();
  painter.fillRect(rect, style.background);
  const double header = headerHeight(style);
  paintHeader(painter, QRectF(rect.topLeft(), QSizeF(rect.width(), header)), data, style);
  const ArcsLayout l = layout(data, style, rect.width());
  const QPointF origin(rect.left(), rect.top() + header);
  paintBody(painter, origin, l, data, style, arcs(data, style), QRectF(origin, QSizeF(rect.width(), l.height)));
  painter.restore();
}

QSizeF ArcsPainter::figureSize(const ArcsData& data, const ArcsStyle& style, double width) {
  return {width, headerHeight(style) + std::max(40.0, layout(data, style, width).height)};
}

int ArcsPainter::hit(const ArcsLayout& l, const QPointF& point) {
  auto find = [&](const std::vector<QRectF>& boxes) {
    // Boxes are in reading order: the first whose bottom is below the point starts the candidate line.
    const auto it = std::lower_bound(boxes.begin(), boxes.end(), point.y(), [](const QRectF& r, double y) { return r.bottom() < y; });
    for (auto i = it; i != boxes.end() && i->top() <= point.y(); ++i)
      if (i->contains(point)) return static_cast<int>(i - boxes.begin());
    return -1;
  };
  const int q = find(l.queries);
  if (q >= 0 || l.kind == ArcsLayoutKind::Text) return q;
  return find(l.keys);
}

}  // namespace attnviz::ui
