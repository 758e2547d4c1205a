// PatchPainter: a vit image with an attention overlay over its patch grid — the one paint function for the
// Patches tab on screen and for every figure format (STYLE.md 15). The image is scaled with nearest
// neighbour (crisp pixels); each patch is filled with the colour of its weight, at the style's opacity.
//
//   std::optional<PatchGrid> g = patchGrid(trace.sourceTokens);        // "patch r,c" tokens -> rows x cols
//   PatchOverlay o = queryOverlay(self, *g, layer, head, /*query=*/0);  // [CLS] -> every patch
//   paintPatches(painter, rect, QImage(path), o, PatchStyle{});
#pragma once

#include <QImage>
#include <QRectF>
#include <QString>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ui/maps/colormap.h"

class QPainter;

namespace attnviz::ui {

// Where the patch tokens sit in tokens.source: "patch 0,0" at firstToken, then row-major up to "patch r,c".
struct PatchGrid {
  int rows = 0;
  int cols = 0;
  int firstToken = 0;  // token index of patch 0,0 (1 after [CLS], 2 after [CLS] [DIST])
  int count() const { return rows * cols; }
  int tokenOf(int patch) const { return firstToken + patch; }
  int patchOf(int token) const { return token >= firstToken && token < firstToken + count() ? token - firstToken : -1; }
};

// From the last token's name "patch r,c" (rows x cols may differ with --native-size); nullopt without patches.
std::optional<PatchGrid> patchGrid(const std::vector<std::string>& tokens);

// One weight per patch, row-major [rows, cols]: what the overlay colours.
struct PatchOverlay {
  PatchGrid grid;
  std::vector<float> values;
  QString title;  // e.g. "[CLS] → patches · layer 2 · head 1"
  // Multi-head overlay (patch_maps.h topPatchesPerHead): per patch, bit h set when it is among head h's top
  // patches; painted in the heads' colours (mixed where heads share a patch) with a legend instead of the colour
  // bar. Empty: the values are painted through the colour map.
  std::vector<std::uint32_t> heads;
  int headCount = 0;
  bool empty() const { return values.empty(); }
};

// Head h's colour of headCount in the multi-head overlay: hues spread around the colour wheel.
QColor headColour(int head, int headCount);

// The row `query` of a [tokens, tokens] map (row-major) cut to the patch columns.
PatchOverlay overlayFromRow(const float* map, int tokens, const PatchGrid& grid, int query, QString title);

struct PatchStyle {
  ColormapId colormap = ColormapId::Viridis;
  double opacity = 0.6;   // of the overlay over the image, 0..1
  bool grid = true;       // thin lines between patches
  bool colorBar = true;   // with the title above, for figures and the screen
  int focusedPatch = -1;  // outlined; -1: none
  // Colour scale: [min, max] of the overlay (derived maps such as flow vary little over a large base, and from 0 the
  // whole image would be one colour); false: [0, max]. The colour bar says which.
  bool fromMin = false;
};

struct PatchLayout {
  QRectF title;
  QRectF image;     // the image, aspect kept, patches cover it
  QRectF colorBar;  // empty when !style.colorBar
};

PatchLayout patchLayout(const QRectF& rect, const QSize& imageSize, const PatchStyle& style);
// The patch under a point of the layout's image, or -1.
int patchAt(const PatchLayout& layout, const PatchGrid& grid, const QPointF& point);
// The colour scale of the overlay: [0, max], or [min, max] with style.fromMin.
std::pair<float, float> overlayRange(const PatchOverlay& overlay, const PatchStyle& style);
// The overlay colour of a weight: the colour map over overlayRange.
QRgb overlayColour(const PatchOverlay& overlay, const PatchStyle& style, float value);

// Title, image with overlay, grid, focused patch, colour bar — into rect. A null image paints a grey square.
void paintPatches(QPainter& painter, const QRectF& rect, const QImage& image, const PatchOverlay& overlay,
                  const PatchStyle& style);
// Only the image with its overlay (no title, no colour bar), filling rect: figures at the image's own size.
void paintPatchImage(QPainter& painter, const QRectF& rect, const QImage& image, const PatchOverlay& overlay,
                     const PatchStyle& style);

}  // namespace attnviz::ui
