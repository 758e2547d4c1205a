// Kendall's tau-b between two score lists (Knight's O(n log n) algorithm, ties handled as scipy.stats.kendalltau),
// used to compare attention with occlusion (Jain & Wallace 2019).
//
//   double tau = attnviz::kendallTauB(attention, occlusion);   // NaN when undefined
#pragma once

#include <span>

namespace attnviz {

// Pairs where either value is NaN are left out. NaN when fewer than 2 pairs remain or either list is constant.
double kendallTauB(std::span<const float> a, std::span<const float> b);

}  // namespace attnviz
