// Alignment extraction (engine/align/extraction.h) against hand-computed answers: the method names, the map a
// layer/head choice reads (one map, a layer's mean of heads, the mean of all), Shift-Att's one-row shift, the
// many-to-many threshold rule over words made of several tokens, and bad method names.
#include <gtest/gtest.h>

#include "engine/align/extraction.h"
#include "engine/core/error.h"

using attnviz::ExtractionMethod;
using attnviz::ExtractionRule;
using attnviz::LinkSet;
using attnviz::Tensor;
using attnviz::WordSpans;

TEST(Extraction, MethodNamesRoundTrip) {
  for (const char* name : {"argmax", "shift-att", "threshold:0.3", "shift-att+threshold:0.25"}) {
    const ExtractionMethod m = attnviz::parseExtractionMethod(name, "--method");
    EXPECT_EQ(attnviz::extractionRuleName(m), name);
  }
  const ExtractionMethod t = attnviz::parseExtractionMethod("threshold", "--method");
  EXPECT_EQ(t.rule, ExtractionRule::Threshold);
  EXPECT_DOUBLE_EQ(t.threshold, 0.5);
  EXPECT_TRUE(attnviz::parseExtractionMethod("shift-att+argmax", "--method").shift);
  for (const char* bad : {"", "max", "shift-att-argmax", "threshold:0", "threshold:1.5", "threshold:x", "shift-att+"})
    EXPECT_THROW(attnviz::parseExtractionMethod(bad, "--method"), attnviz::UsageError) << bad;
}

TEST(Extraction, SelectCrossMapPicksOrAverages) {
  // [L=2, H=2, T=1, S=2]: map (l, h) = [l + h, 10 * (l + 1) + h]
  Tensor cross({2, 2, 1, 2}, {0, 10, 1, 11, 1, 20, 2, 21});
  EXPECT_EQ(attnviz::selectCrossMap(cross, 1, 0).toVector(), (std::vector<float>{1, 20}));
  EXPECT_EQ(attnviz::selectCrossMap(cross, 0, -1).toVector(), (std::vector<float>{0.5f, 10.5f}));
  EXPECT_EQ(attnviz::selectCrossMap(cross, -1, 1).toVector(), (std::vector<float>{1.5f, 16.0f}));
  EXPECT_EQ(attnviz::selectCrossMap(cross, -1, -1).toVector(), (std::vector<float>{1.0f, 15.5f}));
  const Tensor flat({1, 2}, {0.25f, 0.75f});
  EXPECT_EQ(attnviz::selectCrossMap(flat, 3, 3).toVector(), flat.toVector());  // [T, S] is the map, whatever asked
  EXPECT_THROW(attnviz::selectCrossMap(cross, 2, 0), attnviz::InternalError);
  EXPECT_EQ(attnviz::crossMapName(-1, -1), "mean of all layers and heads");
  EXPECT_EQ(attnviz::crossMapName(1, -1), "layer 2, mean of heads");
  EXPECT_EQ(attnviz::crossMapName(0, 3), "layer 1, head 4");
}

TEST(Extraction, ShiftAttReadsTheNextRow) {
  // 3 target tokens (2 words + <eos>) x 3 source tokens (2 words + <eos>).
  const Tensor map({3, 3}, {0.9f, 0.1f, 0.0f,   // emits target word 0
                            0.2f, 0.7f, 0.1f,   // emits target word 1 (reads word 0)
                            0.6f, 0.3f, 0.1f}); // emits <eos> (reads word 1)
  const WordSpans two = WordSpans::oneTokenEach(2);
  ExtractionMethod m;
  EXPECT_EQ(attnviz::extractWordAlignment(map, two, two, m), (LinkSet{{0, 0}, {1, 1}}));
  m.shift = true;
  EXPECT_EQ(attnviz::extractWordAlignment(map, two, two, m), (LinkSet{{1, 0}, {0, 1}}));
  // A map cut after the first row: the shifted row of word 1 is missing, so word 1 gets no link.
  const Tensor cut({2, 3}, {0.9f, 0.1f, 0.0f, 0.2f, 0.7f, 0.1f});
  EXPECT_EQ(attnviz::extractWordAlignment(cut, two, two, m), (LinkSet{{1, 0}}));
}

TEST(Extraction, ThresholdLinksEverySourceWordAboveIt) {
  // Source word 0 is two tokens (weights add), word 1 one token.
  const Tensor map({2, 4}, {0.2f, 0.25f, 0.45f, 0.1f,
                            0.05f, 0.05f, 0.1f, 0.8f});
  WordSpans source = WordSpans::fromCounts({2, 1});
  const WordSpans target = WordSpans::oneTokenEach(2);
  ExtractionMethod m = attnviz::parseExtractionMethod("threshold:0.4", "test");
  EXPECT_EQ(attnviz::extractWordAlignment(map, target, source, m), (LinkSet{{0, 0}, {1, 0}}));
  m.threshold = 0.9;  // nothing reaches it
  EXPECT_TRUE(attnviz::extractWordAlignment(map, target, source, m).empty());
}
