// token_follow: where each token of an old tokenization went in a new one, so a pinned token follows the word it
// was made on when the input is edited (Selection::followAxes). Tokens are matched by text along the longest common
// subsequence of the two lists (the common prefix and suffix first, so a typical edit costs O(changed tokens^2));
// a token that has no partner (deleted or changed) maps to -1.
//
//   followTokens({"[CLS]", "the", "cat", "[SEP]"}, {"[CLS]", "a", "the", "cat", "[SEP]"})  // {0, 2, 3, 4}
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace attnviz::ui {

// A middle part (after prefix and suffix) of more than this many cell pairs is not aligned: its tokens map to -1
// (a 512 x 512 edit is 262k cells, well inside; 16M cells would be 16 MB of table).
inline constexpr std::size_t kMaxFollowCells = std::size_t{4} << 20;

// result[i]: the index in `now` of the token `before[i]` became, -1 when it is gone.
std::vector<int> followTokens(const std::vector<std::string>& before, const std::vector<std::string>& now);

}  // namespace attnviz::ui
