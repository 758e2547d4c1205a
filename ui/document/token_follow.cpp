#include "ui/document/token_follow.h"

#include <algorithm>
#include <cstdint>

namespace attnviz::ui {

std::vector<int> followTokens(const std::vector<std::string>& before, const std::vector<std::string>& now) {
  const std::size_t n = before.size();
  const std::size_t m = now.size();
  std::vector<int> map(n, -1);
  std::size_t prefix = 0;
  while (prefix < n && prefix < m && before[prefix] == now[prefix]) {
    map[prefix] = static_cast<int>(prefix);
    ++prefix;
  }
  std::size_t suffix = 0;
  while (suffix < n - prefix && suffix < m - prefix && before[n - 1 - suffix] == now[m - 1 - suffix]) {
    map[n - 1 - suffix] = static_cast<int>(m - 1 - suffix);
    ++suffix;
  }
  // The middle: before[prefix, n - suffix) against now[prefix, m - suffix), longest common subsequence.
  const std::size_t a = n - suffix - prefix;
  const std::size_t b = m - suffix - prefix;
  if (a == 0 || b == 0 || a * b > kMaxFollowCells) return map;
  // lcs[i][j]: LCS length of before-middle[i..] and now-middle[j..], row-major [(a + 1), (b + 1)].
  std::vector<std::uint32_t> lcs((a + 1) * (b + 1), 0);
  auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (b + 1) + j]; };
  for (std::size_t i = a; i-- > 0;) {
    for (std::size_t j = b; j-- > 0;) {
      at(i, j) = before[prefix + i] == now[prefix + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    }
  }
  std::size_t i = 0, j = 0;
  while (i < a && j < b) {
    if (before[prefix + i] == now[prefix + j]) {
      map[prefix + i] = static_cast<int>(prefix + j);
      ++i;
      ++j;
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      ++i;
    } else {
      ++j;
    }
  }
  return map;
}

}  // namespace attnviz::ui
