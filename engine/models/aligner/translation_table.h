// TranslationTable: t(f | e), the lexical probabilities of IBM Models 1 and 2, over the (source word, target word)
// pairs that co-occur in some sentence pair (NULL, source id 0, co-occurs with every target word), sparse in
// compressed rows: row e holds its target ids sorted, so a look-up is a binary search. Pairs that never co-occur
// get no entry: EM never gives them mass.
//
//   TranslationTable t = TranslationTable::cooccurrences(corpus);   // every entry 0
//   std::int64_t k = t.find(e, f);                                   // -1: no entry
//   t.probability[k] = ...;
//
// Memory: 4 bytes of target id and 4 of probability per entry (float: t only scales posteriors, 7 digits are
// plenty; the counts EM sums are double, ibm_training.cpp), plus 8 per source word.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/models/aligner/parallel_corpus.h"

namespace attnviz::aligner {

struct TranslationTable {
  std::vector<std::uint64_t> rowStart;  // [source words + 1]: row e's entries are [rowStart[e], rowStart[e + 1])
  std::vector<std::uint32_t> target;    // [entries], ascending within a row
  std::vector<float> probability;       // [entries]: t(target | row's source word)

  static TranslationTable cooccurrences(const ParallelCorpus& corpus);
  std::size_t entries() const { return target.size(); }
  std::size_t sourceWords() const { return rowStart.size() - 1; }
  std::int64_t find(std::uint32_t e, std::uint32_t f) const;
};

}  // namespace attnviz::aligner
