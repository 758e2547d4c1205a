// Token ids typed as text, as the command line's --token-ids and the window's "Input Is Token Ids" take them:
// whole numbers separated by spaces, commas or tabs ("101 7592 102"), optionally followed by "|" and as many
// segment (token type) ids ("101 7592 102 | 0 0 0").
//
//   attnviz::TypedTokenIds t = attnviz::parseTypedTokenIds("101 7592 102 | 0 0 0", "editor");
//   attnviz::Input in = attnviz::Input::fromTokenIds(t.ids, t.types, "editor");
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz {

// At least one id, each from 0 to 2^40; InputError(where) with an example of the form otherwise.
std::vector<std::int64_t> parseTokenIds(std::string_view text, const std::string& where);

struct TypedTokenIds {
  std::vector<std::int64_t> ids;
  std::vector<std::int64_t> types;  // empty when no "|" part was given
};

// "ids" or "ids | segment ids" (the two lists of equal length); InputError(where) otherwise.
TypedTokenIds parseTypedTokenIds(std::string_view text, const std::string& where);

}  // namespace attnviz
