// Attention-edge knockout (engine/analysis/edge_knockout.h) against tests/data/make_edge_knockout_golden.py, which
// sets the blocked edges' scores to -inf in models/reference/contributions.py's float64 numpy forwards: the
// transformers-written ../shared/real-checkpoints/bert_seqcls (three cases: [CLS] to one token and to two with windows
// of 1 and 2 layers, every token to the last with a window of 3) and the pre-LN tests/data/tiny-hf-vit ([CLS] to four
// patches), drops per layer within 1e-5 (the BERT's drops are a few 1e-4). Also: a blocked run's attention rows
// renormalise over their other keys and give the blocked keys 0 while every other row is untouched, the window
// slides as documented, bad requests are refused by name, cancel stops it.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "engine/analysis/edge_knockout.h"
#include "engine/api/model.h"
#include "engine/core/error.h"
#include "tests/golden/golden_util.h"

using attnviz::Tensor;
namespace fs = std::filesystem;

namespace {

constexpr double kTolerance = 1e-5;

std::map<std::string, Tensor> load() {
  return golden::load(std::string(ATTNVIZ_TEST_DATA) + "/contributions-golden/edge_knockout.npz");
}

std::vector<int> positions(const Tensor& t) {
  std::vector<int> out;
  for (const std::int64_t v : golden::ints(t)) out.push_back(static_cast<int>(v));
  return out;
}

void expectCase(const attnviz::Model& model, const attnviz::Input& input, const std::map<std::string, Tensor>& g,
                const std::string& name, const std::string& kase) {
  const attnviz::Trace reference = model.run(input, {});
  const std::string key = name + "_" + kase;
  const attnviz::EdgeKnockoutRequest request{positions(g.at(key + "_from")), positions(g.at(key + "_to")),
                                             static_cast<int>(g.at(key + "_window").data()[0])};
  int calls = 0;
  const std::optional<attnviz::EdgeKnockout> k =
      attnviz::edgeKnockout(model, input, {}, reference, request, {[&](int, int) { ++calls; }, nullptr});
  ASSERT_TRUE(k);
  const Tensor& expected = g.at(key + "_drops");
  ASSERT_EQ(static_cast<std::int64_t>(k->drop.size()), expected.numel()) << key;
  double worst = 0;
  for (std::size_t l = 0; l < k->drop.size(); ++l)
    worst = std::max(worst, std::fabs(double(k->drop[l]) - expected.data()[l]));
  const double dRef = std::fabs(k->reference - g.at(name + "_reference").data()[0]);
  std::printf("%s: %s %.4f, reference %.2e, drops %.2e\n", key.c_str(), k->scored.c_str(), k->reference, dRef, worst);
  EXPECT_LT(dRef, kTolerance) << key;
  EXPECT_LT(worst, kTolerance) << key;
  EXPECT_EQ(calls, static_cast<int>(k->drop.size())) << key;  // progress after every layer
}

}  // namespace

TEST(EdgeKnockoutGolden, RealBertCheckpointWrittenByTransformers) {
  const auto g = load();
  const auto model = attnviz::loadModel(
      (fs::path(ATTNVIZ_SOURCE_DIR).parent_path() / "shared/real-checkpoints/bert_seqcls").string());
  const attnviz::Input input =
      attnviz::Input::fromTokenIds(golden::ints(g.at("bert_seqcls_ids")), golden::ints(g.at("bert_seqcls_types")));
  for (const char* kase : {"cls_to_1_k1", "cls_to_1_2_k2", "all_to_last_k3"}) expectCase(*model, input, g, "bert_seqcls", kase);
}

TEST(EdgeKnockoutGolden, PreLayerNormVit) {
  const auto g = load();
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-vit");
  const golden::PixelsNpy pixels(g.at("tiny_hf_vit_pixels"));
  expectCase(*model, attnviz::Input::fromPixels(pixels.path()), g, "tiny_hf_vit", "cls_to_patches_k1");
}

TEST(EdgeKnockout, BlockedRowsRenormaliseAndNothingElseMoves) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-bert");
  const auto input = attnviz::Input::fromTokenIds({2, 5, 6, 14, 16, 18, 3});
  const Tensor plain = model->run(input, {}).attention.at("self");  // [L, H, N, N]
  attnviz::RunOptions options;
  options.blockedEdges = {{0, 2, 4}, {0, 2, 5}};  // layer 0: token 2 no longer attends to 4 and 5
  const Tensor blocked = model->run(input, options).attention.at("self");
  const std::int64_t heads = plain.dim(1), n = plain.dim(2);
  for (std::int64_t h = 0; h < heads; ++h)
    for (std::int64_t i = 0; i < n; ++i) {
      const double kept = 1.0 - plain.at({0, h, i, 4}) - plain.at({0, h, i, 5});
      for (std::int64_t j = 0; j < n; ++j) {
        const float got = blocked.at({0, h, i, j}), was = plain.at({0, h, i, j});
        if (i != 2) EXPECT_EQ(got, was) << h << " " << i << " " << j;  // other rows untouched
        else if (j == 4 || j == 5) EXPECT_EQ(got, 0.0f);
        else EXPECT_NEAR(got, was / kept, 1e-6) << h << " " << j;  // the same softmax over the other keys
      }
    }
  // Layer 1 sees a different input, so its maps move; the edges are layer 0's only.
  EXPECT_NE(plain.slice(1).toVector(), blocked.slice(1).toVector());
}

TEST(EdgeKnockout, WindowsRequestsAndRefusals) {
  EXPECT_EQ(attnviz::edgeWindow(0, 1, 12), (std::vector<int>{0}));
  EXPECT_EQ(attnviz::edgeWindow(5, 3, 12), (std::vector<int>{4, 5, 6}));
  EXPECT_EQ(attnviz::edgeWindow(5, 4, 12), (std::vector<int>{4, 5, 6, 7}));
  EXPECT_EQ(attnviz::edgeWindow(0, 9, 12), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(attnviz::edgeWindow(11, 9, 12), (std::vector<int>{7, 8, 9, 10, 11}));
  const attnviz::EdgeKnockoutRequest r = attnviz::parseEdgeKnockout("0:6,5,5:3", "--edge-knockout");
  EXPECT_EQ(r.from, (std::vector<int>{0}));
  EXPECT_EQ(r.to, (std::vector<int>{5, 6}));
  EXPECT_EQ(r.window, 3);
  EXPECT_EQ(attnviz::parseEdgeKnockout("1,2:0", "--edge-knockout").window, 1);
  for (const char* bad : {"0", "0:", ":1", "a:1", "0:1:0", "0:1:x", "0:1:2:3", "0:-1"})
    EXPECT_THROW(attnviz::parseEdgeKnockout(bad, "--edge-knockout"), attnviz::UsageError) << bad;

  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-bert");
  const auto input = attnviz::Input::fromTokenIds({2, 5, 6, 14, 16, 18, 3});
  const attnviz::Trace reference = model->run(input, {});
  const auto refusedAs = [&](const attnviz::EdgeKnockoutRequest& request, const std::string& where) {
    try {
      attnviz::edgeKnockout(*model, input, {}, reference, request, {});
      ADD_FAILURE() << "accepted";
    } catch (const attnviz::UsageError& e) {
      EXPECT_EQ(e.where(), where) << e.message();
    }
  };
  refusedAs({{0}, {7}, 1}, "--edge-knockout");                        // position 7 of 7 tokens
  refusedAs({{0}, {0, 1, 2, 3, 4, 5, 6}, 1}, "--edge-knockout");      // every key of [CLS] blocked
  attnviz::RunOptions options;
  options.blockedEdges = {{0, 1, 0}, {0, 1, 1}, {0, 1, 2}, {0, 1, 3}, {0, 1, 4}, {0, 1, 5}, {0, 1, 6}};
  EXPECT_THROW(model->run(input, options), attnviz::UsageError);  // a row with nothing to attend to
  options.blockedEdges = {{2, 0, 1}};                                // tiny-hf-bert has 2 layers
  EXPECT_THROW(model->run(input, options), attnviz::UsageError);
  options.blockedEdges = {{0, 0, 1}};
  options.contributions = {.alti = true};
  EXPECT_THROW(model->run(input, options), attnviz::UsageError);     // the methods decompose unmodified blocks
  std::atomic<bool> cancel{true};
  EXPECT_FALSE(attnviz::edgeKnockout(*model, input, {}, reference, {{0}, {1}, 1}, {{}, &cancel}));
  attnviz::Trace bare = reference;
  bare.prediction = {};
  EXPECT_THROW(attnviz::edgeKnockout(*model, input, {}, bare, {{0}, {1}, 1}, {}), attnviz::UsageError);
}
