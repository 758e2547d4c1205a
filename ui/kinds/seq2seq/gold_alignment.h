// gold_alignment: a seq2seq trace against a gold sentence — the model's argmax alignment over words,
// its AER (Och & Ney 2003), and the marks the alignment heatmap draws (engine/align does the maths).
//
//   SentenceAlignment a = alignToGold(*trace, gold.at(3));
//   if (a.comparable) a.counts.aer();    // else a.why says what did not match
//   data.marks = argmaxMarks(*trace);    // red dots: each target token's highest-weight source token
//
// Gold positions count words of the pre-tokenised gold sentence; the model may split a word into
// several tokens ("aujourd'" -> "aujourd" "'"). Tokens are matched to words by concatenation
// (lower-cased); attention is then read per word as attnviz::argmaxWordAlignment defines it. The
// trailing special tokens (<eos>) are not words.
#pragma once

#include <QString>
#include <optional>
#include <vector>

#include "engine/align/alignment.h"
#include "engine/api/trace.h"
#include "ui/kinds/seq2seq/gold_set.h"
#include "ui/maps/heatmap_data.h"

namespace attnviz::ui {

// Tokens per word when `tokens` concatenate, in order, to `words` (ignoring case; an "<unk>" token stands
// for one or more characters the model's vocabulary did not know); nullopt otherwise.
std::optional<std::vector<int>> tokensPerWord(const std::vector<std::string>& tokens, const std::vector<std::string>& words);

// Number of leading tokens that are words: all but the trailing special tokens.
int wordTokenCount(const std::vector<std::string>& tokens);

struct SentenceAlignment {
  bool comparable = false;
  QString why;                      // when not comparable
  attnviz::LinkSet predicted;       // (source word, target word)
  attnviz::AerCounts counts;
  std::vector<HeatmapMark> goldMarks;  // token cells [target token, source token]: filled = sure, hollow = possible
};

SentenceAlignment alignToGold(const attnviz::Trace& trace, const GoldSentence& gold);

// One dot per target word token: its highest-weight source word token (attnviz::argmaxAlignment).
std::vector<HeatmapMark> argmaxMarks(const attnviz::Trace& trace);

// Legend names for the marks above.
void nameAlignmentMarks(HeatmapData& data);

}  // namespace attnviz::ui
