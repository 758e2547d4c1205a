// Golden parity: the C++ encoder against PyTorch (models/reference/encoder.py) on the tiny random package,
// as a folder with safetensors and as a zip with npz weights. Tokens must be identical; attention, rollout
// and probabilities within 1e-4; every attention row sums to 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "engine/io/tensor_files.h"
#include "engine/api/model.h"

using attnviz::RolloutFusion;
using attnviz::Tensor;

namespace {

constexpr double kTolerance = 1e-4;
const std::string kGolden = std::string(ATTNVIZ_TEST_DATA) + "/tiny-encoder-golden";

struct GoldenCase {
  std::string text;
  std::vector<std::string> tokens;
};

std::vector<GoldenCase> readCases() {
  std::ifstream in(kGolden + "/cases.tsv");
  std::vector<GoldenCase> cases;
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    GoldenCase c{line.substr(0, tab), {}};
    std::istringstream tokens(line.substr(tab + 1));
    for (std::string t; tokens >> t;) c.tokens.push_back(t);
    cases.push_back(std::move(c));
  }
  return cases;
}

std::map<std::string, Tensor> readGolden() {
  std::map<std::string, Tensor> out;
  for (auto& [name, tensor] : attnviz::readNpz(kGolden + "/golden.npz").tensors) out[name] = tensor;
  return out;
}

double maxDiff(const Tensor& got, const Tensor& expected, const std::string& what) {
  EXPECT_EQ(got.shape(), expected.shape()) << what;
  if (got.shape() != expected.shape()) return INFINITY;
  double diff = 0;
  for (std::int64_t i = 0; i < got.numel(); ++i)
    diff = std::max(diff, static_cast<double>(std::abs(got.data()[i] - expected.data()[i])));
  std::printf("%-28s %s maxdiff = %.3e\n", what.c_str(), diff <= kTolerance ? "TENSOR OK," : "TENSOR NOT OK,", diff);
  return diff;
}

void expectRowsSumToOne(const Tensor& map, const std::string& what) {
  const std::int64_t n = map.dim(-1);
  for (std::int64_t r = 0; r < map.numel() / n; ++r) {
    double sum = 0;
    for (std::int64_t j = 0; j < n; ++j) sum += map.data()[r * n + j];
    ASSERT_NEAR(sum, 1.0, 1e-5) << what << " row " << r;
  }
}

class TinyEncoderGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(TinyEncoderGolden, MatchesPyTorch) {
  const auto model = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/" + GetParam());
  const auto golden = readGolden();
  const auto cases = readCases();
  ASSERT_EQ(cases.size(), 5u);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string prefix = "case" + std::to_string(i);
    for (RolloutFusion fusion : {RolloutFusion::Mean, RolloutFusion::Max, RolloutFusion::Min}) {
      attnviz::RunOptions options;
      options.rollout = fusion;
      const attnviz::Trace t = model->run(attnviz::Input::fromText(cases[i].text, prefix), options);
      const std::string fusionName = fusion == RolloutFusion::Mean ? "mean" : fusion == RolloutFusion::Max ? "max" : "min";
      EXPECT_EQ(t.sourceTokens, cases[i].tokens) << prefix;
      EXPECT_LE(maxDiff(t.attention.at("rollout"), golden.at(prefix + "_rollout_" + fusionName), prefix + " rollout " + fusionName),
                kTolerance);
      expectRowsSumToOne(t.attention.at("rollout"), prefix + " rollout");
      if (fusion != RolloutFusion::Mean) continue;
      const Tensor& self = t.attention.at("self");
      EXPECT_LE(maxDiff(self, golden.at(prefix + "_self"), prefix + " self"), kTolerance);
      expectRowsSumToOne(self, prefix + " self");
      std::vector<float> probs;
      for (const auto& [label, p] : t.prediction.probabilities) probs.push_back(p);
      EXPECT_LE(maxDiff(Tensor({static_cast<std::int64_t>(probs.size())}, probs), golden.at(prefix + "_probabilities"),
                        prefix + " probabilities"),
                kTolerance);
      ASSERT_TRUE(t.prediction.label.has_value());
      EXPECT_EQ(t.warnings.empty(), i != 4) << "only the long case is truncated";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Containers, TinyEncoderGolden, ::testing::Values("tiny-encoder", "tiny-encoder-npz.zip"),
                         [](const auto& info) { return info.index == 0 ? std::string("FolderSafetensors") : std::string("ZipNpz"); });

}  // namespace
