// Token contributions (engine/analysis/contributions.h) against models/reference/contributions.py, a float64 numpy
// reference written from the papers and from reading mt-upc/transformer-contributions (its BERT forward matches
// transformers' float64 logits to 1e-16). tests/data/contributions-golden/README.md lists the cases:
//   bert_seqcls   ../shared/real-checkpoints (written by transformers), 3 id sequences with segments
//   tiny_hf_bert  tests/data/tiny-hf-bert, 3 cases (a pair among them)
//   coref_bert    the shipped models/coref-bert on "The animal didn't cross the street because it was too tired."
//   tiny_hf_vit   tests/data/tiny-hf-vit (pre-LN) on the pixels of a golden image
// alti and alti_rollout within 1e-4; value_norm within 1e-4 of its largest entry per layer and head (its values reach
// tens), value_norm_sum per layer likewise. Invariants on every case: non-negative, rows of alti and its rollout sum
// to 1, and the decomposition sums back to the block's output (LN1's for BERT, the residual sum for ViT) within 1e-4.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "engine/analysis/contributions.h"
#include "engine/api/model.h"
#include "engine/core/error.h"
#include "tests/golden/golden_util.h"

using attnviz::Tensor;
namespace fs = std::filesystem;

namespace {

constexpr double kTolerance = 1e-4;

std::map<std::string, Tensor> load(const std::string& file) {
  return golden::load(std::string(ATTNVIZ_TEST_DATA) + "/contributions-golden/" + file);
}

using golden::expectNonNegative;
using golden::expectRowsSumToOne;
using golden::maxDiff;
using golden::maxRelativeToMapMax;

// Runs one case with both methods and the blocks kept, and compares everything the golden has for it.
void expectCase(const attnviz::Model& model, const attnviz::Input& input, const std::map<std::string, Tensor>& g,
                const std::string& k, const std::string& label, const std::string& blockOutputKey) {
  attnviz::RunOptions options;
  options.contributions = {.valueNorm = true, .alti = true};
  options.keepAttentionBlocks = true;
  const attnviz::Trace t = model.run(input, options);
  const auto& a = t.attention;
  const double dNorm = maxRelativeToMapMax(a.at("value_norm"), g.at("value_norm_" + k));
  const double dSum = maxRelativeToMapMax(a.at("value_norm_sum"), g.at("value_norm_sum_" + k));
  const double dAlti = maxDiff(a.at("alti"), g.at("alti_" + k));
  const double dRollout = maxDiff(a.at("alti_rollout"), g.at("alti_rollout_" + k));
  // The decomposition of each layer, summed back, against the reference's block output.
  const Tensor& blockOut = g.at(blockOutputKey + "_" + k);  // [L, N, D]
  double dBlock = 0;
  for (std::int64_t l = 0; l < blockOut.dim(0); ++l)
    dBlock = std::max(dBlock, maxDiff(attnviz::decomposedBlockOutput(t.attentionBlocks[static_cast<std::size_t>(l)],
                                                                      a.at("self").slice(l)),
                                      blockOut.slice(l)));
  std::printf("%s case %s: value_norm %.2e (of map max), value_norm_sum %.2e, alti %.2e, alti_rollout %.2e, "
              "decomposition %.2e\n", label.c_str(), k.c_str(), dNorm, dSum, dAlti, dRollout, dBlock);
  EXPECT_LT(dNorm, kTolerance) << label << " " << k;
  EXPECT_LT(dSum, kTolerance) << label << " " << k;
  EXPECT_LT(dAlti, kTolerance) << label << " " << k;
  EXPECT_LT(dRollout, kTolerance) << label << " " << k;
  EXPECT_LT(dBlock, kTolerance) << label << " " << k;
  for (const char* name : {"value_norm", "value_norm_sum", "alti", "alti_rollout"}) expectNonNegative(a.at(name), name);
  expectRowsSumToOne(a.at("alti"), label + " alti");
  expectRowsSumToOne(a.at("alti_rollout"), label + " alti_rollout");
}

void expectTokenIdCases(const std::string& modelPath, const std::string& goldenFile) {
  const auto model = attnviz::loadModel(modelPath);
  const auto g = load(goldenFile);
  int cases = 0;
  for (int k = 0; g.contains("ids_" + std::to_string(k)); ++k, ++cases) {
    const std::string key = std::to_string(k);
    expectCase(*model, attnviz::Input::fromTokenIds(golden::ints(g.at("ids_" + key)), golden::ints(g.at("types_" + key))), g, key,
               goldenFile, "ln1_out");
  }
  EXPECT_GE(cases, 1) << goldenFile;
}

}  // namespace

TEST(ContributionsGolden, RealBertCheckpointWrittenByTransformers) {
  expectTokenIdCases((fs::path(ATTNVIZ_SOURCE_DIR).parent_path() / "shared/real-checkpoints/bert_seqcls").string(),
                     "bert_seqcls.npz");
}

TEST(ContributionsGolden, TinyHfBert) { expectTokenIdCases(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-bert", "tiny_hf_bert.npz"); }

TEST(ContributionsGolden, ShippedCoreferenceBert) {
  expectTokenIdCases(std::string(ATTNVIZ_SOURCE_DIR) + "/models/coref-bert", "coref_bert.npz");
}

TEST(ContributionsGolden, PreLayerNormVit) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-vit");
  const auto g = load("tiny_hf_vit.npz");
  const golden::PixelsNpy pixels(g.at("pixels"));  // fed as they are (--pixels)
  expectCase(*model, attnviz::Input::fromPixels(pixels.path()), g, "0", "tiny_hf_vit.npz", "attn_residual_out");
}

TEST(Contributions, RolloutIsTheProductOfTheLayersFromTheFirstUp) {
  // C^1 C^0 for two hand-made 2x2 layers.
  const Tensor layers({2, 2, 2}, {0.5f, 0.5f, 0.0f, 1.0f, 1.0f, 0.0f, 0.25f, 0.75f});
  const Tensor r = attnviz::contributionRollout(layers);
  EXPECT_FLOAT_EQ(r.at({0, 0}), 0.5f);   // row 0 of C^1 = [1, 0] picks row 0 of C^0
  EXPECT_FLOAT_EQ(r.at({0, 1}), 0.5f);
  EXPECT_FLOAT_EQ(r.at({1, 0}), 0.125f);  // 0.25 [0.5 0.5] + 0.75 [0 1]
  EXPECT_FLOAT_EQ(r.at({1, 1}), 0.875f);
}

TEST(Contributions, MethodListsParseAndUnknownNamesAreRefusedByName) {
  const attnviz::ContributionSet both = attnviz::parseContributionMethods("value-norm,alti", "--method");
  EXPECT_TRUE(both.valueNorm && both.alti);
  try {
    attnviz::parseContributionMethods("alti,lrp", "--method");
    FAIL() << "lrp accepted";
  } catch (const attnviz::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("lrp"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("value-norm, alti"), std::string::npos) << e.what();
  }
}

TEST(Contributions, KindsWithoutAttentionBlocksRefuseTheMethodsByName) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-han");
  attnviz::RunOptions options;
  options.contributions.alti = true;
  try {
    model->run(attnviz::Input::fromText("a good film."), options);
    FAIL() << "a han model ran --method alti";
  } catch (const attnviz::UsageError& e) {
    EXPECT_EQ(e.where(), "--method");
    EXPECT_NE(e.message().find("(encoder, vit)"), std::string::npos) << e.message();
  }
}
