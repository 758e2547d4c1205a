// GlobEnc (contributions.h) and value zeroing (value_zeroing.h) against models/reference/globenc.py and
// value_zeroing.py, float64 numpy references written from reading mohsenfayyaz/GlobEnc and hmohebbi/ValueZeroing (the
// value-zeroing one also checked against a float64 PyTorch forward with the value rows zeroed by a hook; the BERT
// forward matches transformers' float64 logits to 1e-16). The cases of tests/data/contributions-golden/README.md:
// the transformers-written bert_seqcls, tiny-hf-bert, the shipped coref-bert and the pre-LN tiny ViT.
// globenc and globenc_rollout are raw norms (not normalised, as the GlobEnc repository): within 1e-4 of each map's
// largest entry. value_zeroing and its rollout within 1e-4; their rows sum to 1, and every value is non-negative.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "engine/api/model.h"
#include "tests/golden/golden_util.h"

using attnviz::Tensor;
using golden::maxDiff;
using golden::maxRelativeToMapMax;
namespace fs = std::filesystem;

namespace {

constexpr double kTolerance = 1e-4;

std::map<std::string, Tensor> load(const std::string& file) {
  return golden::load(std::string(ATTNVIZ_TEST_DATA) + "/contributions-golden/" + file);
}

void expectCase(const attnviz::Model& model, const attnviz::Input& input, const std::map<std::string, Tensor>& g,
                const std::string& k, const std::string& label) {
  attnviz::RunOptions options;
  options.contributions = {.globenc = true, .valueZeroing = true};
  const attnviz::Trace t = model.run(input, options);
  const auto& a = t.attention;
  const double dG = maxRelativeToMapMax(a.at("globenc"), g.at("globenc_" + k));
  const double dGR = maxRelativeToMapMax(a.at("globenc_rollout"), g.at("globenc_rollout_" + k));
  const double dV = maxDiff(a.at("value_zeroing"), g.at("value_zeroing_" + k));
  const double dVR = maxDiff(a.at("value_zeroing_rollout"), g.at("value_zeroing_rollout_" + k));
  std::printf("%s case %s: globenc %.2e, globenc_rollout %.2e (of map max), value_zeroing %.2e, rollout %.2e\n",
              label.c_str(), k.c_str(), dG, dGR, dV, dVR);
  EXPECT_LT(dG, kTolerance) << label << " " << k;
  EXPECT_LT(dGR, kTolerance) << label << " " << k;
  EXPECT_LT(dV, kTolerance) << label << " " << k;
  EXPECT_LT(dVR, kTolerance) << label << " " << k;
  for (const char* name : {"globenc", "globenc_rollout", "value_zeroing", "value_zeroing_rollout"})
    golden::expectNonNegative(a.at(name), label + " " + name);
  golden::expectRowsSumToOne(a.at("value_zeroing"), label + " value_zeroing");
  golden::expectRowsSumToOne(a.at("value_zeroing_rollout"), label + " value_zeroing_rollout");
  EXPECT_TRUE(t.attentionBlocks.empty()) << "the blocks are kept only when asked";
}

void expectTokenIdCases(const std::string& modelPath, const std::string& goldenFile) {
  const auto model = attnviz::loadModel(modelPath);
  const auto g = load(goldenFile);
  int cases = 0;
  for (int k = 0; g.contains("ids_" + std::to_string(k)); ++k, ++cases) {
    const std::string key = std::to_string(k);
    expectCase(*model, attnviz::Input::fromTokenIds(golden::ints(g.at("ids_" + key)), golden::ints(g.at("types_" + key))),
               g, key, goldenFile);
  }
  EXPECT_GE(cases, 1) << goldenFile;
}

}  // namespace

TEST(GlobEncValueZeroingGolden, RealBertCheckpointWrittenByTransformers) {
  expectTokenIdCases((fs::path(ATTNVIZ_SOURCE_DIR).parent_path() / "shared/real-checkpoints/bert_seqcls").string(),
                     "globenc_vz_bert_seqcls.npz");
}

TEST(GlobEncValueZeroingGolden, TinyHfBert) {
  expectTokenIdCases(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-bert", "globenc_vz_tiny_hf_bert.npz");
}

TEST(GlobEncValueZeroingGolden, ShippedCoreferenceBert) {
  expectTokenIdCases(std::string(ATTNVIZ_SOURCE_DIR) + "/models/coref-bert", "globenc_vz_coref_bert.npz");
}

TEST(GlobEncValueZeroingGolden, PreLayerNormVit) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-vit");
  const auto g = load("globenc_vz_tiny_hf_vit.npz");
  const golden::PixelsNpy pixels(g.at("pixels"));  // fed as they are (--pixels)
  expectCase(*model, attnviz::Input::fromPixels(pixels.path()), g, "0", "globenc_vz_tiny_hf_vit.npz");
}
