// The word alignment of a seq2seq trace against pre-tokenised sentences (the WPT 2003 files' words): the one
// mapping from gold words to a model's tokens, used by `attnviz align`, the GUI's sentence AER and its corpus AER
// ("AER on all"), so the three give the same numbers for the same trace.
//
//   RunOptions o;  o.target = joinWords(targetWords);                       // force-decode the gold target
//   Trace trace = model->run(Input::fromText(joinWords(sourceWords), "pair 3"), o);
//   WordAlignment a = alignWords(trace, sourceWords, targetWords, {.targetForced = true});
//   if (a.comparable) aerCounts(a.links, gold).aer();   // else a.why says what did not match
//
// SentencePiece models (tokens ending with "</s>": MarianMT) group their pieces into words by the "▁" that starts
// each word's first piece. For attnviz's RNN models, word w of a side covers the tokens seq2seq::tokenize(w) gives ("aujourd'hui" -> "aujourd'" "hui": two tokens,
// one word; a word of zero-width characters only: no token). The model tokenizes the joined words the same way
// (its tokenizer splits on spaces first), so the trace's tokens must be exactly these, a "<unk>" standing for any
// token the vocabulary did not know. A side the model cut short (max_source_tokens, --max-tokens) keeps the words
// of the tokens it saw; words wholly past the cut have no tokens and are never linked. Links then follow
// the extraction method (extraction.h; argmax by default): a source word weighs the sum of its tokens' attention, a
// target word uses its first token's row (Shift-Att: the row after it).
#pragma once

#include <string>
#include <vector>

#include "engine/align/alignment.h"
#include "engine/align/extraction.h"
#include "engine/api/trace.h"

namespace attnviz {

// The text a model is given for a pre-tokenised sentence: the words joined by single spaces.
std::string joinWords(const std::vector<std::string>& words);

// One side (source or target) of a sentence pair as the model saw it.
struct WordSide {
  WordSpans spans;       // over the trace's tokens, cut to the tokens the model kept
  int splitWords = 0;    // words the tokenizer made more or fewer than one token of
  int tokensWanted = 0;  // tokens the words make, before any cut
  int tokensKept = 0;    // tokens the model kept (the trace's, without the final <eos>)
  int lostWords = 0;     // words with tokens, all of them past the model's cut
  bool cut() const { return tokensKept < tokensWanted; }
};

struct WordAlignmentOptions {
  // The trace's target was force-decoded from these target words (RunOptions::target), so a target shorter than
  // the words is the decoder's token limit, not another translation. Otherwise it makes the pair not comparable.
  bool targetForced = false;
  ExtractionMethod method;  // how links are read (extraction.h): argmax of the mean map by default
};

struct WordAlignment {
  bool comparable = false;
  std::string why;  // when not comparable: which side's tokens are not the words', and what to do
  WordSide source, target;
  LinkSet links;  // (source word, target word), 0-based
};

// The trace must hold attention "cross" ([T, S], or [L, H, T, S] read as options.method's layer and head) and token
// lists ending in "<eos>" (the source always does; a target without one was not decoded to its end and is not
// comparable).
WordAlignment alignWords(const Trace& trace, const std::vector<std::string>& sourceWords,
                         const std::vector<std::string>& targetWords, const WordAlignmentOptions& options = {});

}  // namespace attnviz
