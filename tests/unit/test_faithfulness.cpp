// The parts of engine/analysis/faithfulness.h that need no model, against the hand-made cases of
// models/reference/faithfulness.py --check; and token removal (RunOptions::removed) in the encoder and the ViT:
// what a masked or deleted token becomes, and the positions refused.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/analysis/faithfulness.h"
#include "engine/api/model.h"
#include "engine/core/error.h"

namespace {

// A scorer that only reads unit 2: p = 0.9 while it is there, 0.4 once it is removed.
double readsUnitTwo(const std::vector<int>& removed) {
  return std::find(removed.begin(), removed.end(), 2) == removed.end() ? 0.9 : 0.4;
}

}  // namespace

TEST(Faithfulness, TopUnitsFloorTheCountAndPutTheLaterOfEqualScoresFirst) {
  const std::vector<float> equal{1.0f, 1.0f, 0.5f};
  EXPECT_EQ(attnviz::topUnits(equal, 0.5), std::vector<int>{1});  // floor(1.5) = 1; unit 1 before unit 0
  EXPECT_TRUE(attnviz::topUnits(std::vector<float>(9, 1.0f), 0.1).empty());  // floor(0.9) = 0
  const std::vector<float> scores{0.1f, 0.7f, 0.3f, 0.9f};
  EXPECT_EQ(attnviz::topUnits(scores, 0.5), (std::vector<int>{3, 1}));
}

TEST(Faithfulness, AssessRankingMatchesTheReferencesHandMadeCase) {
  const std::vector<float> scores{0.0f, 0.1f, 0.9f, 0.2f, 0.3f, 0.0f, 0.05f, 0.0f, 0.0f, 0.0f};  // M = 10
  std::vector<float> loo(10, 0.0f);
  loo[2] = 0.5f;
  const attnviz::RankingFaithfulness r = attnviz::assessRanking("hand", scores, 0.9, readsUnitTwo, loo);
  EXPECT_EQ(r.fractions, (std::vector<double>{0.1, 0.2, 0.3, 0.4, 0.5}));
  for (double c : r.comprehensiveness) EXPECT_NEAR(c, 0.5, 1e-12);  // unit 2 is in every top(k)
  for (double s : r.sufficiency) EXPECT_NEAR(s, 0.0, 1e-12);        // and never among the others removed
  EXPECT_NEAR(r.aopcComprehensiveness, 0.5, 1e-12);
  EXPECT_NEAR(r.aopcSufficiency, 0.0, 1e-12);
  EXPECT_GT(r.tau, 0.0);
}

TEST(Faithfulness, AFractionWhoseSetRepeatsIsSkippedAndTooFewUnitsGiveNaN) {
  // M = 6: floor(k * 6) = 0, 1, 1, 2, 3: k = 0.1 keeps nothing, 0.3 repeats 0.2's set.
  const std::vector<float> scores{0.3f, 0.2f, 0.9f, 0.1f, 0.0f, 0.4f};
  const attnviz::RankingFaithfulness r =
      attnviz::assessRanking("hand", scores, 0.9, readsUnitTwo, std::vector<float>(6, 0.0f));
  EXPECT_EQ(r.fractions, (std::vector<double>{0.2, 0.4, 0.5}));
  // One unit: floor(k * 1) = 0 for every k up to 0.5, so no fraction is kept (two units would keep k = 0.5).
  const attnviz::RankingFaithfulness none =
      attnviz::assessRanking("hand", {0.5f}, 0.9, readsUnitTwo, std::vector<float>(1, 0.0f));
  EXPECT_TRUE(none.fractions.empty());
  EXPECT_TRUE(std::isnan(none.aopcComprehensiveness));
  EXPECT_TRUE(std::isnan(none.aopcSufficiency));
}

TEST(Faithfulness, MethodNamesParseInTheTablesOrderAndBadOnesAreNamed) {
  EXPECT_EQ(attnviz::parseFaithfulnessMethods("alti,attention"), (std::vector<std::string>{"attention", "alti"}));
  const auto refused = [](const char* list) {
    try {
      attnviz::parseFaithfulnessMethods(list, "--methods");
    } catch (const attnviz::UsageError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(refused("alti,lime").find("no method \"lime\""), std::string::npos) << refused("alti,lime");
  EXPECT_NE(refused("alti,alti").find("twice"), std::string::npos);
  EXPECT_NE(refused("").find("empty method name"), std::string::npos);
  EXPECT_NE(refused("alti,").find("empty method name"), std::string::npos);
  const attnviz::ContributionSet needed = attnviz::contributionsFor({"attention", "globenc", "value-zeroing"});
  EXPECT_TRUE(needed.globenc && needed.valueZeroing && !needed.alti && !needed.valueNorm);
}

TEST(TokenRemoval, EncoderMasksWithMaskAndDeletesTokens) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-bert");
  const attnviz::Input input = attnviz::Input::fromTokenIds({2, 5, 6, 14, 16, 3});
  attnviz::RunOptions options;
  options.removed = {attnviz::TokenRemoval::How::Mask, {1, 3}};
  const attnviz::Trace masked = model->run(input, options);
  ASSERT_EQ(masked.sourceTokens.size(), 6u);
  EXPECT_EQ(masked.sourceTokens[1], "[MASK]");
  EXPECT_EQ(masked.sourceTokens[3], "[MASK]");
  // Masking by hand with id 4 ([MASK]) gives the same run.
  const attnviz::Trace byHand = model->run(attnviz::Input::fromTokenIds({2, 4, 6, 4, 16, 3}), {});
  EXPECT_EQ(masked.prediction.probabilities, byHand.prediction.probabilities);
  options.removed.how = attnviz::TokenRemoval::How::Delete;
  const attnviz::Trace deleted = model->run(input, options);
  EXPECT_EQ(deleted.attention.at("self").dim(-1), 4);
  const attnviz::Trace shorter = model->run(attnviz::Input::fromTokenIds({2, 6, 16, 3}), {});
  EXPECT_EQ(deleted.prediction.probabilities, shorter.prediction.probabilities);
  options.removed.positions = {6};
  EXPECT_THROW(model->run(input, options), attnviz::UsageError);
  options.removed.positions = {2, 2};
  EXPECT_THROW(model->run(input, options), attnviz::UsageError);
}

TEST(TokenRemoval, VitZeroesOrDropsPatchesButNeverItsClassToken) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-vit");
  const attnviz::Input input = attnviz::Input::fromImage(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-vit-golden/rgb-32x32.png");
  const attnviz::Trace plain = model->run(input, {});
  attnviz::RunOptions options;
  options.removed = {attnviz::TokenRemoval::How::Delete, {1, 5}};
  const attnviz::Trace deleted = model->run(input, options);
  EXPECT_EQ(deleted.sourceTokens.size() + 2, plain.sourceTokens.size());
  EXPECT_EQ(deleted.sourceTokens[1], plain.sourceTokens[2]);  // patch 0,0 left out
  options.removed.how = attnviz::TokenRemoval::How::Mask;
  const attnviz::Trace masked = model->run(input, options);
  EXPECT_EQ(masked.sourceTokens, plain.sourceTokens);
  EXPECT_NE(masked.prediction.probabilities, plain.prediction.probabilities);
  options.removed.positions = {0};
  EXPECT_THROW(model->run(input, options), attnviz::UsageError);
}

TEST(TokenRemoval, OtherKindsRefuseIt) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-han");
  attnviz::RunOptions options;
  options.removed = {attnviz::TokenRemoval::How::Mask, {1}};
  EXPECT_THROW(model->run(attnviz::Input::fromText("a good film ."), options), attnviz::UsageError);
  options.removed = {};
  options.faithfulness = {{"attention"}, attnviz::TokenRemoval::How::Mask};
  EXPECT_THROW(model->run(attnviz::Input::fromText("a good film ."), options), attnviz::UsageError);
}

TEST(Faithfulness, DeletionIsRefusedForAPredictionReadAtPositions) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_SOURCE_DIR) + "/models/coref-bert");
  attnviz::RunOptions options;
  options.faithfulness = {{"attention"}, attnviz::TokenRemoval::How::Delete};
  const attnviz::Input input = attnviz::Input::fromText("The animal didn't cross the street because it was too tired.");
  try {
    model->run(input, options);
    FAIL() << "deletion ran on a coreference model";
  } catch (const attnviz::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--removal mask"), std::string::npos) << e.what();
  }
  // Masking works, and ranks by the pronoun's row.
  options.faithfulness.removal = attnviz::TokenRemoval::How::Mask;
  const attnviz::Trace t = model->run(input, options);
  ASSERT_TRUE(t.faithfulness);
  EXPECT_EQ(t.sourceTokens[static_cast<std::size_t>(t.faithfulness->row)], "it");
  EXPECT_EQ(t.faithfulness->maskToken, "[MASK]");
  // Every token but [CLS], [SEP] and the pronoun itself (removing it would remove the prediction).
  EXPECT_EQ(t.faithfulness->leaveOneOut.size() + 3, t.sourceTokens.size());
  EXPECT_EQ(std::count(t.faithfulness->units.begin(), t.faithfulness->units.end(), t.faithfulness->row), 0);
}
