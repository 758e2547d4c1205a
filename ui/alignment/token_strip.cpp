#include "ui/alignment/token_strip.h"

#include <QMouseEvent>
#include <QPainter>

#include "ui/document/hypothesis_trace.h"

namespace attnviz::ui {
namespace {

constexpr int kPadX = 6;
constexpr int kPadY = 3;
constexpr int kGap = 4;
constexpr int kMargin = 4;

}  // namespace

TokenStrip::TokenStrip(const QString& caption, QWidget* parent) : QWidget(parent), caption_(caption) {
  setMouseTracking(true);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void TokenStrip::setTokens(const QStringList& tokens) {
  if (tokens == tokens_) return;
  tokens_ = tokens;
  highlight_ = hover_ = -1;
  chips_ = layoutChips(width());
  updateGeometry();
  update();
}

void TokenStrip::setCaption(const QString& caption) {
  if (caption == caption_) return;
  caption_ = caption;
  chips_ = layoutChips(width());
  updateGeometry();
  update();
}

void TokenStrip::setHighlight(int index) {
  if (index == highlight_) return;
  highlight_ = index;
  update();
}

std::vector<QRect> TokenStrip::layoutChips(int width) const {
  std::vector<QRect> out;
  const QFontMetrics fm(font());
  const int h = fm.height() + 2 * kPadY;
  int x = kMargin + fm.horizontalAdvance(caption_ + QStringLiteral(": ")) + kGap;
  int y = kMargin;
  const int start = x;
  for (const QString& t : tokens_) {
    const int w = fm.horizontalAdvance(t) + 2 * kPadX;
    if (x + w > width - kMargin && x > start) {
      x = start;
      y += h + kGap;
    }
    out.emplace_back(x, y, w, h);
    x += w + kGap;
  }
  return out;
}

int TokenStrip::heightForWidth(int width) const {
  const std::vector<QRect> chips = layoutChips(width);
  const int line = QFontMetrics(font()).height() + 2 * kPadY;
  return (chips.empty() ? line : chips.back().bottom() + 1) + kMargin;
}

QSize TokenStrip::sizeHint() const { return {400, heightForWidth(std::max(width(), 400))}; }
QSize TokenStrip::minimumSizeHint() const { return {100, QFontMetrics(font()).height() + 2 * kPadY + 2 * kMargin}; }

QRect TokenStrip::chipRect(int index) const {
  return index >= 0 && index < static_cast<int>(chips_.size()) ? chips_[static_cast<std::size_t>(index)] : QRect();
}

int TokenStrip::chipAt(const QPoint& pos) const {
  for (std::size_t i = 0; i < chips_.size(); ++i) {
    if (chips_[i].contains(pos)) return static_cast<int>(i);
  }
  return -1;
}

void TokenStrip::resizeEvent(QResizeEvent*) {
  chips_ = layoutChips(width());
  if (heightForWidth(width()) != height()) updateGeometry();
}

void TokenStrip::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing, true);
  const QFontMetrics fm(font());
  p.setPen(palette().color(QPalette::PlaceholderText));
  p.drawText(QRect(kMargin, kMargin, width(), fm.height() + 2 * kPadY), Qt::AlignLeft | Qt::AlignVCenter,
             caption_ + QStringLiteral(":"));
  for (std::size_t i = 0; i < chips_.size() && i < static_cast<std::size_t>(tokens_.size()); ++i) {
    const bool focused = static_cast<int>(i) == highlight_;
    const bool hovered = static_cast<int>(i) == hover_;
    const bool special = isSpecialToken(tokens_[static_cast<qsizetype>(i)]);
    QColor fill = special ? QColor(0xee, 0xee, 0xee) : QColor(0xe8, 0xf0, 0xfa);
    if (hovered) fill = QColor(0xd0, 0xe2, 0xf7);
    if (focused) fill = QColor(0xc0, 0x39, 0x2b);
    p.setPen(QPen(focused ? fill.darker(130) : QColor(0xb8, 0xc8, 0xdc), 1));
    p.setBrush(fill);
    p.drawRoundedRect(QRectF(chips_[i]).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    p.setPen(focused ? Qt::white : (special ? QColor(0x80, 0x80, 0x80) : QColor(0x20, 0x20, 0x20)));
    p.drawText(chips_[i], Qt::AlignCenter, tokens_[static_cast<qsizetype>(i)]);
  }
}

void TokenStrip::mouseMoveEvent(QMouseEvent* event) {
  const int i = chipAt(event->position().toPoint());
  if (i == hover_) return;
  hover_ = i;
  update();
  emit hovered(i);
}

void TokenStrip::mousePressEvent(QMouseEvent* event) {
  const int i = chipAt(event->position().toPoint());
  if (i >= 0) emit clicked(i);
}

void TokenStrip::leaveEvent(QEvent*) {
  if (hover_ == -1) return;
  hover_ = -1;
  update();
  emit hovered(-1);
}

}  // namespace attnviz::ui
