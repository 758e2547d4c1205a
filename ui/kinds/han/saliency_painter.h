// SaliencyPainter: THE paint function of the han document views — the document as text, each word on a
// background showing its attention (or its signed occlusion effect), a bar beside each sentence showing its
// weight (or effect), the prediction on top. One or more colourings side by side (attention | occlusion)
// share one layout, so the same word sits on the same line in every column. The saliency panel, the
// occlusion panel and figure export (PNG/SVG/PDF, the whole document) all paint through it.
//
//   SaliencyStyle style;  style.columns = {Colouring::Attention, Colouring::Occlusion};
//   SaliencyLayout l = SaliencyPainter::layout(doc, SaliencyPainter::columnWidth(width, style), style);  // once per doc/width
//   SaliencyPainter::paintBody(painter, {0, 0}, l, doc, style, visibleRect);   // only lines in visibleRect
//   SaliencyPainter::paint(painter, QRectF(0, 0, 800, 2400), doc, style);       // header + whole document
//   SaliencyHit h = SaliencyPainter::hit(l, style, point);                      // h.sentence, h.word
//
// Sizes are logical pixels; fonts use pixel sizes, so scaled painters (high-DPI PNG, PDF) scale text too.
#pragma once

#include <QColor>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <vector>

#include "ui/kinds/han/han_document.h"

class QPainter;

namespace attnviz::ui {

enum class Colouring {
  Attention,  // word: attention (optionally x sqrt(sentence weight)), sequential blue; sentence bar: weight
  Occlusion,  // word / sentence: p(c|doc) - p(c|doc without it), diverging red (supports c) / blue (against)
};

struct SaliencyStyle {
  std::vector<Colouring> columns{Colouring::Attention};
  bool scaleBySentence = true;  // attention colour = sqrt(sentence weight) x word weight (Yang et al. 2016)
  int fontPixelSize = 13;
  QString fontFamily;           // empty: the application font's family
  int highlightSentence = -1;   // focused sentence (band), -1 for none
  int highlightWord = -1;       // focused word of that sentence (frame), -1 for none
  QString occlusionStatus;      // header text while occlusion is not there: "computing… 40%"
  QColor background = Qt::white;
  QColor foreground = QColor(0x20, 0x20, 0x20);
};

// Where every word lies, relative to a column's top-left corner; the same for every column.
struct SaliencyLayout {
  struct Sentence {
    double top = 0;
    double bottom = 0;
    std::vector<QRectF> words;  // [words_i] boxes
  };
  std::vector<Sentence> sentences;
  double columnWidth = 0;
  double height = 0;      // of the whole body
  double lineHeight = 0;
  bool empty() const { return sentences.empty(); }
};

struct SaliencyHit {
  int column = -1;
  int sentence = -1;
  int word = -1;  // -1 on a sentence's bar or between its words
};

class SaliencyPainter {
 public:
  static double columnWidth(double totalWidth, const SaliencyStyle& style);
  static SaliencyLayout layout(const HanDocument& doc, double columnWidth, const SaliencyStyle& style);
  static double headerHeight(const SaliencyStyle& style);
  // Prediction, per-column titles with colour legends, Kendall tau / occlusion status.
  static void paintHeader(QPainter& painter, const QRectF& rect, const HanDocument& doc, const SaliencyStyle& style);
  // Sentences whose lines meet `visible` (body coordinates, origin at `origin`), in every column.
  static void paintBody(QPainter& painter, const QPointF& origin, const SaliencyLayout& layout, const HanDocument& doc,
                        const SaliencyStyle& style, const QRectF& visible);
  // A figure: header and the whole document, laid out at rect's width.
  static void paint(QPainter& painter, const QRectF& rect, const HanDocument& doc, const SaliencyStyle& style);
  // Height the whole document needs at `width` (header included).
  static QSizeF figureSize(const HanDocument& doc, const SaliencyStyle& style, double width);
  // Body point (origin at the body's top-left) -> column, sentence, word.
  static SaliencyHit hit(const SaliencyLayout& layout, const SaliencyStyle& style, const QPointF& point);
  // A word's box in body coordinates, in `column`.
  static QRectF wordRect(const SaliencyLayout& layout, const SaliencyStyle& style, int column, int sentence, int word);
  // The sentence bar's rectangle in body coordinates, in `column`.
  static QRectF sentenceBarRect(const SaliencyLayout& layout, const SaliencyStyle& style, int column, int sentence);
  static QColor wordBackground(const HanDocument& doc, const SaliencyStyle& style, Colouring colouring, int sentence, int word);
  // Each word's background (invalid: none, e.g. occlusion not computed) and the text colour that reads on it, as
  // painted: [sentences][words_i], the document's maxima computed once.
  struct WordColours {
    QColor background;
    QColor ink;
  };
  static std::vector<std::vector<WordColours>> wordColours(const HanDocument& doc, const SaliencyStyle& style, Colouring colouring);
  static QColor sentenceBarColour();  // the attention sentence bar's colour
  static QString kendallText(const HanDocument& doc);  // "Kendall τ (attention, occlusion): words 0.21 · sentences 0.45"
};

}  // namespace attnviz::ui
