// Head knockout (engine/analysis/head_knockout.h) against tests/data/make_knockout_golden.py, which zeroes the head's
// context columns in models/reference/contributions.py's float64 numpy forwards (the BERT one matches transformers'
// logits to 1e-16): the transformers-written ../shared/real-checkpoints/bert_seqcls and the pre-LN tests/data/tiny-hf-vit,
// one head zeroed and all heads of its layer but one, within 1e-4. Also: a knockout run zeroes exactly the heads named,
// a pair outside the model is refused by name, a model without a prediction to score is refused, cancel stops it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "engine/analysis/head_knockout.h"
#include "engine/api/model.h"
#include "engine/core/error.h"
#include "engine/io/tensor_files.h"

using attnviz::Tensor;
namespace fs = std::filesystem;

namespace {

constexpr double kTolerance = 1e-4;

std::map<std::string, Tensor> golden() {
  std::map<std::string, Tensor> out;
  for (auto& [name, t] : attnviz::readNpz(std::string(ATTNVIZ_TEST_DATA) + "/contributions-golden/knockout.npz").tensors)
    out[name] = t;
  return out;
}

std::vector<std::int64_t> ints(const Tensor& t) {
  std::vector<std::int64_t> out;
  for (float v : t.values()) out.push_back(static_cast<std::int64_t>(v));
  return out;
}

double maxDiff(const Tensor& got, const Tensor& want) {
  EXPECT_EQ(got.shape(), want.shape());
  double worst = 0;
  for (std::int64_t i = 0; i < std::min(got.numel(), want.numel()); ++i)
    worst = std::max(worst, std::fabs(double(got.data()[i]) - want.data()[i]));
  return worst;
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
  const auto g = golden();
  const auto model = attnviz::loadModel(
      (fs::path(ATTNVIZ_SOURCE_DIR).parent_path() / "shared/real-checkpoints/bert_seqcls").string());
  expectGrids(*model, attnviz::Input::fromTokenIds(ints(g.at("bert_seqcls_ids")), ints(g.at("bert_seqcls_types"))), g,
              "bert_seqcls");
}

TEST(HeadKnockoutGolden, PreLayerNormVit) {
  const auto g = golden();
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-vit");
  const Tensor& pixels = g.at("tiny_hf_vit_pixels");
  const fs::path npy = fs::temp_directory_path() / ("attnviz-knockout-pixels-" + std::to_string(::getpid()) + ".npy");
  {
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, " + std::to_string(pixels.dim(1)) +
                         ", " + std::to_string(pixels.dim(2)) + "), }";
    header.append(64 - (10 + header.size() + 1) % 64, ' ');
    header += '\n';
    std::ofstream out(npy, std::ios::binary);
    const auto length = static_cast<unsigned short>(header.size());
    out << "\x93NUMPY" << char(1) << char(0) << char(length & 0xff) << char(length >> 8) << header;
    out.write(reinterpret_cast<const char*>(pixels.data()), pixels.numel() * 4);
  }
  expectGrids(*model, attnviz::Input::fromPixels(npy.string()), g, "tiny_hf_vit");
  fs::remove(npy);
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
