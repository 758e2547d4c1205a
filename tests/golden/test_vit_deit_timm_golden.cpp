// Golden parity of the two other ViT layouts against PyTorch (models/reference/vit.py, written by
// tests/data/make_tiny_deit_timm.py): a Hugging Face DeiTForImageClassificationWithTeacher folder ([CLS] and [DIST],
// two classifiers averaged, DeiT's preprocessing: resize to 40x40 bicubic, center crop 32) and a timm/DINO
// .safetensors without a config (names mapped, qkv split, architecture inferred, F16 weights), each on three PNGs
// resized up and down: self-attention, rollout and probabilities within 1e-4, rows sum to 1, token names, the
// resize warning.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "engine/api/model.h"
#include "tests/golden/golden_util.h"

using attnviz::Tensor;
using golden::maxDiff;
using golden::worstRowSumError;

namespace {

const std::string kData = std::string(ATTNVIZ_TEST_DATA) + "/";
const char* const kImages[] = {"rgb-45x30", "rgb-100x75", "grey-20x20"};

// Runs `model` on the three images and compares with <prefix>-<image>.npz; returns the trace of the last.
attnviz::Trace expectGolden(const attnviz::Model& model, const std::string& prefix) {
  attnviz::Trace t;
  for (const char* image : kImages) {
    const std::string stem = prefix + "-" + image;
    const auto g = golden::load(kData + "tiny-deit-timm-golden/" + stem + ".npz");
    attnviz::RunOptions options;
    options.rollout = attnviz::RolloutFusion::Mean;
    t = model.run(attnviz::Input::fromImage(kData + "tiny-hf-vit-golden/" + image + ".png"), options);
    Tensor probabilities({static_cast<std::int64_t>(t.prediction.probabilities.size())});
    for (std::size_t i = 0; i < t.prediction.probabilities.size(); ++i) probabilities.data()[i] = t.prediction.probabilities[i].second;
    const Tensor& self = t.attention.at("self");
    const double dSelf = maxDiff(self, g.at("attention")), dRollout = maxDiff(t.attention.at("rollout"), g.at("rollout_mean"));
    const double dProb = maxDiff(probabilities, g.at("probabilities"));
    std::printf("%s: attention %.1e rollout %.1e probabilities %.1e\n", stem.c_str(), dSelf, dRollout, dProb);
    EXPECT_LT(dSelf, 1e-4) << stem;
    EXPECT_LT(dRollout, 1e-4) << stem;
    EXPECT_LT(dProb, 1e-4) << stem;
    EXPECT_LT(worstRowSumError(self), 1e-5) << stem;
    EXPECT_LT(worstRowSumError(t.attention.at("rollout")), 1e-5) << stem;
    EXPECT_EQ(t.warnings.size(), 1u) << stem;  // every image here is resized
    EXPECT_TRUE(!t.warnings.empty() && t.warnings[0].find("resized") != std::string::npos) << stem;
  }
  return t;
}

}  // namespace

TEST(VitDeitTimmGolden, HuggingFaceDeitWithTeacher) {
  const auto model = attnviz::loadModel(kData + "tiny-hf-deit");
  EXPECT_EQ(model->info().identity.variant, "deit");
  const attnviz::Trace t = expectGolden(*model, "deit");
  ASSERT_EQ(t.sourceTokens.size(), 18u);  // [CLS] [DIST] + 4x4 patches
  EXPECT_EQ(t.sourceTokens[0], "[CLS]");
  EXPECT_EQ(t.sourceTokens[1], "[DIST]");
  EXPECT_EQ(t.sourceTokens[2], "patch 0,0");
  EXPECT_TRUE(!t.warnings.empty() && t.warnings[0].find("cropped") != std::string::npos);
}

TEST(VitDeitTimmGolden, TimmDinoWeightsWithoutConfig) {
  const auto model = attnviz::loadModel(kData + "tiny-timm-vit.safetensors");
  EXPECT_EQ(model->info().identity.variant, "vit (timm/DINO)");
  const attnviz::Trace t = expectGolden(*model, "timm");
  ASSERT_EQ(t.sourceTokens.size(), 17u);
  EXPECT_EQ(t.sourceTokens[1], "patch 0,0");
  ASSERT_EQ(t.prediction.probabilities.size(), 3u);
  EXPECT_EQ(t.prediction.probabilities[0].first, "class 0");
}
