#include "engine/models/aligner/translation_table.h"

#include <algorithm>

namespace attnviz::aligner {

TranslationTable TranslationTable::cooccurrences(const ParallelCorpus& corpus) {
  // Each source word's target ids, sorted and made unique whenever the list has doubled since the last time:
  // memory stays within about twice the distinct pairs, whatever the corpus size.
  std::vector<std::vector<std::uint32_t>> rows(corpus.sourceWords.size());
  std::vector<std::size_t> uniqueSize(rows.size(), 0);
  const auto compact = [&](std::size_t e) {
    std::vector<std::uint32_t>& row = rows[e];
    std::sort(row.begin(), row.end());
    row.erase(std::unique(row.begin(), row.end()), row.end());
    uniqueSize[e] = row.size();
  };
  constexpr std::size_t kSlack = 1024;
  for (std::size_t p = 0; p < corpus.pairs(); ++p) {
    const auto e = corpus.sourceOf(p), f = corpus.targetOf(p);
    for (std::size_t i = 0; i <= e.size(); ++i) {
      const std::uint32_t source = i == 0 ? 0 : e[i - 1];
      std::vector<std::uint32_t>& row = rows[source];
      row.insert(row.end(), f.begin(), f.end());
      if (row.size() > 2 * uniqueSize[source] + kSlack) compact(source);
    }
  }
  TranslationTable t;
  t.rowStart.assign(rows.size() + 1, 0);
  for (std::size_t e = 0; e < rows.size(); ++e) {
    compact(e);
    t.rowStart[e + 1] = t.rowStart[e] + rows[e].size();
  }
  t.target.reserve(t.rowStart.back());
  for (std::vector<std::uint32_t>& row : rows) {
    t.target.insert(t.target.end(), row.begin(), row.end());
    std::vector<std::uint32_t>().swap(row);
  }
  t.probability.assign(t.target.size(), 0.0f);
  return t;
}

std::int64_t TranslationTable::find(std::uint32_t e, std::uint32_t f) const {
  if (e + 1 >= rowStart.size()) return -1;
  const auto begin = target.begin() + static_cast<std::ptrdiff_t>(rowStart[e]);
  const auto end = target.begin() + static_cast<std::ptrdiff_t>(rowStart[e + 1]);
  const auto it = std::lower_bound(begin, end, f);
  return it != end && *it == f ? it - target.begin() : -1;
}

}  // namespace attnviz::aligner
