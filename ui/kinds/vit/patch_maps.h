// patch_maps: the overlays of a vit trace's attention.self [layers, heads, tokens, tokens], cut to the patch grid:
// a query's row for one head, its mean over the layer's heads, and every head's top patches (the DINO figure:
// Caron et al. 2021 colour each head's most attended patches of the [CLS] row in its own colour).
//
//   const attnviz::Tensor* self = selfAttention(trace);
//   PatchOverlay o = headRow(*self, grid, layer, head, /*query=*/0, title);
//   PatchOverlay t = topPatchesPerHead(*self, grid, layer, 0, kTopPatchFraction, title);   // t.heads: bit masks
#pragma once

#include <QString>

#include "engine/api/trace.h"
#include "ui/kinds/vit/patch_painter.h"

namespace attnviz::ui {

constexpr double kTopPatchFraction = 0.1;  // of the patches, per head, for the multi-head overlay

const attnviz::Tensor* selfAttention(const attnviz::Trace& trace);  // rank-4 attention.self, or nullptr

PatchOverlay headRow(const attnviz::Tensor& self, const PatchGrid& grid, int layer, int head, int query, QString title);
PatchOverlay meanRow(const attnviz::Tensor& self, const PatchGrid& grid, int layer, int query, QString title);
// values: the query's mean row; heads[p]: bit h set when patch p is among head h's round(fraction * patches)
// (at least 1) largest weights of that row. At most 32 heads.
PatchOverlay topPatchesPerHead(const attnviz::Tensor& self, const PatchGrid& grid, int layer, int query, double fraction,
                               QString title);

}  // namespace attnviz::ui
