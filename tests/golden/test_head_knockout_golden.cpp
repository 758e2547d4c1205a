// Head knockout (engine/analysis/head_knockout.h) against tests/data/make_knockout_golden.py, which zeroes the head's
// context columns in models/reference/contributions.py's float64 numpy forwards (the BERT one matches transformers'
// logits to 1e-16): the transformers-written ../shared/real-checkpoints/bert_seqcls and the pre-LN tests/data/tiny-hf-vit,
// one head zeroed and all heads of its layer but one, within 1e-4. Also: a knockout run zeroes exactly the heads named,
// a pair outside the model is refused by name, a model without a prediction to score is refused, cancel stops it.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "engine/analysis/head_knockout.h"
#include "engine/api/model.h"
#include "engine/core/error.h"
#include "tests/golden/golden_util.h"

using attnviz::Tensor;
using golden::maxDiff;
namespace fs = std::filesystem;

namespace {

constexpr double kTolerance = 1e-4;

std::map<std::string, Tensor> load() {
  return golden::load(std::string(ATTNVIZ_TEST_DATA) + "/contributions-golden/knockout.npz");
}

void expectGrids(const attnviz::Model& model, const attnviz::Input& input, const std::map<std::string, Tensor>& g,
                 const std::string& name) {
  const attnviz::Trace reference = model.run(input, {});
  for (const auto mode : {attnviz::KnockoutMode::OneHead, attnviz::KnockoutMode::AllButOneHead}) {
    const std::string key = name + (mode == attnviz::KnockoutMode::OneHead ? "_one" : "_all_but_one");
    int calls = 0;
    const std::optional<attnviz::HeadKnockout> k =
        attnviz::headKnockout(model, input, {}, reference, mode, {[&](int, int) { ++calls; }, nullptr});
    ASSERT_TRUE(k);
    const double dRef = std::fabs(k->reference - g.at(name + "_reference").data()[0]);
    const double dGrid = maxDiff(k->drop, g.at(key));
    std::printf("%s: %s %.4f, reference %.2e, grid %.2e\n", key.c_str(), k->scored.c_str(), k->reference, dRef, dGrid);
    EXPECT_LT(dRef, kTolerance) << key;
    EXPECT_LT(dGrid, kTolerance) << key;
    EXPECT_EQ(calls, static_cast<int>(k->drop.numel())) << key;  // progress after every head
  }
}

}  // namespace

TEST(HeadKnockoutGolden, RealBertCheckpointWrittenByTransformers) {
  const auto g = load();
  const auto model = attnviz::loadModel(
      (fs::path(ATTNVIZ_SOURCE_DIR).parent_path() / "shared/real-checkpoints/bert_seqcls").string());
  const attnviz::Input input =
      attnviz::Input::fromTokenIds(golden::ints(g.at("bert_seqcls_ids")), golden::ints(g.at("bert_seqcls_types")));
  expectGrids(*model, input, g, "bert_seqcls");
}

TEST(HeadKnockoutGolden, PreLayerNormVit) {
  const auto g = load();
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-vit");
  const golden::PixelsNpy pixels(g.at("tiny_hf_vit_pixels"));  // fed as they are (--pixels)
  expectGrids(*model, attnviz::Input::fromPixels(pixels.path()), g, "tiny_hf_vit");
}

TEST(HeadKnockout, OnlyTheNamedHeadsChangeAndBadPairsAreRefusedByName) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-bert");
  const auto input = attnviz::Input::fromTokenIds({2, 5, 6, 14, 16, 18, 3});
  const attnviz::Trace plain = model->run(input, {});
  attnviz::RunOptions options;
  options.knockedOutHeads = {{1, 0}};
  const attnviz::Trace knocked = model->run(input, options);
  // Layer 0 is untouched; layer 1's attention is computed before the knockout, so it is the same too; the output moves.
  EXPECT_EQ(plain.attention.at("self").toVector(), knocked.attention.at("self").toVector());
  EXPECT_NE(plain.prediction.probabilities.front().second, knocked.prediction.probabilities.front().second);
  options.knockedOutHeads = {{2, 0}};  // tiny-hf-bert has 2 layers
  try {
    model->run(input, options);
    FAIL() << "layer 2 accepted";
  } catch (const attnviz::UsageError& e) {
    EXPECT_EQ(e.where(), "--knockout");
    EXPECT_NE(e.message().find("2 layers and 2 heads"), std::string::npos) << e.message();
  }
  // The contribution methods decompose the unmodified blocks: with heads zeroed they are refused, not wrong.
  options.knockedOutHeads = {{1, 0}};
  options.contributions = {.valueZeroing = true};
  try {
    model->run(input, options);
    FAIL() << "--method with --knockout accepted";
  } catch (const attnviz::UsageError& e) {
    EXPECT_EQ(e.where(), "--knockout");
    EXPECT_NE(e.message().find("--method"), std::string::npos) << e.message();
  }
}

TEST(HeadKnockout, CancelStopsAndAModelWithoutAPredictionIsRefused) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-bert");
  const auto input = attnviz::Input::fromTokenIds({2, 5, 6, 14, 16, 18, 3});
  const attnviz::Trace reference = model->run(input, {});
  std::atomic<bool> cancel{true};
  EXPECT_FALSE(attnviz::headKnockout(*model, input, {}, reference, attnviz::KnockoutMode::OneHead, {{}, &cancel}));
  attnviz::Trace bare = reference;
  bare.prediction = {};
  EXPECT_THROW(attnviz::headKnockout(*model, input, {}, bare, attnviz::KnockoutMode::OneHead, {}), attnviz::UsageError);
}
