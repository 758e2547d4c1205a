// Golden parity: the C++ han engine against PyTorch (models/han/model.py) for the shipped model
// models/han-movie-reviews, on tests/data/han-golden (models/han/golden.py: a one-sentence review, a 100+
// sentence document, one with unknown words and one-word sentences, five validation reviews). Per case:
// probabilities, sentence attention and every word attention within 1e-4 (max diffs printed), every
// attention list summing to 1; leave-one-out occlusion of one case within 1e-4.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <string>

#include "engine/io/tensor_files.h"
#include "engine/api/model.h"

namespace fs = std::filesystem;
using attnviz::Tensor;

namespace {

constexpr double kTolerance = 1e-4;
const std::string kGolden = std::string(ATTNVIZ_TEST_DATA) + "/han-golden";
const std::string kModel = std::string(ATTNVIZ_SOURCE_DIR) + "/models/han-movie-reviews";
constexpr int kOcclusionCase = 2;  // golden.py OCCLUSION_CASE

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

double maxDiff(std::span<const float> a, std::span<const float> b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(double(a[i]) - double(b[i])));
  return worst;
}

double sum(std::span<const float> v) { return std::accumulate(v.begin(), v.end(), 0.0); }

}  // namespace

TEST(HanGolden, MatchesPyTorch) {
  ASSERT_TRUE(fs::exists(kModel)) << kModel;
  std::map<std::string, Tensor> golden;
  for (auto& [name, tensor] : attnviz::readNpz(kGolden + "/han.npz").tensors) golden.emplace(name, std::move(tensor));
  const auto model = attnviz::loadModel(kModel);
  attnviz::RunOptions options;
  options.sentences = attnviz::SentenceMode::Lines;
  int cases = 0;
  bool sawLong = false, sawSingle = false;
  for (int k = 0; fs::exists(kGolden + "/case" + std::to_string(k) + ".txt"); ++k, ++cases) {
    const std::string key = "case" + std::to_string(k);
    const std::string text = readFile(kGolden + "/" + key + ".txt");
    options.occlusion = k == kOcclusionCase;
    const attnviz::Trace t = model->run(attnviz::Input::fromText(text, key), options);
    std::istringstream lines(text);
    std::size_t s = 0;
    for (std::string line; std::getline(lines, line); ++s) {
      std::istringstream words(line);
      std::vector<std::string> expected;
      for (std::string w; words >> w;) expected.push_back(w);
      ASSERT_LT(s, t.sentences.size());
      EXPECT_EQ(t.sentences[s], expected) << key << " sentence " << s;
    }
    ASSERT_EQ(t.sentences.size(), s) << key;
    sawLong = sawLong || s >= 100;
    sawSingle = sawSingle || s == 1;

    std::vector<float> probabilities;
    for (const auto& [label, p] : t.prediction.probabilities) probabilities.push_back(p);
    const Tensor& sentence = t.attention.at("sentence");
    std::vector<float> words;
    for (const Tensor& w : t.raggedAttention.at("word")) {
      EXPECT_NEAR(sum(w.values()), 1.0, 1e-5) << key;
      words.insert(words.end(), w.values().begin(), w.values().end());
    }
    EXPECT_NEAR(sum(sentence.values()), 1.0, 1e-5) << key;
    const Tensor& gp = golden.at(key + "_probabilities");
    const Tensor& gs = golden.at(key + "_sentence_attention");
    const Tensor& gw = golden.at(key + "_word_attention");
    ASSERT_EQ(probabilities.size(), static_cast<std::size_t>(gp.numel()));
    ASSERT_EQ(sentence.numel(), gs.numel());
    ASSERT_EQ(words.size(), static_cast<std::size_t>(gw.numel()));
    const double dp = maxDiff(probabilities, gp.values()), ds = maxDiff(sentence.values(), gs.values()),
                 dw = maxDiff(words, gw.values());
    std::printf("%s (%zu sentences, %zu words): maxdiff probabilities %.2e, sentence attention %.2e, word attention %.2e\n",
                key.c_str(), s, words.size(), dp, ds, dw);
    EXPECT_LT(dp, kTolerance) << key;
    EXPECT_LT(ds, kTolerance) << key;
    EXPECT_LT(dw, kTolerance) << key;

    if (k == kOcclusionCase) {
      ASSERT_TRUE(t.occlusion);
      std::vector<float> occludedWords;
      for (const auto& row : t.occlusion->word) occludedWords.insert(occludedWords.end(), row.begin(), row.end());
      const double dow = maxDiff(occludedWords, golden.at("occlusion_words").values());
      const double dos = maxDiff(t.occlusion->sentence, golden.at("occlusion_sentences").values());
      std::printf("%s occlusion: maxdiff words %.2e, sentences %.2e\n", key.c_str(), dow, dos);
      EXPECT_LT(dow, kTolerance);
      EXPECT_LT(dos, kTolerance);
    }
  }
  EXPECT_GE(cases, 8);
  EXPECT_TRUE(sawLong) << "no 100+ sentence case";
  EXPECT_TRUE(sawSingle) << "no one-sentence case";
}

// Occlusion classifies changed documents in batches (64 at a time, sequences padded to length buckets); each
// effect must equal p(label | document) minus p(label | the edited document run alone). A 70+ word sentence
// makes a word batch span two chunks and a 128-step bucket.
TEST(HanGolden, BatchedOcclusionEqualsSeparateRuns) {
  ASSERT_TRUE(fs::exists(kModel)) << kModel;
  const auto model = attnviz::loadModel(kModel);
  std::istringstream in(readFile(kGolden + "/case3.txt"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_GE(lines.size(), 6u);
  std::string joined = lines[3] + " " + lines[4] + " " + lines[5];
  std::vector<std::string> document = {lines[0], lines[1], lines[2], joined};
  const auto text = [](const std::vector<std::string>& sentences) {
    std::string out;
    for (const auto& s : sentences) out += s + "\n";
    return out;
  };
  attnviz::RunOptions options;
  options.sentences = attnviz::SentenceMode::Lines;
  options.occlusion = true;
  const attnviz::Trace t = model->run(attnviz::Input::fromText(text(document), "doc"), options);
  ASSERT_TRUE(t.occlusion);
  ASSERT_GT(t.sentences[3].size(), 64u) << "the long sentence should need two batches";
  options.occlusion = false;
  const auto probability = [&](const std::vector<std::string>& sentences) {
    const attnviz::Trace r = model->run(attnviz::Input::fromText(text(sentences), "edited"), options);
    for (const auto& [label, p] : r.prediction.probabilities)
      if (label == t.occlusion->label) return double(p);
    return std::nan("");
  };
  const double full = probability(document);
  double worst = 0;
  for (std::size_t i = 0; i < document.size(); ++i) {
    std::vector<std::string> without = document;
    without.erase(without.begin() + static_cast<std::ptrdiff_t>(i));
    worst = std::max(worst, std::fabs(t.occlusion->sentence[i] - (full - probability(without))));
  }
  const std::vector<std::string>& words = t.sentences[3];
  for (std::size_t j : {std::size_t{0}, std::size_t{1}, std::size_t{63}, std::size_t{64}, words.size() - 1}) {
    std::vector<std::string> shorter = words;
    shorter.erase(shorter.begin() + static_cast<std::ptrdiff_t>(j));
    std::string sentence;
    for (const auto& w : shorter) sentence += (sentence.empty() ? "" : " ") + w;
    std::vector<std::string> edited = document;
    edited[3] = sentence;
    worst = std::max(worst, std::fabs(t.occlusion->word[3][j] - (full - probability(edited))));
  }
  std::printf("batched occlusion vs separate runs (%zu-word sentence): maxdiff %.2e\n", words.size(), worst);
  EXPECT_LT(worst, 1e-5);
}
