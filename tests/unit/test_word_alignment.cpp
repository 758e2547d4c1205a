// attnviz::alignWords (engine/align/word_alignment.h), the one mapping from gold words to a seq2seq trace's tokens,
// on hand-built traces: split words, <unk>, a mismatching token, cuts on either side, a target without <eos>, a
// cross map of the wrong size. tests/ui/test_aer_agreement.cpp checks the GUI and `attnviz align` agree through it
// on the real trial set.
#include <gtest/gtest.h>

#include "engine/align/word_alignment.h"

namespace {

using attnviz::LinkSet;
using attnviz::Trace;
using Words = std::vector<std::string>;

// cross [T, S]: target token t attends (weight 1) to source token peak[t]; the rest of the row is 0.
Trace traceOf(const Words& source, const Words& target, const std::vector<int>& peak) {
  Trace t;
  t.sourceTokens = source;
  t.targetTokens = target;
  attnviz::Tensor cross({static_cast<std::int64_t>(target.size()), static_cast<std::int64_t>(source.size())});
  float* v = cross.data();
  for (std::size_t r = 0; r < target.size(); ++r) {
    for (std::size_t c = 0; c < source.size(); ++c) v[r * source.size() + c] = 0.0f;
    v[r * source.size() + static_cast<std::size_t>(peak.at(r))] = 1.0f;
  }
  t.attention["cross"] = std::move(cross);
  return t;
}

}  // namespace

TEST(WordAlignment, SplitWordsAreOneWordEach) {
  // "don't" is "don'" "t"; "aujourd'hui" is "aujourd'" "hui". Target word 2 ("aujourd'hui") reads its first
  // token's row, which peaks on "t" (source token 2): source word 1 ("don't").
  const Trace t = traceOf({"i", "don'", "t", "<eos>"}, {"je", "aujourd'", "hui", "<eos>"}, {0, 2, 0, 3});
  const auto a = attnviz::alignWords(t, {"I", "don't"}, {"je", "aujourd'hui"});
  ASSERT_TRUE(a.comparable) << a.why;
  EXPECT_EQ(a.source.splitWords, 1);
  EXPECT_EQ(a.target.splitWords, 1);
  EXPECT_EQ(a.source.spans.first, (std::vector<int>{0, 1}));
  EXPECT_EQ(a.source.spans.count, (std::vector<int>{1, 2}));
  EXPECT_EQ(a.links, (LinkSet{{0, 0}, {1, 1}}));
  EXPECT_FALSE(a.source.cut());
}

TEST(WordAlignment, UnknownTokensStandForAnyToken) {
  const Trace t = traceOf({"the", "<unk>", "<eos>"}, {"les", "<unk>", "<eos>"}, {0, 1, 2});
  const auto a = attnviz::alignWords(t, {"the", "commissioners"}, {"les", "commissaires"});
  ASSERT_TRUE(a.comparable) << a.why;
  EXPECT_EQ(a.links, (LinkSet{{0, 0}, {1, 1}}));
}

TEST(WordAlignment, OtherTokensAreNotComparableAndSayWhich) {
  const Trace t = traceOf({"the", "dog", "<eos>"}, {"le", "chat", "<eos>"}, {0, 1, 2});
  const auto source = attnviz::alignWords(t, {"the", "cat"}, {"le", "chat"});
  EXPECT_FALSE(source.comparable);
  EXPECT_NE(source.why.find("token 2 is \"dog\", the words give \"cat\""), std::string::npos) << source.why;
  const auto target = attnviz::alignWords(t, {"the", "dog"}, {"le", "chien"});
  EXPECT_FALSE(target.comparable);
  EXPECT_NE(target.why.find("force-decode the gold target"), std::string::npos) << target.why;
  EXPECT_TRUE(target.links.empty());
}

TEST(WordAlignment, ASourceCutShortKeepsTheWordsItSaw) {
  // The model kept 2 of the 4 source tokens: "don't" keeps "don'", "go" is lost.
  const Trace t = traceOf({"i", "don'", "<eos>"}, {"je", "<eos>"}, {1, 2});
  const auto a = attnviz::alignWords(t, {"I", "don't", "go"}, {"je"});
  ASSERT_TRUE(a.comparable) << a.why;
  EXPECT_TRUE(a.source.cut());
  EXPECT_EQ(a.source.tokensWanted, 4);
  EXPECT_EQ(a.source.tokensKept, 2);
  EXPECT_EQ(a.source.lostWords, 1);
  EXPECT_EQ(a.source.spans.count, (std::vector<int>{1, 1, 0}));
  EXPECT_EQ(a.links, (LinkSet{{1, 0}}));
}

TEST(WordAlignment, ATargetCutShortCountsOnlyWhenForceDecoded) {
  const Trace t = traceOf({"yes", "sir", "<eos>"}, {"oui", "<eos>"}, {0, 2});
  EXPECT_FALSE(attnviz::alignWords(t, {"yes", "sir"}, {"oui", "monsieur"}).comparable);  // a shorter translation
  const auto a = attnviz::alignWords(t, {"yes", "sir"}, {"oui", "monsieur"}, {.targetForced = true});
  ASSERT_TRUE(a.comparable) << a.why;
  EXPECT_EQ(a.target.lostWords, 1);
  EXPECT_EQ(a.links, (LinkSet{{0, 0}}));
}

TEST(WordAlignment, BrokenTracesAreNotComparable) {
  const Trace unfinished = traceOf({"yes", "<eos>"}, {"oui", "oui"}, {0, 0});
  EXPECT_NE(attnviz::alignWords(unfinished, {"yes"}, {"oui", "oui"}).why.find("before <eos>"), std::string::npos);
  Trace wrongSize = traceOf({"yes", "<eos>"}, {"oui", "<eos>"}, {0, 1});
  wrongSize.sourceTokens = {"yes", "sir", "<eos>"};
  const auto a = attnviz::alignWords(wrongSize, {"yes", "sir"}, {"oui"});
  EXPECT_FALSE(a.comparable);
  EXPECT_NE(a.why.find("2 x 2 for 2 target and 3 source tokens"), std::string::npos) << a.why;
  EXPECT_FALSE(attnviz::alignWords(Trace{}, {"a"}, {"b"}).comparable);
}

TEST(WordAlignment, JoinWordsIsWhatTheModelIsGiven) {
  EXPECT_EQ(attnviz::joinWords({"l'", "homme", "."}), "l' homme .");
  EXPECT_EQ(attnviz::joinWords({}), "");
}

TEST(WordAlignment, SentencePiecesGroupIntoWordsByTheirWordStart) {
  // MarianMT pieces: "▁House" "s" is one word; the source ends with </s>. Target word 1 ("Chambres") reads its
  // first piece's row, which peaks on "s" (source piece 2): source word 1.
  const Trace t = traceOf({"\u2581the", "\u2581House", "s", "</s>"}, {"\u2581les", "\u2581Chambre", "s", "</s>"},
                          {0, 2, 1, 3});
  const auto a = attnviz::alignWords(t, {"the", "Houses"}, {"les", "Chambres"}, {.targetForced = true});
  ASSERT_TRUE(a.comparable) << a.why;
  EXPECT_EQ(a.source.spans.first, (std::vector<int>{0, 1}));
  EXPECT_EQ(a.source.spans.count, (std::vector<int>{1, 2}));
  EXPECT_EQ(a.source.splitWords, 1);
  EXPECT_EQ(a.links, (LinkSet{{0, 0}, {1, 1}}));
  // Shift-Att reads the row after each word's first piece: word 0 -> row 1 (peak 2: word 1), word 1 -> row 2.
  attnviz::WordAlignmentOptions shifted{.targetForced = true};
  shifted.method.shift = true;
  EXPECT_EQ(attnviz::alignWords(t, {"the", "Houses"}, {"les", "Chambres"}, shifted).links, (LinkSet{{1, 0}, {1, 1}}));
  // Pieces making more words than the gold has are not comparable, and say so.
  const auto wrong = attnviz::alignWords(t, {"theHouses"}, {"les", "Chambres"}, {.targetForced = true});
  EXPECT_FALSE(wrong.comparable);
  EXPECT_NE(wrong.why.find("make 2 words"), std::string::npos) << wrong.why;
}

TEST(WordAlignment, LayeredCrossAttentionIsReadAtTheChosenLayerAndHead) {
  // [L=1, H=2, T=2, S=2]: head 0 links target 0 to source 0, head 1 to source 1; their mean ties (first wins).
  Trace t;
  t.sourceTokens = {"a", "<eos>"};
  t.targetTokens = {"x", "<eos>"};
  t.attention["cross"] = attnviz::Tensor({1, 2, 2, 2}, {1, 0, 0, 1, 0, 1, 0, 1});
  attnviz::WordAlignmentOptions o{.targetForced = true};
  o.method.layer = 0;
  o.method.head = 1;
  EXPECT_EQ(attnviz::alignWords(t, {"a"}, {"x"}, o).links, (LinkSet{{0, 0}}));
  o.method.head = 2;  // past the heads: not comparable, named
  const auto a = attnviz::alignWords(t, {"a"}, {"x"}, o);
  EXPECT_FALSE(a.comparable);
  EXPECT_NE(a.why.find("layer 1, head 3 does not exist"), std::string::npos) << a.why;
}
