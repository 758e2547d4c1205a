// engine/align: AER on hand-made cases with known answers, the WPT gold and sentence readers on good and
// hostile input, argmax alignment (ties: first maximum), the diagonal baseline against train.py's formula,
// and the baseline AER on the real Hansards trial set against the number Python computes.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "engine/align/alignment.h"
#include "engine/core/error.h"

using attnviz::AerCounts;
using attnviz::GoldAlignment;
using attnviz::LinkSet;
using attnviz::Tensor;
using attnviz::WordSpans;

namespace fs = std::filesystem;

namespace {

// S = {(0,0), (1,1)}, P = S + {(1,2)}  (0-based (source, target)).
GoldAlignment smallGold() {
  GoldAlignment g;
  g.sure = {{0, 0}, {1, 1}};
  g.possible = {{0, 0}, {1, 1}, {1, 2}};
  return g;
}

void expectCounts(const AerCounts& c, std::int64_t as, std::int64_t ap, std::int64_t a, std::int64_t s) {
  EXPECT_EQ(c.sureHits, as);
  EXPECT_EQ(c.possibleHits, ap);
  EXPECT_EQ(c.predicted, a);
  EXPECT_EQ(c.sure, s);
}

// Runs f and returns the InputError it throws (fails the test when it throws nothing).
template <typename F>
attnviz::InputError expectInputError(F&& f) {
  try {
    f();
  } catch (const attnviz::InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no InputError";
  return attnviz::InputError("", "");
}

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("attnviz-align-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                                   "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string write(const std::string& name, const std::string& bytes) const {
    std::ofstream(path_ / name, std::ios::binary) << bytes;
    return (path_ / name).string();
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

}  // namespace

// ---- AER ------------------------------------------------------------------------------------------------

TEST(Aer, MixedPrediction) {
  // A = {(0,0), (1,2), (2,2)}: (0,0) is sure, (1,2) only possible, (2,2) wrong.
  // |A&S| = 1, |A&P| = 2, |A| = 3, |S| = 2  ->  AER = 1 - (1 + 2) / (3 + 2) = 0.4
  const AerCounts c = attnviz::aerCounts({{0, 0}, {1, 2}, {2, 2}}, smallGold());
  expectCounts(c, 1, 2, 3, 2);
  EXPECT_DOUBLE_EQ(c.aer(), 0.4);
}

TEST(Aer, PerfectPossibleOnlyDisjointAndEmpty) {
  // A = S: |A&S| = |A&P| = |A| = |S| = 2  ->  1 - 4/4 = 0
  EXPECT_DOUBLE_EQ(attnviz::aerCounts({{0, 0}, {1, 1}}, smallGold()).aer(), 0.0);
  // A = P: |A&S| = 2, |A&P| = 3, |A| = 3, |S| = 2  ->  1 - 5/5 = 0: possible links cost nothing
  EXPECT_DOUBLE_EQ(attnviz::aerCounts({{0, 0}, {1, 1}, {1, 2}}, smallGold()).aer(), 0.0);
  // A = P - S = {(1,2)}: |A&S| = 0, |A&P| = 1, |A| = 1, |S| = 2  ->  1 - 1/3 = 2/3
  const AerCounts possibleOnly = attnviz::aerCounts({{1, 2}}, smallGold());
  expectCounts(possibleOnly, 0, 1, 1, 2);
  EXPECT_DOUBLE_EQ(possibleOnly.aer(), 1.0 - 1.0 / 3.0);
  // Nothing right: 1 - 0/(2 + 2) = 1
  EXPECT_DOUBLE_EQ(attnviz::aerCounts({{5, 5}, {2, 0}}, smallGold()).aer(), 1.0);
  // No prediction: 1 - 0/(0 + 2) = 1; nothing at all on either side: defined as 0
  EXPECT_DOUBLE_EQ(attnviz::aerCounts({}, smallGold()).aer(), 1.0);
  EXPECT_DOUBLE_EQ(attnviz::aerCounts({}, GoldAlignment{}).aer(), 0.0);
  // Predictions for a sentence without gold links: 1 - 0/(2 + 0) = 1
  EXPECT_DOUBLE_EQ(attnviz::aerCounts({{0, 0}, {1, 1}}, GoldAlignment{}).aer(), 1.0);
}

TEST(Aer, CorpusTotalSumsCountsNotRates) {
  // (1,2,3,2) + (0,1,1,2) = (1,3,4,4)  ->  1 - 4/8 = 0.5, not the mean of 0.4 and 2/3 (0.5333...)
  AerCounts total = attnviz::aerCounts({{0, 0}, {1, 2}, {2, 2}}, smallGold());
  total += attnviz::aerCounts({{1, 2}}, smallGold());
  expectCounts(total, 1, 3, 4, 4);
  EXPECT_DOUBLE_EQ(total.aer(), 0.5);
}

// ---- argmax ---------------------------------------------------------------------------------------------

TEST(ArgmaxAlignment, LeavesOutEosRowAndColumnAndTakesTheFirstMaximum) {
  // cross [3 target tokens, 4 source tokens]; the last row and column are <eos>.
  const Tensor cross({3, 4}, {0.10f, 0.60f, 0.20f, 0.10f,    // target 0 -> source 1
                              0.30f, 0.30f, 0.10f, 0.30f,    // tie of sources 0 and 1 (and <eos>): the first, 0
                              0.90f, 0.05f, 0.03f, 0.02f});  // <eos> row: never linked
  EXPECT_EQ(attnviz::argmaxAlignment(cross, 2, 3), (LinkSet{{1, 0}, {0, 1}}));
}

TEST(ArgmaxAlignment, EosColumnMaximumIsIgnored) {
  // <eos> (column 3) holds the row maximum; the best word, source 2, is linked instead.
  const Tensor cross({2, 4}, {0.05f, 0.10f, 0.20f, 0.65f,
                              0.25f, 0.25f, 0.25f, 0.25f});
  EXPECT_EQ(attnviz::argmaxAlignment(cross, 1, 3), (LinkSet{{2, 0}}));
  // All equal: the first source word.
  EXPECT_EQ(attnviz::argmaxAlignment(cross.slice(1).reshape({1, 4}), 1, 3), (LinkSet{{0, 0}}));
}

TEST(ArgmaxAlignment, NanRowsLinkNothingAndEmptySidesGiveNoLinks) {
  const float nan = std::nanf("");
  const Tensor cross({2, 3}, {nan, nan, nan, nan, 0.7f, 0.3f});
  EXPECT_EQ(attnviz::argmaxAlignment(cross, 2, 2), (LinkSet{{1, 1}}));  // row 0 is all NaN; row 1: NaN skipped
  EXPECT_TRUE(attnviz::argmaxAlignment(cross, 2, 0).empty());
  EXPECT_TRUE(attnviz::argmaxAlignment(cross, 0, 3).empty());
}

TEST(ArgmaxAlignment, RefusesWordCountsPastTheMatrix) {
  const Tensor cross({2, 3});
  EXPECT_THROW(attnviz::argmaxAlignment(cross, 3, 2), attnviz::InternalError);
  EXPECT_THROW(attnviz::argmaxAlignment(cross, 1, 4), attnviz::InternalError);
  EXPECT_THROW(attnviz::argmaxAlignment(Tensor({6}), 1, 1), attnviz::InternalError);
}

TEST(ArgmaxWordAlignment, SourceWordsSumTheirTokensTargetWordsUseTheirFirstToken) {
  // Source words: w0 = token 0, w1 = tokens 1-2 ("250" "," "000" style), then <eos> (token 3).
  // Target words: w0 = tokens 0-1 (its first token's row, 0, counts), w1 = token 2, w2 = no token; <eos> row 3.
  const Tensor cross({4, 4}, {0.30f, 0.20f, 0.25f, 0.25f,    // w0: w0 0.30 vs w1 0.20 + 0.25 = 0.45 -> w1
                              0.90f, 0.00f, 0.00f, 0.10f,    // second token of target w0: not used
                              0.50f, 0.20f, 0.20f, 0.10f,    // w1: 0.50 vs 0.40 -> w0
                              0.00f, 0.00f, 0.00f, 1.00f});
  const WordSpans source = WordSpans::fromCounts({1, 2});
  const WordSpans target = WordSpans::fromCounts({2, 1, 0});
  EXPECT_EQ(source.tokens(), 3);
  EXPECT_EQ(target.first, (std::vector<int>{0, 2, 3}));
  EXPECT_EQ(attnviz::argmaxWordAlignment(cross, target, source), (LinkSet{{1, 0}, {0, 1}}));
  // A source word without tokens is never linked, even where every weight is 0 (row 3 for words 0-2).
  const Tensor zeros({1, 3});
  EXPECT_EQ(attnviz::argmaxWordAlignment(zeros, WordSpans::fromCounts({1}), WordSpans::fromCounts({0, 1, 1})),
            (LinkSet{{1, 0}}));
  EXPECT_TRUE(attnviz::argmaxWordAlignment(zeros, WordSpans::fromCounts({1}), WordSpans::fromCounts({0, 0})).empty());
  EXPECT_THROW(attnviz::argmaxWordAlignment(cross, WordSpans::fromCounts({3, 2}), source), attnviz::InternalError);
}

// ---- diagonal baseline ----------------------------------------------------------------------------------

TEST(DiagonalAlignment, MatchesTrainPyFormula) {
  // source(t) = min(S, max(1, round((t + 0.5) * S / T + 0.5))), 1-based, Python's round (half to even).
  // Expected values printed by that expression in Python, checked by hand for S=7, T=5:
  //   t=0: 0.5*7/5 + 0.5 = 1.2 -> 1;  t=1: 2.6 -> 3;  t=2: 4.0 -> 4;  t=3: 5.4 -> 5;  t=4: 6.8 -> 7.
  struct Case {
    int sourceWords, targetWords;
    std::vector<int> oneBased;
  };
  const std::vector<Case> cases = {
      {7, 5, {1, 3, 4, 5, 7}},
      {5, 7, {1, 2, 2, 3, 4, 4, 5}},
      {6, 4, {1, 3, 4, 6}},
      {3, 9, {1, 1, 1, 2, 2, 2, 3, 3, 3}},
      {2, 1, {2}},  // 0.5*2/1 + 0.5 = 1.5 -> 2
      {4, 1, {2}},  // 0.5*4/1 + 0.5 = 2.5 -> 2: half to even (half away from zero would give 3)
      {5, 5, {1, 2, 3, 4, 5}},
  };
  for (const Case& c : cases) {
    LinkSet expected;
    for (int t = 0; t < c.targetWords; ++t) expected.insert({c.oneBased[t] - 1, t});
    EXPECT_EQ(attnviz::diagonalAlignment(c.sourceWords, c.targetWords), expected)
        << c.sourceWords << " source, " << c.targetWords << " target words";
  }
  EXPECT_TRUE(attnviz::diagonalAlignment(0, 3).empty());
  EXPECT_TRUE(attnviz::diagonalAlignment(3, 0).empty());
}

// ---- WPT gold files -------------------------------------------------------------------------------------

TEST(WptAlignments, ParsesLabelsDefaultsConfidenceBlankLinesAndCrlf) {
  const auto gold = attnviz::parseWptAlignments(
      "1 1 1 S\n"
      "1 2 3 P\r\n"
      "\n"
      "  1\t3 2  \n"       // no label: sure
      "2 4 4 P 0.75\n"
      "2 4 4 S\n"          // listed P and S: sure (and possible)
      "7 1 2 S 1\n",
      "gold.wa");
  ASSERT_EQ(gold.size(), 3u);
  EXPECT_EQ(gold.at(1).sure, (LinkSet{{0, 0}, {2, 1}}));
  EXPECT_EQ(gold.at(1).possible, (LinkSet{{0, 0}, {1, 2}, {2, 1}}));
  EXPECT_EQ(gold.at(2).sure, (LinkSet{{3, 3}}));
  EXPECT_EQ(gold.at(2).possible, (LinkSet{{3, 3}}));
  EXPECT_EQ(gold.at(7).sure, (LinkSet{{0, 1}}));
  EXPECT_TRUE(attnviz::parseWptAlignments("", "empty.wa").empty());
}

TEST(WptAlignments, EveryMalformedLineIsAnInputErrorNamingFileAndLine) {
  struct Case {
    std::string line;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"1 2", "expected \"sentence source target"},
      {"1 2 3 S 0.5 extra", "expected \"sentence source target"},
      {"1 a 3", "not a whole number"},
      {"1 2.0 3", "not a whole number"},
      {"1 +2 3", "not a whole number"},
      {"x1 2 3", "not a whole number"},
      {"1 0 3 S", "NULL word"},
      {"1 2 0", "NULL word"},
      {"1 -2 3", "must be 1 or more"},
      {"0 1 1", "must be 1 or more"},
      {"1 2 3 X", "is not S (sure) or P (possible)"},
      {"1 2 3 s", "is not S (sure) or P (possible)"},
      {"1 2 3 S high", "not a number from 0 to 1"},
      {"1 2 3 S 1.5", "not a number from 0 to 1"},
      {"1 2 3 S nan", "not a number from 0 to 1"},
      {"1 10000001 3", "too large"},
      {"99999999999999999999999 1 1", "too large"},
      {std::string("1 2 3\0", 6), "not a whole number"},
      {"1 2 3\x1b[2J", "not a whole number"},
  };
  for (const Case& c : cases) {
    const std::string text = "1 1 1 S\n\n" + c.line + "\n4 4 4 S\n";  // the bad line is line 3
    const attnviz::InputError e = expectInputError([&] { attnviz::parseWptAlignments(text, "dev.wa"); });
    EXPECT_EQ(e.where(), "dev.wa:3") << c.line;
    EXPECT_NE(std::string(e.what()).find(c.says), std::string::npos) << "for \"" << c.line << "\": " << e.what();
    EXPECT_EQ(std::string(e.what()).find('\x1b'), std::string::npos) << "control bytes are not echoed";
  }
}

TEST(WptAlignments, LongGarbageLinesAreQuotedShort) {
  const attnviz::InputError e = expectInputError([] { attnviz::parseWptAlignments(std::string(5000, 'x'), "g"); });
  EXPECT_EQ(e.where(), "g:1");
  EXPECT_LT(std::string(e.what()).size(), 200u);
}

TEST(WptAlignments, GoldMustFitTheSentencePair) {
  GoldAlignment g = smallGold();  // source up to 1, target up to 2 (0-based)
  EXPECT_NO_THROW(attnviz::checkGoldWithin(g, 2, 3, "gold:1"));
  const attnviz::InputError e = expectInputError([&] { attnviz::checkGoldWithin(g, 2, 2, "gold:1"); });
  EXPECT_EQ(e.where(), "gold:1");
  EXPECT_NE(std::string(e.what()).find("gold link 2 3 is outside"), std::string::npos) << e.what();
}

TEST(WptFiles, MissingDirectoryAndOversizedFilesAreRefused) {
  TempDir dir;
  EXPECT_EQ(expectInputError([&] { attnviz::readWptAlignments(dir.path("none.wa")); }).where(), dir.path("none.wa"));
  EXPECT_NE(std::string(expectInputError([&] { attnviz::readSentences(dir.path("")); }).what()).find("not a regular file"),
            std::string::npos);
  const std::string big = dir.write("big.wa", "");
  fs::resize_file(big, attnviz::kMaxAlignmentFileBytes + 1);  // sparse: no disk used
  const attnviz::InputError e = expectInputError([&] { attnviz::readWptAlignments(big); });
  EXPECT_EQ(e.where(), big);
  EXPECT_NE(std::string(e.what()).find("limited to"), std::string::npos) << e.what();
  const std::string good = dir.write("good.wa", "1 2 3 S\n");
  EXPECT_EQ(attnviz::readWptAlignments(good).at(1).sure, (LinkSet{{1, 2}}));
}

// ---- sentence files -------------------------------------------------------------------------------------

TEST(Sentences, OneSentencePerLineWordsSplitOnSpaces) {
  const auto s = attnviz::parseSentences("the cat  sat . \r\n\tje poursuis\nl' homme", "dev.e");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], (std::vector<std::string>{"the", "cat", "sat", "."}));
  EXPECT_EQ(s[1], (std::vector<std::string>{"je", "poursuis"}));
  EXPECT_EQ(s[2], (std::vector<std::string>{"l'", "homme"}));
  EXPECT_EQ(attnviz::parseSentences("a\nb\n", "f").size(), 2u);  // the final newline starts no line
}

TEST(Sentences, BlankLinesAndInvalidUtf8AreErrorsNamingTheLine) {
  const attnviz::InputError blank = expectInputError([] { attnviz::parseSentences("a b\n  \nc\n", "dev.f"); });
  EXPECT_EQ(blank.where(), "dev.f:2");
  const attnviz::InputError utf8 = expectInputError([] { attnviz::parseSentences("a\nb \xC3\x28 c\n", "dev.f"); });
  EXPECT_EQ(utf8.where(), "dev.f:2");
  EXPECT_NE(std::string(utf8.what()).find("invalid UTF-8 at byte 3"), std::string::npos) << utf8.what();
}

// ---- the real Hansards trial set ------------------------------------------------------------------------

TEST(Hansards, DiagonalBaselineAerEqualsPython) {
  // ../shared/data beside the repository (CI has it; see ../shared/data/README.md).
  const fs::path dir = fs::path(ATTNVIZ_SOURCE_DIR).parent_path() / "shared/data/hansards-wpt03-en-fr";
  ASSERT_TRUE(fs::exists(dir / "dev.wa.nonullalign"))
      << "the WPT 2003 trial set is missing: expected " << dir << " (../shared/data beside the repository)";
  const auto english = attnviz::readSentences((dir / "dev.e").string());
  const auto french = attnviz::readSentences((dir / "dev.f").string());
  const auto gold = attnviz::readWptAlignments((dir / "dev.wa.nonullalign").string());
  ASSERT_EQ(english.size(), 37u);
  ASSERT_EQ(french.size(), 37u);
  ASSERT_EQ(gold.size(), 37u);
  std::size_t sure = 0, possible = 0;
  for (const auto& [n, g] : gold) {
    attnviz::checkGoldWithin(g, static_cast<int>(english[n - 1].size()), static_cast<int>(french[n - 1].size()),
                             "sentence " + std::to_string(n));
    sure += g.sure.size();
    possible += g.possible.size();
  }
  EXPECT_EQ(sure, 338u);       // Python: read_wpt_alignments(...), summed
  EXPECT_EQ(possible, 1784u);  // every line of the file is a distinct possible link
  AerCounts total;
  for (std::size_t i = 0; i < english.size(); ++i)
    total += attnviz::aerCounts(attnviz::diagonalAlignment(static_cast<int>(english[i].size()),
                                                           static_cast<int>(french[i].size())),
                                gold.at(static_cast<int>(i) + 1));
  // train.py's diagonal links + metrics.py's aer() over the same files: (113, 319, 721, 338), 0.5920679886685553
  expectCounts(total, 113, 319, 721, 338);
  EXPECT_EQ(total.aer(), 0.5920679886685553);
}
