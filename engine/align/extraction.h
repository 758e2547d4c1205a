// Alignment extraction: how word links are read from a seq2seq trace's cross-attention, for `attnviz align
// --method`, the alignment view and the comparison grid.
//
//   ExtractionMethod m = parseExtractionMethod("shift-att", "--method");   m.layer = 2; m.head = -1;
//   Tensor map = selectCrossMap(trace.attention.at("cross"), m.layer, m.head);   // [T, S]
//   LinkSet links = extractWordAlignment(map, targetSpans, sourceSpans, m);
//
// Rules (a target word's weight for a source word is the sum of the source word's tokens' attention in the target
// word's row):
//   argmax      each target word is linked to its highest-weight source word (ties: the first), as before;
//   threshold   many-to-many: each target word is linked to every source word whose weight is at least the
//               threshold (none when no weight reaches it).
// The row of target word t: the row of its first token (the step that emits it), or with Shift-Att (Chen et al.
// 2020, "Accurate Word Alignment Induction from Neural Machine Translation") the row after it: the step that reads
// that token as decoder input. A word whose shifted row is past the map (a cut decoding) gets no link.
// Maps: the RNN models' cross [T, S] is the map; a transformer's [L, H, T, S] gives one per layer and head, or
// their mean over heads (head -1), over layers (layer -1) or over both.
#pragma once

#include <string>
#include <string_view>

#include "engine/align/alignment.h"
#include "engine/core/tensor.h"

namespace attnviz {

enum class ExtractionRule { Argmax, Threshold };

struct ExtractionMethod {
  ExtractionRule rule = ExtractionRule::Argmax;
  bool shift = false;        // Shift-Att: read the row of the step that takes the word's first token as input
  double threshold = 0.5;    // ExtractionRule::Threshold: the least weight linked, in (0, 1]
  int layer = -1, head = -1; // transformer maps: -1 averages over that axis; ignored for [T, S] maps
};

// "argmax", "shift-att" (shift + argmax), "threshold" or "threshold:0.3", "shift-att+threshold:0.3".
// Throws UsageError(where) naming the accepted forms.
ExtractionMethod parseExtractionMethod(std::string_view text, const std::string& where);
// The rule and shift as parseExtractionMethod reads them: "argmax", "shift-att+threshold:0.3".
std::string extractionRuleName(const ExtractionMethod& method);
// "layer 2, head 1" / "layer 2, mean of heads" / "mean of all layers and heads" (1-based, as the views show them).
std::string crossMapName(int layer, int head);

// cross: [T, S] (returned as is) or [L, H, T, S] -> [T, S]: one layer and head, or the mean over the axes given as
// -1. Layer or head past the map: InternalError (callers clamp or check first).
Tensor selectCrossMap(const Tensor& cross, int layer, int head);

// map: [T, S] with T target tokens and S source tokens; the spans as in argmaxWordAlignment (alignment.h).
LinkSet extractWordAlignment(const Tensor& map, const WordSpans& target, const WordSpans& source,
                             const ExtractionMethod& method);

}  // namespace attnviz
