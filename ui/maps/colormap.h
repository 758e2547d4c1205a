// Colormap: perceptually uniform colour maps for attention weights.
//
//   const Colormap& cm = Colormap::byId(ColormapId::Viridis);
//   QRgb c = cm.rgb(0.25);                 // t in [0, 1], clamped; NaN maps to mid grey
//   QVector<QRgb> lut = cm.table(256);     // for QImage::Format_Indexed8 or a colour bar
//
// Viridis and magma are the matplotlib maps (van der Walt & Smith, 2015, CC0): every 8th entry of the
// published 256-entry tables plus the last, interpolated linearly in sRGB between them (within 2/255 per
// channel of the full table; tests/ui/test_colormap.cpp checks entries between anchors). Greys runs from white to black, like
// matplotlib's "Greys", so high weights stay dark on paper. RedBlue is the diverging ColorBrewer RdBu
// (9 classes, reversed: blue for negative, near-white at the middle, red for positive), for differences;
// all() lists only the sequential maps.
#pragma once

#include <QColor>
#include <QString>
#include <QVector>
#include <span>
#include <vector>

namespace attnviz::ui {

enum class ColormapId { Viridis, Magma, Greys, RedBlue };

class Colormap {
 public:
  struct Anchor {
    float r, g, b;  // sRGB, 0..1
  };

  static const Colormap& byId(ColormapId id);
  static std::vector<ColormapId> all();

  ColormapId id() const { return id_; }
  QString name() const { return name_; }  // "viridis", "magma", "greys"
  bool diverging() const { return id_ == ColormapId::RedBlue; }
  QRgb rgb(double t) const;
  QColor color(double t) const { return QColor::fromRgb(rgb(t)); }
  QVector<QRgb> table(int size) const;
  // Black or white, whichever reads better on colour rgb(t) (for numbers printed inside cells).
  QColor textColorOn(double t) const;
  // Black or white, whichever reads better on `fill`: text over what a cell really shows (a blend over an image, a
  // mark), not only the colour map's colour.
  static QColor textColorOnFill(QRgb fill);

 private:
  Colormap(ColormapId id, QString name, std::span<const Anchor> anchors, std::size_t stride)
      : id_(id), name_(std::move(name)), anchors_(anchors), stride_(stride) {}
  ColormapId id_;
  QString name_;
  std::span<const Anchor> anchors_;  // entries 0, stride, 2*stride, ..., 255 of a 256-entry table
  std::size_t stride_;
};

}  // namespace attnviz::ui
