// Word alignments from cross-attention, gold alignments in the WPT 2003 format, and the alignment error
// rate (Och & Ney 2003). Positions are 0-based word indexes here; the WPT files are 1-based.
//
//   std::map<int, GoldAlignment> gold = readWptAlignments("dev.wa.nonullalign");   // sentence 1..N
//   LinkSet predicted = argmaxAlignment(trace.attention.at("cross"), targetWords, sourceWords);
//   AerCounts c = aerCounts(predicted, gold.at(1));   c.aer()
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/tensor.h"

namespace attnviz {

using Link = std::pair<int, int>;  // (source word, target word), 0-based
using LinkSet = std::set<Link>;

struct GoldAlignment {
  LinkSet sure;
  LinkSet possible;  // includes every sure link
};

// Gold and sentence files larger than this are refused before they are read.
constexpr std::uint64_t kMaxAlignmentFileBytes = 64ull << 20;
// Largest sentence number or word position a gold file may hold (far beyond any real corpus; it keeps
// positions inside int and refuses numbers that can only be garbage).
constexpr std::int64_t kMaxWptNumber = 10'000'000;

// Lines "sentence source target [S|P] [confidence]" (1-based; a missing label means S). Throws InputError
// naming the file and line for anything malformed (non-numbers, zero or negative positions, a bad label).
// Blank lines are skipped; fields are separated by spaces or tabs; a trailing '\r' is ignored.
std::map<int, GoldAlignment> parseWptAlignments(const std::string& text, const std::string& where);
std::map<int, GoldAlignment> readWptAlignments(const std::string& path);

// Throws InputError(where) when a gold link points past a sentence of sourceWords x targetWords words.
void checkGoldWithin(const GoldAlignment& gold, int sourceWords, int targetWords, const std::string& where);

// One pre-tokenised sentence per line (the WPT dev.e / dev.f files): line i is sentence i, its words are
// split on spaces and tabs, a trailing '\r' is dropped and a final newline ends the last line (it does not
// start an empty one). Throws InputError naming file:line for a line without words or invalid UTF-8.
std::vector<std::vector<std::string>> parseSentences(const std::string& text, const std::string& where);
std::vector<std::vector<std::string>> readSentences(const std::string& path);

// Each target word t < targetWords is linked to its highest-weight source word s < sourceWords of
// cross[t] ([T, S]); rows and columns past the word counts (the <eos> row and column) are left out.
// Ties go to the first maximum (the lowest source index), as torch.argmax and numpy.argmax do; a row
// whose weights are all NaN links nothing.
LinkSet argmaxAlignment(const Tensor& cross, int targetWords, int sourceWords);

// Where the words of a sentence are in a model's token list: word w covers the tokens
// [first[w], first[w] + count[w]). count[w] may be 0 (a word the tokenizer drops entirely).
struct WordSpans {
  std::vector<int> first;
  std::vector<int> count;
  int words() const { return static_cast<int>(first.size()); }
  int tokens() const;                          // first[last] + count[last], 0 for no words
  static WordSpans oneTokenEach(int words);    // word w is token w
  static WordSpans fromCounts(const std::vector<int>& tokensPerWord);
};

// argmaxAlignment over words when a model splits some words into several tokens. The weight of target
// word t for source word s is the sum of cross[first token of t][each token of s]: the attention mass the
// target word's first token gives to the source word. Words without tokens (dropped by the tokenizer, or
// cut off by a length limit) are never linked, on either side. With WordSpans::oneTokenEach this is
// argmaxAlignment.
LinkSet argmaxWordAlignment(const Tensor& cross, const WordSpans& target, const WordSpans& source);

// The checks and the word weight argmaxWordAlignment uses, for the other extraction rules (extraction.h):
// checkWordSpans throws InternalError unless cross is [T, S] and every span lies inside it; sourceWordWeight is the
// sum of `row` (one target token's attention) over source word s's tokens.
void checkWordSpans(const Tensor& cross, const WordSpans& target, const WordSpans& source);
double sourceWordWeight(const float* row, const WordSpans& source, int s);

// Target word t linked to the source word at the same relative position: the baseline AER is compared with.
// Exactly models/seq2seq/train.py (1-based there, with Python's round-half-to-even):
//   source = min(S, max(1, round((t + 0.5) * S / T + 0.5)))
LinkSet diagonalAlignment(int sourceWords, int targetWords);

struct AerCounts {
  std::int64_t sureHits = 0;      // |A & S|
  std::int64_t possibleHits = 0;  // |A & P|
  std::int64_t predicted = 0;     // |A|
  std::int64_t sure = 0;          // |S|
  AerCounts& operator+=(const AerCounts& o);
  // 1 - (|A & S| + |A & P|) / (|A| + |S|); 0 when both are empty.
  double aer() const;
};
AerCounts aerCounts(const LinkSet& predicted, const GoldAlignment& gold);

}  // namespace attnviz
