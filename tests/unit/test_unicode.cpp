// engine/core/unicode.h against Python: NFC, NFD and str.lower() of every string of
// tests/data/wordpiece/unicode.tsv (tests/data/make_wordpiece_fixture.py), plus hand-made cases.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "engine/core/unicode.h"

namespace u = attnviz::unicode;

namespace {

std::u32string fromHex(const std::string& field) {
  std::u32string out;
  std::istringstream in(field);
  for (std::string h; in >> h;) out += static_cast<char32_t>(std::stoul(h, nullptr, 16));
  return out;
}

std::string toHex(const std::u32string& s) {
  std::ostringstream out;
  for (char32_t c : s) out << std::hex << std::uppercase << static_cast<unsigned long>(c) << ' ';
  return out.str();
}

}  // namespace

TEST(Unicode, CategoriesAndSpaces) {
  EXPECT_EQ(u::category(U'A'), u::Category::Lu);
  EXPECT_EQ(u::category(U'\u00e9'), u::Category::Ll);
  EXPECT_EQ(u::category(U'\u0301'), u::Category::Mn);
  EXPECT_EQ(u::category(U'\u00a0'), u::Category::Zs);
  EXPECT_EQ(u::category(U'\u4e2d'), u::Category::Lo);
  EXPECT_EQ(u::category(U'\U0001F600'), u::Category::So);
  EXPECT_EQ(u::category(0x10FFFF), u::Category::Cn);
  EXPECT_EQ(u::category(0x110000), u::Category::Cn);  // out of range: unassigned, no crash
  EXPECT_TRUE(u::isPunctuationCategory(U'\u00bf'));
  EXPECT_TRUE(u::isPunctuationCategory(U'\u3001'));
  EXPECT_FALSE(u::isPunctuationCategory(U'$'));  // Sc
  EXPECT_TRUE(u::isControlCategory(U'\u200b'));  // Cf
  EXPECT_TRUE(u::isPythonSpace(U'\u2028'));
  EXPECT_FALSE(u::isPythonSpace(U'\u200b'));
}

TEST(Unicode, LowerNormaliseAndCarrySources) {
  EXPECT_EQ(u::toLower(U"\u0130"), U"i\u0307");
  EXPECT_EQ(u::toLower(U"\u039f\u0394\u039f\u03a3 \u03a3"), U"\u03bf\u03b4\u03bf\u03c2 \u03c3");  // final sigma
  EXPECT_EQ(u::nfc(U"e\u0301"), U"\u00e9");
  EXPECT_EQ(u::nfd(U"\u1e69"), U"s\u0323\u0307");
  EXPECT_EQ(u::nfc(U"\u1100\u1161\u11a8"), U"\uac01");  // Hangul L V T
  // A composed character covers the code points it was made of.
  u::SourceRanges sources = {{0, 1}, {1, 2}, {2, 3}};
  EXPECT_EQ(u::nfc(U"xe\u0301", sources), U"x\u00e9");
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[1].begin, 1u);
  EXPECT_EQ(sources[1].end, 3u);
}

TEST(Unicode, MatchesPythonOnTheFixture) {
  std::ifstream in(std::string(ATTNVIZ_TEST_DATA) + "/wordpiece/unicode.tsv");
  ASSERT_TRUE(in) << "missing tests/data/wordpiece/unicode.tsv";
  int cases = 0, failures = 0;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string s; std::getline(fields, s, '\t');) f.push_back(s);
    ASSERT_EQ(f.size(), 4u) << line;
    const std::u32string s = fromHex(f[0]);
    ++cases;
    const std::pair<std::u32string, std::u32string> checks[] = {
        {u::nfc(s), fromHex(f[1])}, {u::nfd(s), fromHex(f[2])}, {u::toLower(s), fromHex(f[3])}};
    const char* names[] = {"NFC", "NFD", "lower"};
    for (int k = 0; k < 3; ++k)
      if (checks[k].first != checks[k].second && ++failures <= 10)
        ADD_FAILURE() << names[k] << " of " << f[0] << ": got " << toHex(checks[k].first) << " expected "
                      << toHex(checks[k].second);
  }
  EXPECT_GT(cases, 2000);
  EXPECT_EQ(failures, 0);
}
