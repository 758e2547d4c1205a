// Golden parity of the shipped Fashion-MNIST ViT (models/vit-fashion-mnist, Hugging Face layout, 1 channel)
// against PyTorch: tests/data/vit-fashion-golden/ written by models/vit/golden.py from the shipped weights. Per
// image (four grey test images and one tinted, enlarged RGB one): preprocessed pixels, self-attention, rollout
// (mean), attention flow from [CLS] and probabilities within 1e-4; rows sum to 1; the predicted label is a
// Fashion-MNIST class name.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "engine/io/tensor_files.h"
#include "engine/api/model.h"
#include "tests/golden/golden_util.h"

using attnviz::Tensor;
using golden::maxDiff;

namespace {

const std::string kGolden = std::string(ATTNVIZ_TEST_DATA) + "/vit-fashion-golden/";

}  // namespace

TEST(VitFashionGolden, MatchesPyTorch) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_SOURCE_DIR) + "/models/vit-fashion-mnist");
  const auto& labels = model->info().labels;
  ASSERT_EQ(labels.size(), 10u);
  EXPECT_EQ(labels.front(), "T-shirt/top");
  EXPECT_EQ(labels.back(), "Ankle boot");
  std::ifstream in(kGolden + "cases.tsv");
  int cases = 0;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string file;
    std::getline(fields, file, '\t');
    const std::string stem = file.substr(0, file.rfind('.'));
    const auto g = golden::load(kGolden + stem + ".npz");
    attnviz::RunOptions options;
    options.rollout = attnviz::RolloutFusion::Mean;
    options.flow = true;
    const attnviz::Trace t = model->run(attnviz::Input::fromImage(kGolden + file), options);
    const Tensor& self = t.attention.at("self");
    const std::int64_t n = self.dim(3);
    for (std::int64_t row = 0; row < self.numel() / n; ++row) {
      double sum = 0;
      for (std::int64_t j = 0; j < n; ++j) sum += self.data()[row * n + j];
      ASSERT_NEAR(sum, 1.0, 1e-5) << stem << " row " << row;
    }
    Tensor probabilities({static_cast<std::int64_t>(t.prediction.probabilities.size())});
    for (std::size_t i = 0; i < t.prediction.probabilities.size(); ++i) probabilities.data()[i] = t.prediction.probabilities[i].second;
    const double dSelf = maxDiff(self, g.at("attention")), dRollout = maxDiff(t.attention.at("rollout"), g.at("rollout_mean"));
    const double dFlow = maxDiff(t.attention.at("flow"), g.at("flow_cls")), dProb = maxDiff(probabilities, g.at("probabilities"));
    std::printf("%s -> %s: attention %.1e rollout %.1e flow %.1e probabilities %.1e\n", stem.c_str(),
                t.prediction.label ? t.prediction.label->c_str() : "?", dSelf, dRollout, dFlow, dProb);
    EXPECT_LT(dSelf, 1e-4) << stem;
    EXPECT_LT(dRollout, 1e-4) << stem;
    EXPECT_LT(dFlow, 1e-4) << stem;
    EXPECT_LT(dProb, 1e-4) << stem;
    ++cases;
  }
  EXPECT_EQ(cases, 5);
}
