// Golden parity of the vit kind against PyTorch (models/reference/vit.py) on tests/data/tiny-hf-vit, a random
// Hugging Face ViTForImageClassification: for every PNG of tests/data/tiny-hf-vit-golden/cases.tsv (RGB, resized
// up and down, grey, grey+alpha, RGBA, 16-bit, palette) the preprocessed pixels, self-attention, rollout (mean;
// max with discard 0.5), attention flow and probabilities within 1e-4; rows sum to 1; the token names.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/io/image_file.h"
#include "engine/io/tensor_files.h"
#include "engine/analysis/attention_flow.h"
#include "engine/api/model.h"
#include "engine/analysis/rollout.h"
#include "engine/models/vit/image_input.h"
#include "tests/golden/golden_util.h"

using attnviz::Tensor;
using golden::maxDiff;

namespace {

const std::string kGolden = std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-vit-golden/";

void expectRowsSumToOne(const Tensor& t, const std::string& what) {
  const std::int64_t n = t.dim(t.rank() - 1);
  for (std::int64_t row = 0; row < t.numel() / n; ++row) {
    double sum = 0;
    for (std::int64_t j = 0; j < n; ++j) sum += t.data()[row * n + j];
    ASSERT_NEAR(sum, 1.0, 1e-5) << what << " row " << row;
  }
}

}  // namespace

TEST(VitGolden, MatchesPyTorch) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-vit");
  EXPECT_EQ(model->info().identity.kind, "vit");
  attnviz::VitPreprocess pre;  // tiny-hf-vit/preprocessor_config.json
  pre.height = pre.width = 32;
  pre.mean = pre.std = {0.5f, 0.5f, 0.5f};
  std::ifstream in(kGolden + "cases.tsv");
  int cases = 0;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string file;
    std::getline(fields, file, '\t');
    const std::string stem = file.substr(0, file.rfind('.'));
    const auto g = golden::load(kGolden + stem + ".npz");

    const Tensor pixels = attnviz::preprocessImage(attnviz::decodeImage(kGolden + file, file), pre, 3);
    attnviz::RunOptions options;
    options.rollout = attnviz::RolloutFusion::Mean;
    const attnviz::Trace t = model->run(attnviz::Input::fromImage(kGolden + file), options);
    const Tensor& self = t.attention.at("self");
    expectRowsSumToOne(self, stem + " attention");
    expectRowsSumToOne(t.attention.at("rollout"), stem + " rollout");
    std::vector<std::int64_t> all(static_cast<std::size_t>(self.dim(3)));
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::int64_t>(i);
    const Tensor flow = attnviz::attentionFlow(self, all);
    expectRowsSumToOne(flow, stem + " flow");
    Tensor probabilities({static_cast<std::int64_t>(t.prediction.probabilities.size())});
    for (std::size_t i = 0; i < t.prediction.probabilities.size(); ++i) probabilities.data()[i] = t.prediction.probabilities[i].second;

    const double dPixels = maxDiff(pixels, g.at("pixels")), dSelf = maxDiff(self, g.at("attention"));
    const double dRollout = maxDiff(t.attention.at("rollout"), g.at("rollout_mean"));
    const double dDiscard = maxDiff(attnviz::attentionRollout(self, attnviz::RolloutFusion::Max, 0.5), g.at("rollout_max_discard_0.5"));
    const double dFlow = maxDiff(flow, g.at("flow")), dProb = maxDiff(probabilities, g.at("probabilities"));
    std::printf("%s: pixels %.1e attention %.1e rollout %.1e discard %.1e flow %.1e probabilities %.1e\n", stem.c_str(),
                dPixels, dSelf, dRollout, dDiscard, dFlow, dProb);
    EXPECT_LT(dPixels, 1e-4) << stem;
    EXPECT_LT(dSelf, 1e-4) << stem;
    EXPECT_LT(dRollout, 1e-4) << stem;
    EXPECT_LT(dDiscard, 1e-4) << stem;
    EXPECT_LT(dFlow, 1e-4) << stem;
    EXPECT_LT(dProb, 1e-4) << stem;
    ASSERT_EQ(t.sourceTokens.size(), 17u);
    EXPECT_EQ(t.sourceTokens[0], "[CLS]");
    EXPECT_EQ(t.sourceTokens[1], "patch 0,0");
    EXPECT_EQ(t.sourceTokens[16], "patch 3,3");
    ++cases;
  }
  EXPECT_EQ(cases, 8);
}

TEST(VitGolden, NativeSizeInterpolatesPositionEmbeddings) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-hf-vit");
  std::ifstream in(kGolden + "native.tsv");
  int cases = 0;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string stem, file;
    std::int64_t tokens = 0, rows = 0, cols = 0;
    std::getline(fields, stem, '\t');
    std::getline(fields, file, '\t');
    fields >> tokens >> rows >> cols;
    const auto g = golden::load(kGolden + stem + ".npz");
    attnviz::RunOptions options;
    options.nativeSize = true;
    options.rollout = attnviz::RolloutFusion::Mean;
    const attnviz::Trace t = model->run(attnviz::Input::fromImage(kGolden + file), options);
    ASSERT_EQ(static_cast<std::int64_t>(t.sourceTokens.size()), tokens) << stem;
    EXPECT_EQ(t.sourceTokens.back(), "patch " + std::to_string(rows - 1) + "," + std::to_string(cols - 1));
    Tensor probabilities({static_cast<std::int64_t>(t.prediction.probabilities.size())});
    for (std::size_t i = 0; i < t.prediction.probabilities.size(); ++i) probabilities.data()[i] = t.prediction.probabilities[i].second;
    const double dSelf = maxDiff(t.attention.at("self"), g.at("attention"));
    const double dRollout = maxDiff(t.attention.at("rollout"), g.at("rollout_mean"));
    const double dProb = maxDiff(probabilities, g.at("probabilities"));
    std::printf("%s (%lldx%lld patches): attention %.1e rollout %.1e probabilities %.1e\n", stem.c_str(),
                static_cast<long long>(rows), static_cast<long long>(cols), dSelf, dRollout, dProb);
    EXPECT_LT(dSelf, 1e-4) << stem;
    EXPECT_LT(dRollout, 1e-4) << stem;
    EXPECT_LT(dProb, 1e-4) << stem;
    EXPECT_TRUE(t.warnings.empty()) << stem;
    ++cases;
  }
  EXPECT_EQ(cases, 2);
}
