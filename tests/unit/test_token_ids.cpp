// Token ids typed as text (engine/core/token_ids.h): separators, the "| segment ids" part, and every malformed list
// refused with an InputError that names where it came from.
#include <gtest/gtest.h>

#include "engine/core/error.h"
#include "engine/core/token_ids.h"

using attnviz::parseTokenIds;
using attnviz::parseTypedTokenIds;
using Ids = std::vector<std::int64_t>;

TEST(TokenIds, SpacesCommasTabsAndNewlinesSeparate) {
  EXPECT_EQ(parseTokenIds("101 7592 102", "x"), (Ids{101, 7592, 102}));
  EXPECT_EQ(parseTokenIds(" 101,7592,\t102\n", "x"), (Ids{101, 7592, 102}));
  EXPECT_EQ(parseTokenIds("0", "x"), (Ids{0}));
}

TEST(TokenIds, SegmentIdsFollowABar) {
  const attnviz::TypedTokenIds t = parseTypedTokenIds("101 7592 102 | 0 0 1", "editor");
  EXPECT_EQ(t.ids, (Ids{101, 7592, 102}));
  EXPECT_EQ(t.types, (Ids{0, 0, 1}));
  EXPECT_TRUE(parseTypedTokenIds("1 2", "editor").types.empty());
}

TEST(TokenIds, MalformedListsAreInputErrorsNamingWhere) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "at least one token id"},       {"  , ", "at least one token id"}, {"1 x 2", "expects token ids"},
      {"-1", "expects token ids"},         {"1.5", "expects token ids"},      {"99999999999999999999", "expects token ids"},
      {"1 2 | 0", "1 segment ids after |"}, {"1 | 0 x", "segment ids after |"}, {"1 2 |", "at least one token id"},
  };
  for (const auto& [text, part] : cases) {
    try {
      parseTypedTokenIds(text, "editor");
      ADD_FAILURE() << "accepted \"" << text << "\"";
    } catch (const attnviz::InputError& e) {
      EXPECT_EQ(e.where().rfind("editor", 0), 0u) << e.where();
      EXPECT_NE(e.message().find(part), std::string::npos) << text << ": " << e.message();
    }
  }
}
