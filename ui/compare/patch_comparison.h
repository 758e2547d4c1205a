// buildPatchTraceMaps: the maps of ONE vit trace side by side in the comparison view, as buildTraceMaps does for
// encoders, but each map is the query's row laid out on the patch grid over the image (HeatmapData::underlay), so
// layers, heads, raw attention, rollout and flow are compared as the Patches tab draws them.
// Query: [CLS]. Maps: (a) the last layer's mean over heads (the reference), rollout (the Workspace's fusion —
// mean when rollout is off — and discard ratio), attention flow once the Patches tab has computed it, the
// Selection's layer/head, then the mean over heads of every other layer, first to last.
//
//   Comparison c = buildPatchTraceMaps(ws, image);   // image: the trace's input, may be null (grey)
//   c.rows[0].map.rows == grid.rows;                  // cell (r, c) = weight of "patch r,c"
#pragma once

#include <QImage>
#include <optional>

#include "ui/compare/comparison.h"
#include "ui/kinds/vit/patch_painter.h"

namespace attnviz::ui {

Comparison buildPatchTraceMaps(const Workspace& workspace, const QImage& image);

// The patch grid of the shown trace when it is a vit trace with attention.self; nullopt otherwise.
std::optional<PatchGrid> shownPatchGrid(const Workspace& workspace);

}  // namespace attnviz::ui
