// HeadsGridPainter: THE paint function of the all-heads view — every layer x head of an encoder as a small
// heatmap thumbnail (rows = layers from the input up, columns = heads), the Selection's head outlined and the
// model's coreference head (ModelInfo::coreferenceHead, if any) marked. Thumbnails are QImages made once per trace
// (thumbnails()); painting only scales them, so repaints stay cheap for 12 x 12 heads of 512 tokens.
//
//   std::vector<QImage> t = HeadsGridPainter::thumbnails(attention);        // once per trace: [layers * heads]
//   HeadsGridData d{attention.layers, attention.heads, t, {1, 0}, {}, "..."};
//   HeadsGridPainter::paint(painter, rect, d);
//   LayerHead lh = HeadsGridPainter::hit(HeadsGridPainter::layout(rect, d), point);
#pragma once

#include <QColor>
#include <QImage>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <vector>

#include "ui/maps/encoder_attention.h"

class QPainter;

namespace attnviz::ui {

struct HeadsGridData {
  int layers = 0;
  int heads = 0;
  std::vector<QImage> thumbnails;  // [layers * heads], layer-major; each map scaled to its own maximum
  LayerHead current;               // outlined
  LayerHead coreference;           // marked when valid (ModelInfo::coreferenceHead)
  QString title;
  // Optional, [layers * heads]: a number printed in each cell (the knockout grid's values) where cells are large
  // enough to read it (kMinTextCell px), in black or white by the cell's colour.
  std::vector<QString> cellTexts;
  QString note;  // optional: a second legend line (the knockout grid's colour scale)
  // The thumbnails already scaled to scaledSide px (scaledThumbnails()): the screen draws these when the cells are
  // that size, instead of smooth-scaling 144 maps of 512 x 512 on every repaint. Figures use the originals.
  std::vector<QImage> scaled;
  int scaledSide = 0;
  bool empty() const { return layers <= 0 || heads <= 0; }
};

// The text and colours of the grid (figures: figure_style.h's applyText); the layout's text rows scale with the font.
struct HeadsGridStyle {
  int fontPixelSize = 12;
  QString fontFamily;  // empty: the application font's family
  QColor background = Qt::white;
  QColor foreground = QColor(0x20, 0x20, 0x20);
  bool showCurrent = true;  // the shown head's outline (the selection)
};

struct HeadsGridGeometry {
  QRectF grid;         // the thumbnails' area
  double cell = 0;     // thumbnail side, gaps excluded
  double pitch = 0;    // cell + gap
  int layers = 0;
  int heads = 0;
};

class HeadsGridPainter {
 public:
  static std::vector<QImage> thumbnails(const EncoderAttention& attention);
  // Every thumbnail at side x side px, as paint() would draw it (smooth when shrinking, nearest when enlarging).
  static std::vector<QImage> scaledThumbnails(const std::vector<QImage>& thumbnails, int side);
  static int screenSide(const HeadsGridGeometry& g);  // the side scaled thumbnails need for this layout
  static HeadsGridGeometry layout(const QRectF& rect, const HeadsGridData& data, const HeadsGridStyle& style = {});
  static QRectF cellRect(const HeadsGridGeometry& g, int layer, int head);
  static LayerHead hit(const HeadsGridGeometry& g, const QPointF& point);  // invalid outside every thumbnail
  static void paint(QPainter& painter, const QRectF& rect, const HeadsGridData& data, const HeadsGridStyle& style = {});
  static QSizeF naturalSize(const HeadsGridData& data);  // about 72 px thumbnails
};

}  // namespace attnviz::ui
