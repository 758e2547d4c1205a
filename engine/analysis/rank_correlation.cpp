// Kendall's tau-b by Knight (1966): sort by (a, b), count ties in a and in (a, b); merge sort by b counts the
// discordant pairs (swaps) and leaves b sorted for counting its ties. O(n log n), so a 100,000-word document
// is fine.
#include "engine/analysis/rank_correlation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace attnviz {

namespace {

using Pair = std::pair<float, float>;

// Pairs among runs of equal keys: sum of t (t - 1) / 2 over runs of length t in a sorted range.
template <typename Equal>
std::int64_t tiedPairs(const std::vector<Pair>& v, Equal equal) {
  std::int64_t ties = 0, run = 1;
  for (std::size_t i = 1; i <= v.size(); ++i) {
    if (i < v.size() && equal(v[i - 1], v[i])) {
      ++run;
    } else {
      ties += run * (run - 1) / 2;
      run = 1;
    }
  }
  return ties;
}

// Sorts v[lo, hi) by .second and returns how many pairs it had out of order (strictly greater before smaller).
std::int64_t mergeCount(std::vector<Pair>& v, std::vector<Pair>& scratch, std::size_t lo, std::size_t hi) {
  if (hi - lo < 2) return 0;
  const std::size_t mid = lo + (hi - lo) / 2;
  std::int64_t swaps = mergeCount(v, scratch, lo, mid) + mergeCount(v, scratch, mid, hi);
  std::size_t i = lo, j = mid, k = lo;
  while (i < mid && j < hi) {
    if (v[j].second < v[i].second) {
      swaps += static_cast<std::int64_t>(mid - i);
      scratch[k++] = v[j++];
    } else {
      scratch[k++] = v[i++];
    }
  }
  while (i < mid) scratch[k++] = v[i++];
  while (j < hi) scratch[k++] = v[j++];
  std::copy(scratch.begin() + static_cast<std::ptrdiff_t>(lo), scratch.begin() + static_cast<std::ptrdiff_t>(hi),
            v.begin() + static_cast<std::ptrdiff_t>(lo));
  return swaps;
}

}  // namespace

double kendallTauB(std::span<const float> a, std::span<const float> b) {
  constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
  std::vector<Pair> v;
  const std::size_t n = std::min(a.size(), b.size());
  v.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isnan(a[i]) && !std::isnan(b[i])) v.emplace_back(a[i], b[i]);
  if (v.size() < 2) return kUndefined;
  std::sort(v.begin(), v.end());
  const auto m = static_cast<std::int64_t>(v.size());
  const std::int64_t pairs = m * (m - 1) / 2;
  const std::int64_t tiesA = tiedPairs(v, [](const Pair& x, const Pair& y) { return x.first == y.first; });
  const std::int64_t tiesBoth = tiedPairs(v, [](const Pair& x, const Pair& y) { return x == y; });
  // Within a run of equal a, b is sorted, so a swap counted by the merge is never a tie in a.
  std::vector<Pair> scratch(v.size());
  const std::int64_t discordant = mergeCount(v, scratch, 0, v.size());
  const std::int64_t tiesB = tiedPairs(v, [](const Pair& x, const Pair& y) { return x.second == y.second; });
  // concordant - discordant = pairs - tiesA - tiesB + tiesBoth - 2 * discordant
  const double numerator = static_cast<double>(pairs - tiesA - tiesB + tiesBoth - 2 * discordant);
  const double denominator = std::sqrt(static_cast<double>(pairs - tiesA) * static_cast<double>(pairs - tiesB));
  if (denominator == 0.0) return kUndefined;
  return numerator / denominator;
}

}  // namespace attnviz
