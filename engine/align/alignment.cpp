// Argmax and diagonal word alignments and AER counts. The formulas follow models/seq2seq/train.py
// (alignment_error) and models/seq2seq/metrics.py, so the C++ numbers equal the model cards'.
#include "engine/align/alignment.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/core/error.h"

namespace attnviz {

int WordSpans::tokens() const {
  return first.empty() ? 0 : first.back() + count.back();
}

WordSpans WordSpans::oneTokenEach(int words) {
  WordSpans spans;
  for (int w = 0; w < words; ++w) {
    spans.first.push_back(w);
    spans.count.push_back(1);
  }
  return spans;
}

WordSpans WordSpans::fromCounts(const std::vector<int>& tokensPerWord) {
  WordSpans spans;
  int next = 0;
  for (int n : tokensPerWord) {
    if (n < 0) throw InternalError("WordSpans", "negative token count");
    spans.first.push_back(next);
    spans.count.push_back(n);
    next += n;
  }
  return spans;
}

void checkWordSpans(const Tensor& cross, const WordSpans& target, const WordSpans& source) {
  // cross: [T, S] target tokens x source tokens, <eos> included; the spans must stay inside it.
  if (cross.rank() != 2)
    throw InternalError("argmaxAlignment", "cross attention must be [target, source], got " + shapeString(cross.shape()));
  const std::int64_t rows = cross.dim(0), columns = cross.dim(1);
  if (target.first.size() != target.count.size() || source.first.size() != source.count.size())
    throw InternalError("argmaxAlignment", "word spans with different first/count lengths");
  auto inside = [](const WordSpans& spans, std::int64_t limit) {
    for (int w = 0; w < spans.words(); ++w)
      if (spans.first[w] < 0 || spans.count[w] < 0 || spans.first[w] + std::int64_t{spans.count[w]} > limit) return false;
    return true;
  };
  if (!inside(target, rows) || !inside(source, columns))
    throw InternalError("argmaxAlignment", "word spans (" + std::to_string(target.tokens()) + " target, " +
                                               std::to_string(source.tokens()) + " source tokens) exceed cross " +
                                               shapeString(cross.shape()));
}

double sourceWordWeight(const float* row, const WordSpans& source, int s) {
  double weight = 0.0;  // a one-token word: exactly its float value, so ties match torch.argmax
  for (int k = 0; k < source.count[s]; ++k) weight += row[source.first[s] + k];
  return weight;
}

LinkSet argmaxWordAlignment(const Tensor& cross, const WordSpans& target, const WordSpans& source) {
  checkWordSpans(cross, target, source);
  LinkSet links;
  const std::int64_t columns = cross.dim(1);
  for (int t = 0; t < target.words(); ++t) {
    if (target.count[t] == 0) continue;
    const float* row = cross.data() + std::int64_t{target.first[t]} * columns;
    int best = -1;
    double bestWeight = -std::numeric_limits<double>::infinity();
    for (int s = 0; s < source.words(); ++s) {
      if (source.count[s] == 0) continue;  // a word the model never saw
      const double weight = sourceWordWeight(row, source, s);
      if (weight > bestWeight || (best < 0 && weight == bestWeight)) {  // strictly greater: the first maximum wins
        best = s;
        bestWeight = weight;
      }
    }
    if (best >= 0) links.insert({best, t});
  }
  return links;
}

LinkSet argmaxAlignment(const Tensor& cross, int targetWords, int sourceWords) {
  if (targetWords < 0 || sourceWords < 0) throw InternalError("argmaxAlignment", "negative word count");
  return argmaxWordAlignment(cross, WordSpans::oneTokenEach(targetWords), WordSpans::oneTokenEach(sourceWords));
}

LinkSet diagonalAlignment(int sourceWords, int targetWords) {
  LinkSet links;
  if (sourceWords <= 0 || targetWords <= 0) return links;
  for (int t = 0; t < targetWords; ++t) {
    // Same operations in the same order as train.py, in double; std::nearbyint rounds half to even
    // (the default rounding mode), like Python's round().
    const double x = (t + 0.5) * sourceWords / targetWords + 0.5;
    const int s = std::min(sourceWords, std::max(1, static_cast<int>(std::nearbyint(x))));
    links.insert({s - 1, t});
  }
  return links;
}

AerCounts& AerCounts::operator+=(const AerCounts& o) {
  sureHits += o.sureHits;
  possibleHits += o.possibleHits;
  predicted += o.predicted;
  sure += o.sure;
  return *this;
}

double AerCounts::aer() const {
  if (predicted + sure == 0) return 0.0;
  return 1.0 - static_cast<double>(sureHits + possibleHits) / static_cast<double>(predicted + sure);
}

AerCounts aerCounts(const LinkSet& predicted, const GoldAlignment& gold) {
  AerCounts c;
  for (const Link& link : predicted) {
    c.sureHits += gold.sure.count(link);
    c.possibleHits += gold.possible.count(link);
  }
  c.predicted = static_cast<std::int64_t>(predicted.size());
  c.sure = static_cast<std::int64_t>(gold.sure.size());
  return c;
}

}  // namespace attnviz
