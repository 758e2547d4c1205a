// gold_alignment: a seq2seq trace against a gold sentence — the model's argmax alignment over words,
// its AER (Och & Ney 2003), and the marks the alignment heatmap draws (engine/align does the maths).
//
//   SentenceAlignment a = alignToGold(*trace, gold.at(3));
//   if (a.comparable) a.counts.aer();    // else a.why says what did not match
//   data.marks = linkMarks(*trace, method);    // red dots: the links the method reads, token by token
//
// Gold positions count words of the pre-tokenised gold sentence; the model may split a word into
// several tokens ("aujourd'hui" -> "aujourd'" "hui"). attnviz::alignWords (engine/align/word_alignment.h)
// maps words to tokens and links them, exactly as `attnviz align` and the corpus AER do; the trailing
// special tokens (<eos>) are not words.
#pragma once

#include <QString>
#include <vector>

#include "engine/align/word_alignment.h"
#include "engine/api/trace.h"
#include "ui/alignment/gold_set.h"
#include "ui/maps/heatmap_data.h"

namespace attnviz::ui {

// Number of leading tokens that are words: all but the trailing special tokens.
int wordTokenCount(const std::vector<std::string>& tokens);

struct SentenceAlignment {
  bool comparable = false;
  QString why;                      // when not comparable
  attnviz::LinkSet predicted;       // (source word, target word)
  attnviz::AerCounts counts;
  std::vector<HeatmapMark> goldMarks;  // token cells [target token, source token]: filled = sure, hollow = possible
  // The predicted word links as dots: the target word's first token by each token of the source word (what AER
  // scored; with words split into pieces these differ from linkMarks' token-level links).
  std::vector<HeatmapMark> predictedMarks;
};

// The gold sentence's words against the trace's tokens; the trace's target must be the gold target's
// tokens, else not comparable with why. options.targetForced: the caller force-decoded gold.targetText(), so
// a target cut short by the token limit still counts, its words past the cut unlinked (the corpus AER and
// `attnviz align` do this); a trace from elsewhere (the sentence AER of the shown trace) leaves it false.
SentenceAlignment alignToGold(const attnviz::Trace& trace, const GoldSentence& gold,
                              const attnviz::WordAlignmentOptions& options = {});

// One dot per link the method reads from the trace's cross map, at token level (each token its own word):
// argmax -> each target token's highest-weight source token; Shift-Att reads the next row; threshold many-to-many.
// The map is selectCrossMap(cross, method.layer, method.head) (engine/align/extraction.h). Empty without a map.
std::vector<HeatmapMark> linkMarks(const attnviz::Trace& trace, const attnviz::ExtractionMethod& method = {});

// The [T, S] map the method reads: cross itself ([T, S]) or its layer/head (or mean) of [L, H, T, S]; the
// layer and head are clamped to the map. Throws attnviz::Error when the trace has no cross map.
attnviz::Tensor crossMapFor(const attnviz::Trace& trace, const attnviz::ExtractionMethod& method);
// The method with its layer and head fitted to the trace's map: an index past it (chosen for another model)
// becomes -1, the mean over that axis. Shift-Att is dropped for a model without decoder steps (an aligner), as
// attnviz align refuses it there; the panel's method box shows what is used.
attnviz::ExtractionMethod methodFor(const attnviz::Trace& trace, const attnviz::ExtractionMethod& method);
// Layers and heads of the trace's cross map: {0, 0} for a [T, S] map (or none).
std::pair<int, int> crossLayersHeads(const attnviz::Trace& trace);
// "layer 2, head 1" / "mean of all layers and heads" for a layered map, empty for a [T, S] one, and the method
// ("argmax", "shift-att+threshold:0.3"): the words a title uses.
QString crossMapTitle(const attnviz::Trace& trace, const attnviz::ExtractionMethod& method);

// The map the method reads as a heatmap: target tokens x source tokens, titled "cross · layer 2, mean of heads"
// (a [T, S] map: "cross"). Throws attnviz::Error when the trace has no cross map.
HeatmapData crossHeatmap(const attnviz::Trace& trace, const attnviz::ExtractionMethod& method);

// Legend names for the marks above.
void nameAlignmentMarks(HeatmapData& data);

}  // namespace attnviz::ui
