// ArcsPainter: THE paint function of the encoder arcs view — the tokens as running text (wrapped lines) or as
// two columns (queries left, keys right, as BertViz draws them), and arcs from the focused token to every token
// it attends to, width and opacity by weight, one colour per head. Arcs under a weight threshold are left out
// (level of detail: a 512-token input stays readable). The view (arcs_view.h) and figure export paint through it.
//
//   ArcsData d = ...;  ArcsStyle s;  s.focus = 3;                        // group 3's arcs
//   ArcsLayout l = ArcsPainter::layout(d, s, width);                     // once per data/style/width
//   std::vector<Arc> arcs = ArcsPainter::arcs(d, s);                     // once per focus change
//   ArcsPainter::paintBody(painter, {0, 0}, l, d, s, arcs, visibleRect);
//   ArcsPainter::paint(painter, QRectF(0, 0, 800, 600), d, s);           // a figure: header + body
//   int g = ArcsPainter::hit(l, point);                                  // group under a body point, -1 if none
//
// Sizes are logical pixels; fonts use pixel sizes, so scaled painters (high-DPI PNG, PDF) scale text too.
#pragma once

#include <QColor>
#include <QPainterPath>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <vector>

#include "ui/maps/encoder_attention.h"

class QPainter;

namespace attnviz::ui {

enum class ArcsLayoutKind {
  Text,     // running text, wrapped; arcs above the lines
  Columns,  // queries in a left column, keys in a right one, straight lines between (BertViz)
};

// ArcsData::heads entry for a coreference model's pointer head (coreference_pointer.h): its distribution drawn as
// arcs from each pronoun, named "coreference pointer", in a colour no attention head has.
inline constexpr int kPointerHead = -1;
// ArcsData::heads entry for the layer's ALTI contributions (attention.alti): not a head either.
inline constexpr int kAltiContributions = -3;

// What the arcs view shows: one layer's attention among shown tokens (or merged words), for one or more heads.
struct ArcsData {
  std::vector<TokenGroup> groups;        // shown tokens or words, in order
  std::vector<int> heads;                // shown heads (model indices, or kPointerHead), colour by index
  std::vector<std::vector<float>> maps;  // per shown head: [groups, groups], rows = query, columns = key
  int layer = 0;
  int layers = 0;
  int modelHeads = 0;
  QString title;                         // "self-attention · layer 1/2 · all heads"
  bool empty() const { return groups.empty() || maps.empty(); }
  int size() const { return static_cast<int>(groups.size()); }
  float weight(int slot, int from, int to) const {
    return maps[static_cast<std::size_t>(slot)][static_cast<std::size_t>(from) * groups.size() + to];
  }
};

struct ArcsStyle {
  ArcsLayoutKind kind = ArcsLayoutKind::Text;
  double threshold = 0.02;  // arcs with a smaller weight are not drawn
  int fontPixelSize = 15;
  QString fontFamily;       // empty: the application font's family
  int focus = -1;           // group whose arcs are drawn (hovered or pinned), -1 for none
  bool pinned = false;
  int keyHighlight = -1;    // a key group focused elsewhere (Selection column), outlined
  QColor background = Qt::white;
  QColor foreground = QColor(0x20, 0x20, 0x20);
};

struct ArcsLayout {
  ArcsLayoutKind kind = ArcsLayoutKind::Text;
  std::vector<QRectF> queries;  // per group; Text: the token's box
  std::vector<QRectF> keys;     // per group; Text: the same boxes as queries
  double width = 0;
  double height = 0;
  double arcRoom = 0;           // Text: free space above each line for arcs
  bool empty() const { return queries.empty(); }
};

struct Arc {
  int from = 0;   // query group
  int to = 0;     // key group
  int slot = 0;   // index into ArcsData::heads
  float weight = 0;
};

class ArcsPainter {
 public:
  static ArcsLayout layout(const ArcsData& data, const ArcsStyle& style, double width);
  // Arcs of style.focus above the threshold, every shown head, weakest first (strong ones are drawn on top).
  // Columns with nothing focused: every arc above the threshold. Text with nothing focused: none.
  static std::vector<Arc> arcs(const ArcsData& data, const ArcsStyle& style);
  static QPainterPath arcPath(const ArcsLayout& layout, const Arc& arc, int slotCount);
  static double headerHeight(const ArcsStyle& style);
  static void paintHeader(QPainter& painter, const QRectF& rect, const ArcsData& data, const ArcsStyle& style);
  // Tokens and the given arcs whose lines meet `visible` (body coordinates, body origin at `origin`).
  static void paintBody(QPainter& painter, const QPointF& origin, const ArcsLayout& layout, const ArcsData& data,
                        const ArcsStyle& style, const std::vector<Arc>& arcs, const QRectF& visible);
  // A figure: header and the whole body, laid out at rect's width.
  static void paint(QPainter& painter, const QRectF& rect, const ArcsData& data, const ArcsStyle& style);
  static QSizeF figureSize(const ArcsData& data, const ArcsStyle& style, double width);
  // Group under a body point (either column in Columns), -1 if none.
  static int hit(const ArcsLayout& layout, const QPointF& point);
  static QColor headColor(int head);  // one colour per model head, the same in every panel
  static QString headName(int head);  // "head 3" (1-based), "coreference pointer" or "ALTI"
  static double strokeWidth(float weight);
};

}  // namespace attnviz::ui
