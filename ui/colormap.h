// Colormap: perceptually uniform colour maps for attention weights.
//
//   const Colormap& cm = Colormap::byId(ColormapId::Viridis);
//   QRgb c = cm.rgb(0.25);                 // t in [0, 1], clamped; NaN maps to mid grey
//   QVector<QRgb> lut = cm.table(256);     // for QImage::Format_Indexed8 or a colour bar
//
// Viridis and magma are the matplotlib maps (van der Walt & Smith, 2015, CC0): every 8th entry of the
// published 256-entry tables plus the last, interpolated linearly in sRGB between them (the largest
// difference from the full table is below 1/255 per channel). Greys runs from white to black, like
// matplotlib's "Greys", so high weights stay dark on paper.
#pragma once

#include <QColor>
#include <QString>
#include <QVector>
#include <span>
#include <vector>

namespace attnviz::ui {

enum class ColormapId { Viridis, Magma, Greys };

class Colormap {
 public:
  struct Anchor {
    float r, g, b;  // sRGB, 0..1
  };

  static const Colormap& byId(ColormapId id);
  static std::vector<ColormapId> all();

  ColormapId id() const { return id_; }
  QString name() const { return name_; }  // "viridis", "magma", "greys"
  QRgb rgb(double t) const;
  QColor color(double t) const { return QColor::fromRgb(rgb(t)); }
  QVector<QRgb> table(int size) const;
  // Black or white, whichever reads better on colour rgb(t) (for numbers printed inside cells).
  QColor textColorOn(double t) const;

 private:
  Colormap(ColormapId id, QString name, std::span<const Anchor> anchors)
      : id_(id), name_(std::move(name)), anchors_(anchors) {}
  ColormapId id_;
  QString name_;
  std::span<const Anchor> anchors_;  // evenly spaced over [0, 1]
};

}  // namespace attnviz::ui
