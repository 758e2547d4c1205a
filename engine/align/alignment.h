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

#include "engine/core/tensor.h"

namespace attnviz {

using Link = std::pair<int, int>;  // (source word, target word), 0-based
using LinkSet = std::set<Link>;

struct GoldAlignment {
  LinkSet sure;
  LinkSet possible;  // includes every sure link
};

// Lines "sentence source target [S|P] [confidence]" (1-based; a missing label means S). Throws InputError
// naming the file and line for anything malformed (non-numbers, zero or negative positions, a bad label).
std::map<int, GoldAlignment> parseWptAlignments(const std::string& text, const std::string& where);
std::map<int, GoldAlignment> readWptAlignments(const std::string& path);

// Each target word t < targetWords is linked to its highest-weight source word s < sourceWords of
// cross[t] ([T, S]); rows and columns past the word counts (the <eos> row and column) are left out.
LinkSet argmaxAlignment(const Tensor& cross, int targetWords, int sourceWords);
// Target word t linked to the source word at the same relative position: the baseline AER is compared with.
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
