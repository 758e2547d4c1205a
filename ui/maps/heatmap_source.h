// heatmap_source: which 2-D maps a Trace offers and how to cut one out as HeatmapData.
//
//   for (const MapKey& k : availableMaps(trace)) ...      // "self", "rollout", "cross", ...
//   HeatmapData d = extractMap(trace, {"self", layer, head});
//
// Axes: "self" [layers, heads, N, N] rows and columns are tokens.source; "rollout" [N, N] the same; the token
// contribution maps (contributions.h: "value_norm" [L, H, N, N], "value_norm_sum", "alti" and "globenc" [L, N, N],
// "alti_rollout" and "globenc_rollout" [N, N]; value_zeroing.h: "value_zeroing" [L, N, N], "value_zeroing_rollout"
// [N, N]) too, rows the output token and columns the input token it draws on;
// "cross" [T, S] rows are tokens.target, columns tokens.source; any other rank-2 map is shown with
// source tokens when the sizes match and indices otherwise; a rank-1 map (e.g. han "sentence") is one row.
// Ragged maps (Trace::raggedAttention, han "word": one [words_i] per sentence) are padded into
// [sentences, longest sentence] with NaN past each sentence's end: rows are sentences (Selection row),
// column c is word c of its sentence (Selection column), HeatmapData::cellLabels name the words.
#pragma once

#include <QString>
#include <vector>

#include "engine/analysis/value_zeroing.h"
#include "engine/api/model.h"
#include "engine/api/trace.h"
#include "ui/maps/heatmap_data.h"

namespace attnviz::ui {

struct MapKey {
  QString name;   // trace attention name
  int layer = 0;  // used by layered maps ("self")
  int head = 0;
};

struct MapInfo {
  QString name;
  bool layered = false;  // [layers, heads, rows, cols], or [layers, rows, cols] (perHead false: heads is 1)
  bool perHead = false;
  int layers = 0;
  int heads = 0;
};

// Maps in display order: "self", "rollout", "cross", then the rest by name.
// The token contribution maps a run adds with RunOptions::contributions, in display order.
// "value_norm", "value_norm_sum", "alti", "alti_rollout", "globenc", "globenc_rollout": a Map choice reruns the model
// on the inference worker. Value zeroing (one layer pass per token and layer) is not among them: the window computes
// it in the background instead (kValueZeroingMapNames, below).
extern const char* const kContributionMapNames[6];
// The RNN models' weighted norms (weighted_norms.h), value norm's analogue a_j ‖h_j‖: "cross_norm" of an RNN's
// [T, S] "cross", "word_norm" of han's "word", "sentence_norm" of its "sentence".
extern const char* const kWeightedNormMapNames[3];
// The weighted norm maps this trace would have with value norm on (those of its maps above it has).
std::vector<QString> weightedNormMapsOf(const attnviz::Trace& trace);
// A map a run adds when its method is on (withMethodOf): kContributionMapNames and kWeightedNormMapNames.
bool isContributionMap(const QString& name);
// `methods` with the method that makes contribution map `name` turned on (value_norm* and the weighted norms:
// valueNorm, alti*: alti, globenc*: globenc).
attnviz::ContributionSet withMethodOf(const QString& name, attnviz::ContributionSet methods);
std::vector<MapInfo> availableMaps(const attnviz::Trace& trace);

// Value zeroing's maps, "value_zeroing" [L, N, N] and "value_zeroing_rollout" [N, N]: the window computes them in the
// background (DerivedResults::startValueZeroing: one layer pass per token and layer, with progress and cancel)
// instead of rerunning the model, unless the trace carries them (attnviz run --method value-zeroing).
extern const char* const kValueZeroingMapNames[2];
bool isValueZeroingMap(const QString& name);
MapInfo valueZeroingMapInfo(const QString& name, const attnviz::ValueZeroing& v);  // its layers, for the Layer box
// The map `key` names, cut from v and labelled with the trace's tokens as extractMap would if the trace carried it.
HeatmapData valueZeroingMap(const attnviz::Trace& trace, const attnviz::ValueZeroing& v, const MapKey& key);

// Throws attnviz::InternalError if the name is missing or the shape is not one listed above;
// layer and head are clamped into range.
HeatmapData extractMap(const attnviz::Trace& trace, const MapKey& key);

// A short human title: "self-attention · layer 1/2 · head 2/2".
QString mapTitle(const MapInfo& info, const MapKey& key);

}  // namespace attnviz::ui
