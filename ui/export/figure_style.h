// FigureStyle: what an author changes in an exported figure beyond format and size — title, font, colour map,
// colour bar and its label, token labels, light or dark background. The export dialog edits it (with a live
// preview) and remembers it as presets; panels that can honour a part say so with figureFeatures() and paint it
// in Panel::paintStyledFigure. A panel without title support still gets the title as a band above its figure.
//
//   FigureStyle style;  style.colormap = ColormapId::Greys;  style.colorBarLabel = "attention";
//   paintFigureWithStyle(*panel, painter, rect, style);
#pragma once

#include <QColor>
#include <QFlags>
#include <QJsonObject>
#include <QRectF>
#include <QString>
#include <optional>

#include "ui/maps/colormap.h"

class QPainter;

namespace attnviz::ui {

class Panel;
struct HeatmapData;
struct HeatmapStyle;

enum class FigureFeature {
  Title = 1,        // the panel draws the title itself (else a band above it)
  Colormap = 2,
  ColorBar = 4,     // on/off and a label
  TokenLabels = 8,
  Dark = 16,        // a dark background with light text
  Font = 32,        // family and size
  Selection = 64,   // the screen's selection highlight (pinned token) on or off
};
Q_DECLARE_FLAGS(FigureFeatures, FigureFeature)
Q_DECLARE_OPERATORS_FOR_FLAGS(FigureFeatures)
// Everything: what paintStyledHeatmap honours (the heatmap and alignment panels).
inline const FigureFeatures kHeatmapFigureFeatures = FigureFeature::Title | FigureFeature::Colormap | FigureFeature::ColorBar |
                                                     FigureFeature::TokenLabels | FigureFeature::Dark | FigureFeature::Font |
                                                     FigureFeature::Selection;

// What a painter with text, colours and a selection honours (arcs, saliency, grids, patches, charts, beams).
inline const FigureFeatures kTextFigureFeatures = FigureFeature::Title | FigureFeature::Font | FigureFeature::Dark |
                                                  FigureFeature::Selection;

struct FigureStyle {
  static constexpr double kScreenFontPoints = 0.0;  // "as on screen": every panel keeps its own text size
  static constexpr int kTitleBandScreenPixels = 12;  // the title band's text "as on screen"

  QString title;                       // empty: the panel's own title
  bool showTitle = true;
  std::optional<ColormapId> colormap;  // empty: as on screen
  bool showColorBar = true;
  QString colorBarLabel;
  bool showTokenLabels = true;
  bool dark = false;
  QString fontFamily;                  // empty: the application's
  double fontPoints = kScreenFontPoints;  // the figure's text size; kScreenFontPoints: each panel's on-screen size
  bool showSelection = false;          // the pinned token's highlight as on screen; off: a clean figure

  // Points at 96 dpi, the figure's logical pixels; `screenPixels` (the panel's size on screen) "as on screen".
  int fontPixelSize(int screenPixels) const;
  QColor background() const;
  QColor foreground() const;
  QString titleFor(const QString& own) const;
  // The family text is drawn in: the chosen one, else the one the application font resolves to ("DejaVu Sans", not
  // the generic "Sans Serif" an SVG viewer would replace with its own).
  QString resolvedFamily() const;  // the title to draw: this one, else the panel's own; empty when hidden
  void applyTo(HeatmapStyle& style) const;  // what a heatmap painter honours
  // What every other painter's style honours the same way: font family and size, light or dark background.
  template <typename PainterStyle>
  void applyText(PainterStyle& s) const {
    s.fontFamily = resolvedFamily();
    s.fontPixelSize = fontPixelSize(s.fontPixelSize);
    s.background = background();
    s.foreground = foreground();
  }
  QJsonObject toJson() const;               // presets (QSettings)
  static FigureStyle fromJson(const QJsonObject& json);  // unknown or malformed fields keep their defaults
  bool operator==(const FigureStyle&) const = default;
};

// The panel's figure with the style: the title as a band above it when the panel cannot draw one itself.
void paintFigureWithStyle(const Panel& panel, QPainter& painter, const QRectF& rect, const FigureStyle& style);
// A heatmap panel's styled figure: its data and on-screen style, with the figure style applied over them.
void paintStyledHeatmap(QPainter& painter, const QRectF& rect, const HeatmapData& data, HeatmapStyle style,
                        const FigureStyle& figure);
// What that figure at `size` leaves out ("10 of 19 row labels shown: ..."), empty when nothing.
QString styledHeatmapNote(const QSizeF& size, const HeatmapData& data, HeatmapStyle style, const FigureStyle& figure);

}  // namespace attnviz::ui
