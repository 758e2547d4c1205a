#include "ui/kinds/han/saliency_painter.h"

#include <QFont>
#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "ui/maps/colormap.h"

namespace attnviz::ui {
namespace {

constexpr double kMargin = 8.0;
constexpr double kColumnGap = 20.0;   // between the attention and occlusion columns
constexpr double kNumberWidth = 38.0; // sentence weight as a number, left of its bar
constexpr double kBarWidth = 30.0;    // the longest sentence bar
constexpr double kGutter = kNumberWidth + kBarWidth + 8.0;  // left of the text in every column
constexpr double kWordPadX = 2.0;     // inside a word's background
constexpr double kWordGapX = 3.0;     // between words
constexpr double kSentenceGap = 6.0;  // between sentences
constexpr double kMinColumnWidth = kGutter + 80.0;
constexpr double kLegendWidth = 90.0;
constexpr double kLegendHeight = 10.0;
constexpr double kWhiteTextFrom = 0.55;  // attention shades darker than this take white text
const QColor kAttentionInk(0x1f, 0x5f, 0xa8);   // strongest word attention (blue, as in Yang et al.'s figures)
const QColor kSentenceInk(0xc0, 0x39, 0x2b);    // sentence attention bar (red)
const QColor kBand(0xff, 0xf3, 0xc4);           // focused sentence
const QColor kMuted(0x70, 0x70, 0x70);

QFont textFont(const SaliencyStyle& s) {
  QFont f;
  if (!s.fontFamily.isEmpty()) f.setFamily(s.fontFamily);
  f.setPixelSize(s.fontPixelSize);
  return f;
}

QFont smallFont(const SaliencyStyle& s) {
  QFont f;
  if (!s.fontFamily.isEmpty()) f.setFamily(s.fontFamily);
  f.setPixelSize(std::max(8, s.fontPixelSize - 3));
  return f;
}

double columnLeft(const SaliencyLayout& l, int column) { return kMargin + column * (l.columnWidth + kColumnGap); }

QColor blend(const QColor& a, const QColor& b, double t) {
  t = std::clamp(t, 0.0, 1.0);
  return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                          static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                          static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

constexpr float kShownZero = 0.005f;  // effects that print as 0.00 get no sign

QString signedText(float v) {
  if (std::isnan(v)) return QStringLiteral("–");
  if (std::abs(v) < kShownZero) return QStringLiteral("0.00");
  return (v >= 0 ? QStringLiteral("+") : QStringLiteral("−")) + QString::number(std::abs(v), 'f', 2);
}

QColor occlusionColour(float v, float maxAbs) {
  if (std::isnan(v) || !(maxAbs > 0)) return {};
  return Colormap::byId(ColormapId::RedBlue).color(0.5 + 0.5 * v / maxAbs);
}

// Background and text colour of word (s, w) in colouring c; topWeight and maxEffect are the document's maxima
// (maxShownWeight, maxAbsWordEffect), passed in so a paint computes them once. An invalid background: none.
SaliencyPainter::WordColours wordColoursWith(const HanDocument& doc, const SaliencyStyle& style, Colouring c, int s, int w,
                                             float topWeight, float maxEffect) {
  if (c == Colouring::Attention) {
    const float v = doc.shownWeight(s, w, style.scaleBySentence);
    const double t = topWeight > 0 && !std::isnan(v) ? v / topWeight : 0.0;
    return {blend(Qt::white, kAttentionInk, t), t > kWhiteTextFrom ? QColor(Qt::white) : style.foreground};
  }
  const float v = doc.wordEffect(s, w);
  const QColor bg = occlusionColour(v, maxEffect);
  return {bg, bg.isValid() ? Colormap::byId(ColormapId::RedBlue).textColorOn(0.5 + 0.5 * v / maxEffect) : kMuted};
}

// Sentence bar: attention weight (red, from the right edge of the gutter leftwards) or signed effect.
void paintSentenceBar(QPainter& p, const QRectF& bar, const HanDocument& doc, Colouring c, int s, const SaliencyStyle& style) {
  float value = 0;
  double fraction = 0;
  QColor ink = kSentenceInk;
  QString number;
  if (c == Colouring::Attention) {
    const float top = *std::max_element(doc.sentenceWeights.begin(), doc.sentenceWeights.end());
    value = doc.sentenceWeights[static_cast<std::size_t>(s)];
    fraction = top > 0 ? value / top : 0;
    number = QString::number(value, 'f', 2);
  } else {
    value = doc.sentenceEffect(s);
    const float m = doc.maxAbsSentenceEffect();
    fraction = std::isnan(value) || !(m > 0) ? 0 : std::abs(value) / m;
    ink = occlusionColour(value, m);
    number = doc.occlusion ? signedText(value) : QString();
  }
  if (fraction > 0) {
    const double w = std::max(1.5, bar.width() * fraction);
    p.fillRect(QRectF(bar.right() - w, bar.top(), w, bar.height()), ink);
  }
  p.setPen(QPen(QColor(0xc8, 0xc8, 0xc8), 0.6));
  p.drawLine(QPointF(bar.right() + 0.5, bar.top()), QPointF(bar.right() + 0.5, bar.bottom()));
  p.setFont(smallFont(style));
  p.setPen(kMuted);
  p.drawText(QRectF(bar.left() - kNumberWidth, bar.top(), kNumberWidth - 4, std::min(bar.height(), 40.0)),
             Qt::AlignRight | Qt::AlignTop, number);
}

void paintLegend(QPainter& p, const QRectF& box, const QColor& lo, const QColor& mid, const QColor& hi, const QString& left,
                 const QString& right, const SaliencyStyle& style) {
  QLinearGradient g(box.topLeft(), box.topRight());
  g.setColorAt(0, lo);
  g.setColorAt(0.5, mid);
  g.setColorAt(1, hi);
  p.fillRect(box, g);
  p.setPen(QPen(QColor(0x90, 0x90, 0x90), 0.6));
  p.setBrush(Qt::NoBrush);
  p.drawRect(box);
  p.setFont(smallFont(style));
  p.setPen(style.foreground);
  const QFontMetricsF fm(smallFont(style));
  p.drawText(QRectF(box.left() - 4 - fm.horizontalAdvance(left), box.center().y() - fm.height() / 2, fm.horizontalAdvance(left) + 1,
                    fm.height()),
             Qt::AlignRight | Qt::AlignVCenter, left);
  p.drawText(QRectF(box.right() + 4, box.center().y() - fm.height() / 2, fm.horizontalAdvance(right) + 2, fm.height()),
             Qt::AlignLeft | Qt::AlignVCenter, right);
}

}  // namespace

double SaliencyPainter::columnWidth(double totalWidth, const SaliencyStyle& style) {
  const int n = std::max<int>(1, static_cast<int>(style.columns.size()));
  return std::max(kMinColumnWidth, (totalWidth - 2 * kMargin - (n - 1) * kColumnGap) / n);
}

SaliencyLayout SaliencyPainter::layout(const HanDocument& doc, double columnWidth, const SaliencyStyle& style) {
  SaliencyLayout l;
  l.columnWidth = std::max(columnWidth, kMinColumnWidth);
  const QFontMetricsF fm(textFont(style));
  l.lineHeight = std::ceil(fm.height() + 5);
  const double textRight = l.columnWidth;
  const double textWidth = textRight - kGutter;
  double y = kSentenceGap / 2;
  l.sentences.reserve(static_cast<std::size_t>(doc.sentenceCount()));
  for (int s = 0; s < doc.sentenceCount(); ++s) {
    SaliencyLayout::Sentence out;
    out.top = y;
    double x = kGutter;
    for (const QString& word : doc.words[static_cast<std::size_t>(s)]) {
      const double w = std::min(fm.horizontalAdvance(word) + 2 * kWordPadX, textWidth);
      if (x + w > textRight && x > kGutter) {  // wrap: the word starts the next line
        x = kGutter;
        y += l.lineHeight;
      }
      out.words.emplace_back(x, y + 1, w, l.lineHeight - 2);
      x += w + kWordGapX;
    }
    out.bottom = y + l.lineHeight;
    y = out.bottom + kSentenceGap;
    l.sentences.push_back(std::move(out));
  }
  l.height = std::ceil(y - kSentenceGap / 2);
  return l;
}

double SaliencyPainter::headerHeight(const SaliencyStyle& style) {
  const double row = QFontMetricsF(textFont(style)).height() + 6;
  const bool occlusion = std::find(style.columns.begin(), style.columns.end(), Colouring::Occlusion) != style.columns.end();
  return kMargin + row * (occlusion ? 4 : 3) + 4;
}

QString SaliencyPainter::kendallText(const HanDocument& doc) {
  if (!doc.occlusion) return {};
  auto tau = [](double v) { return std::isnan(v) ? QStringLiteral("n/a") : QString::number(v, 'f', 2); };
  return QStringLiteral("Kendall τ (attention vs occlusion): words %1 · sentences %2")
      .arg(tau(doc.occlusion->kendallTauWord), tau(doc.occlusion->kendallTauSentence));
}

void SaliencyPainter::paintHeader(QPainter& p, const QRectF& rect, const HanDocument& doc, const SaliencyStyle& style) {
  p.save();
  p.setRenderHint(QPainter::TextAntialiasing, true);
  p.fillRect(rect, style.background);
  const QFont font = textFont(style);
  const QFontMetricsF fm(font);
  const double row = fm.height() + 6;
  double y = rect.top() + kMargin;
  QFont bold = font;
  bold.setBold(true);
  bold.setPixelSize(style.fontPixelSize + 1);
  p.setFont(bold);
  p.setPen(style.foreground);
  const QString prediction = doc.label.isEmpty() ? QStringLiteral("No prediction")
                                                 : QStringLiteral("Prediction: %1 (p = %2)").arg(doc.label, QString::number(doc.probability, 'f', 3));
  const double pw = QFontMetricsF(bold).horizontalAdvance(prediction) + 12;
  p.drawText(QRectF(rect.left() + kMargin, y, pw, row), Qt::AlignLeft | Qt::AlignVCenter, prediction);
  p.setFont(font);
  p.setPen(kMuted);
  p.drawText(QRectF(rect.left() + kMargin + pw, y, std::max(0.0, rect.width() - pw - 2 * kMargin), row), Qt::AlignLeft | Qt::AlignVCenter,
             fm.elidedText(doc.probabilities, Qt::ElideRight, std::max(0.0, rect.width() - pw - 2 * kMargin)));
  y += row;

  SaliencyLayout geometry;
  geometry.columnWidth = columnWidth(rect.width(), style);
  const QString label = doc.label.isEmpty() ? QStringLiteral("c") : doc.label;
  for (std::size_t k = 0; k < style.columns.size(); ++k) {
    const double left = rect.left() + columnLeft(geometry, static_cast<int>(k));
    const double width = geometry.columnWidth;
    QString title;
    if (style.columns[k] == Colouring::Attention) {
      title = style.scaleBySentence ? QStringLiteral("Attention: √sentence × word weight") : QStringLiteral("Attention: word weight in its sentence");
    } else {
      title = QStringLiteral("Occlusion: p(%1) − p(%1 without the unit)").arg(label);
    }
    QFont tf = font;
    tf.setBold(true);
    p.setFont(tf);
    p.setPen(style.foreground);
    p.drawText(QRectF(left, y, width, row), Qt::AlignLeft | Qt::AlignVCenter, QFontMetricsF(tf).elidedText(title, Qt::ElideRight, width));
    const double legendLeft = left + QFontMetricsF(smallFont(style)).horizontalAdvance(QStringLiteral("−0.000")) + 8;
    const QRectF box(legendLeft, y + row + (row - kLegendHeight) / 2, kLegendWidth, kLegendHeight);
    if (style.columns[k] == Colouring::Attention) {
      const float top = doc.maxShownWeight(style.scaleBySentence);
      paintLegend(p, box, Qt::white, blend(Qt::white, kAttentionInk, 0.5), kAttentionInk, QStringLiteral("0"),
                  QString::number(top, 'f', 2) + QStringLiteral("   bar: sentence weight"), style);
    } else if (doc.occlusion) {
      const Colormap& rb = Colormap::byId(ColormapId::RedBlue);
      const float m = doc.maxAbsWordEffect();
      paintLegend(p, box, rb.color(0), rb.color(0.5), rb.color(1), signedText(-m), signedText(m) + QStringLiteral("   red: supports ") + label + QStringLiteral(" · bar: sentence"), style);
    }
  }
  y += 2 * row;
  const bool occlusion = std::find(style.columns.begin(), style.columns.end(), Colouring::Occlusion) != style.columns.end();
  if (occlusion) {
    const QString text = doc.occlusion ? kendallText(doc) : style.occlusionStatus;
    p.setFont(font);
    p.setPen(doc.occlusion ? style.foreground : kMuted);
    p.drawText(QRectF(rect.left() + kMargin, y, rect.width() - 2 * kMargin, row), Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(text, Qt::ElideRight, rect.width() - 2 * kMargin));
  }
  p.restore();
}

QColor SaliencyPainter::wordBackground(const HanDocument& doc, const SaliencyStyle& style, Colouring c, int s, int w) {
  return wordColoursWith(doc, style, c, s, w, doc.maxShownWeight(style.scaleBySentence), doc.maxAbsWordEffect()).background;
}

std::vector<std::vector<SaliencyPainter::WordColours>> SaliencyPainter::wordColours(const HanDocument& doc, const SaliencyStyle& style,
                                                                                   Colouring c) {
  const float topWeight = doc.maxShownWeight(style.scaleBySentence);
  const float maxEffect = doc.maxAbsWordEffect();
  std::vector<std::vector<WordColours>> out(static_cast<std::size_t>(doc.sentenceCount()));
  for (int s = 0; s < doc.sentenceCount(); ++s)
    for (int w = 0; w < doc.wordCount(s); ++w) out[static_cast<std::size_t>(s)].push_back(wordColoursWith(doc, style, c, s, w, topWeight, maxEffect));
  return out;
}

QColor SaliencyPainter::sentenceBarColour() { return kSentenceInk; }

void SaliencyPainter::paintBody(QPainter& p, const QPointF& origin, const SaliencyLayout& l, const HanDocument& doc,
                                const SaliencyStyle& style, const QRectF& visible) {
  if (l.empty() || static_cast<int>(l.sentences.size()) != doc.sentenceCount()) return;
  p.save();
  p.setRenderHint(QPainter::Antialiasing, false);
  p.setRenderHint(QPainter::TextAntialiasing, true);
  const QFont font = textFont(style);
  const QFontMetricsF fm(font);
  // Sentences are stacked top to bottom: find the first one that reaches into view, stop past the last.
  const double top = visible.top() - origin.y();
  const double bottom = visible.bottom() - origin.y();
  const auto first = std::lower_bound(l.sentences.begin(), l.sentences.end(), top,
                                      [](const SaliencyLayout::Sentence& s, double y) { return s.bottom < y; });
  // Word colours are normalised by the document's maximum: compute it once per paint, not per word.
  const float topWeight = doc.maxShownWeight(style.scaleBySentence);
  const float maxEffect = doc.maxAbsWordEffect();
  for (std::size_t k = 0; k < style.columns.size(); ++k) {
    const Colouring c = style.columns[k];
    const double x0 = origin.x() + columnLeft(l, static_cast<int>(k));
    for (auto it = first; it != l.sentences.end() && it->top <= bottom; ++it) {
      const int s = static_cast<int>(it - l.sentences.begin());
      const QRectF block(x0, origin.y() + it->top, l.columnWidth, it->bottom - it->top);
      if (s == style.highlightSentence) p.fillRect(block.adjusted(-2, -kSentenceGap / 2 + 1, 2, kSentenceGap / 2 - 1), kBand);
      paintSentenceBar(p, QRectF(x0 + kNumberWidth, block.top() + 2, kBarWidth, block.height() - 4), doc, c, s, style);
      p.setFont(font);
      const QStringList& words = doc.words[static_cast<std::size_t>(s)];
      for (int w = 0; w < static_cast<int>(it->words.size()); ++w) {
        const QRectF box = it->words[static_cast<std::size_t>(w)].translated(x0, origin.y());
        const WordColours colours = wordColoursWith(doc, style, c, s, w, topWeight, maxEffect);
        if (colours.background.isValid()) p.fillRect(box, colours.background);
        p.setPen(colours.ink);
        p.drawText(box.adjusted(kWordPadX, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(words[w], Qt::ElideRight, box.width() - kWordPadX + 0.5));
        if (s == style.highlightSentence && w == style.highlightWord) {
          p.setBrush(Qt::NoBrush);
          p.setPen(QPen(QColor(0, 0, 0, 220), 2.0));
          p.drawRect(box.adjusted(-1, -1, 1, 1));
        }
      }
    }
  }
  p.restore();
}

void SaliencyPainter::paint(QPainter& p, const QRectF& rect, const HanDocument& doc, const SaliencyStyle& style) {
  p.save();
  p.fillRect(rect, style.background);
  const double header = headerHeight(style);
  paintHeader(p, QRectF(rect.left(), rect.top(), rect.width(), header), doc, style);
  if (doc.empty()) {
    p.setPen(style.foreground);
    p.drawText(rect.adjusted(0, header, 0, 0), Qt::AlignCenter, QStringLiteral("No document to show"));
  } else {
    const SaliencyLayout l = layout(doc, columnWidth(rect.width(), style), style);
    const QPointF origin(rect.left(), rect.top() + header);
    paintBody(p, origin, l, doc, style, QRectF(origin, QSizeF(rect.width(), l.height)));
  }
  p.restore();
}

QSizeF SaliencyPainter::figureSize(const HanDocument& doc, const SaliencyStyle& style, double width) {
  const SaliencyLayout l = layout(doc, columnWidth(width, style), style);
  return {std::ceil(width), std::ceil(headerHeight(style) + l.height + kMargin)};
}

SaliencyHit SaliencyPainter::hit(const SaliencyLayout& l, const SaliencyStyle& style, const QPointF& point) {
  SaliencyHit h;
  for (int k = 0; k < static_cast<int>(style.columns.size()); ++k) {
    const double left = columnLeft(l, k);
    if (point.x() >= left && point.x() < left + l.columnWidth) h.column = k;
  }
  if (h.column < 0) return h;
  const QPointF local(point.x() - columnLeft(l, h.column), point.y());
  const auto it = std::lower_bound(l.sentences.begin(), l.sentences.end(), local.y(),
                                   [](const SaliencyLayout::Sentence& s, double y) { return s.bottom < y; });
  if (it == l.sentences.end() || local.y() < it->top) return {h.column, -1, -1};
  h.sentence = static_cast<int>(it - l.sentences.begin());
  for (std::size_t w = 0; w < it->words.size(); ++w) {
    const QRectF& box = it->words[w];
    // A word owns half of the gap on either side, so moving along a line never falls between words.
    if (local.y() >= box.top() - 1 && local.y() < box.bottom() + 1 && local.x() >= box.left() - kWordGapX / 2 &&
        local.x() < box.right() + kWordGapX / 2) {
      h.word = static_cast<int>(w);
      break;
    }
  }
  return h;
}

QRectF SaliencyPainter::wordRect(const SaliencyLayout& l, const SaliencyStyle&, int column, int sentence, int word) {
  if (sentence < 0 || sentence >= static_cast<int>(l.sentences.size())) return {};
  const auto& words = l.sentences[static_cast<std::size_t>(sentence)].words;
  if (word < 0 || word >= static_cast<int>(words.size())) return {};
  return words[static_cast<std::size_t>(word)].translated(columnLeft(l, column), 0);
}

QRectF SaliencyPainter::sentenceBarRect(const SaliencyLayout& l, const SaliencyStyle&, int column, int sentence) {
  if (sentence < 0 || sentence >= static_cast<int>(l.sentences.size())) return {};
  const auto& s = l.sentences[static_cast<std::size_t>(sentence)];
  return QRectF(columnLeft(l, column) + kNumberWidth, s.top + 2, kBarWidth, s.bottom - s.top - 4);
}

}  // namespace attnviz::ui
