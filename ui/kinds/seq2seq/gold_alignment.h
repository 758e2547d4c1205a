// gold_alignment: a seq2seq trace against a gold sentence — the model's argmax alignment over words,
// its AER (Och & Ney 2003), and the marks the alignment heatmap draws (engine/align does the maths).
//
//   SentenceAlignment a = alignToGold(*trace, gold.at(3));
//   if (a.comparable) a.counts.aer();    // else a.why says what did not match
//   data.marks = argmaxMarks(*trace);    // red dots: each target token's highest-weight source token
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
#include "ui/kinds/seq2seq/gold_set.h"
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
};

// The gold sentence's words against the trace's tokens; the trace's target must be the gold target's
// tokens, else not comparable with why. options.targetForced: the caller force-decoded gold.targetText(), so
// a target cut short by the token limit still counts, its words past the cut unlinked (the corpus AER and
// `attnviz align` do this); a trace from elsewhere (the sentence AER of the shown trace) leaves it false.
SentenceAlignment alignToGold(const attnviz::Trace& trace, const GoldSentence& gold,
                              const attnviz::WordAlignmentOptions& options = {});

// One dot per target word token: its highest-weight source word token (attnviz::argmaxAlignment).
std::vector<HeatmapMark> argmaxMarks(const attnviz::Trace& trace);

// Legend names for the marks above.
void nameAlignmentMarks(HeatmapData& data);

}  // namespace attnviz::ui
