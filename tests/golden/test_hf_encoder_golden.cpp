// Golden parity for Hugging Face checkpoints run as the encoder kind: tests/data/tiny-hf-bert (a folder,
// BertForSequenceClassification names with the "bert." prefix, vocab.txt) and tests/data/tiny-hf-distilbert.zip
// (DistilBERT names, ReLU pre-classifier, no token types, tokenizer.json), against PyTorch outputs written by
// tests/data/make_tiny_hf_bert.py: wordpieces exactly, self-attention and probabilities within 1e-4 (max diffs
// printed), rows summing to 1, and the truncation warning for an input over max_position_embeddings.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engine/io/tensor_files.h"
#include "engine/api/model.h"

using attnviz::Tensor;

namespace {

const std::string kData = ATTNVIZ_TEST_DATA;

struct Case {
  std::string text;
  std::vector<std::string> tokens;
};

std::vector<Case> cases() {
  std::ifstream in(kData + "/tiny-hf-golden/cases.tsv");
  std::vector<Case> out;
  for (std::string line; std::getline(in, line);) {
    const auto tab = line.find('\t');
    Case c{line.substr(0, tab), {}};
    std::istringstream words(line.substr(tab + 1));
    for (std::string w; words >> w;) c.tokens.push_back(w);
    out.push_back(std::move(c));
  }
  return out;
}

void checkAgainst(const std::string& modelPath, const std::string& goldenName) {
  std::map<std::string, Tensor> golden;
  for (auto& [name, t] : attnviz::readNpz(kData + "/tiny-hf-golden/" + goldenName).tensors) golden.emplace(name, std::move(t));
  const auto model = attnviz::loadModel(modelPath);
  EXPECT_EQ(model->info().identity.kind, "encoder");
  EXPECT_EQ(model->info().labels, (std::vector<std::string>{"NEGATIVE", "POSITIVE"}));
  const std::vector<Case> all = cases();
  ASSERT_EQ(all.size(), 3u);
  for (std::size_t k = 0; k < all.size(); ++k) {
    const std::string key = "case" + std::to_string(k);
    const attnviz::Trace t = model->run(attnviz::Input::fromText(all[k].text, key), {});
    EXPECT_EQ(t.sourceTokens, all[k].tokens) << key;
    const Tensor& self = t.attention.at("self");
    const Tensor& expected = golden.at(key + "_self");
    ASSERT_EQ(self.shape(), expected.shape()) << key;
    double worst = 0;
    for (std::int64_t i = 0; i < self.numel(); ++i)
      worst = std::max(worst, std::fabs(double(self.data()[i]) - expected.data()[i]));
    const std::int64_t n = self.dim(3);
    for (std::int64_t row = 0; row < self.numel() / n; ++row) {
      double sum = 0;
      for (std::int64_t j = 0; j < n; ++j) sum += self.data()[row * n + j];
      ASSERT_NEAR(sum, 1.0, 1e-5) << key << " row " << row;
    }
    double worstP = 0;
    for (std::size_t i = 0; i < t.prediction.probabilities.size(); ++i)
      worstP = std::max(worstP, std::fabs(double(t.prediction.probabilities[i].second) - golden.at(key + "_probabilities").data()[i]));
    std::printf("%s %s: maxdiff self-attention %.2e, probabilities %.2e\n", goldenName.c_str(), key.c_str(), worst, worstP);
    EXPECT_LT(worst, 1e-4);
    EXPECT_LT(worstP, 1e-4);
    if (k == 2) {
      ASSERT_EQ(t.warnings.size(), 1u) << key;
      EXPECT_NE(t.warnings[0].find("truncated to 24"), std::string::npos) << t.warnings[0];
    } else {
      EXPECT_TRUE(t.warnings.empty()) << key;
    }
  }
}

}  // namespace

TEST(HfEncoderGolden, BertFolder) { checkAgainst(kData + "/tiny-hf-bert", "bert.npz"); }

TEST(HfEncoderGolden, DistilBertZip) { checkAgainst(kData + "/tiny-hf-distilbert.zip", "distilbert.npz"); }
