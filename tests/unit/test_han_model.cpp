// The han model on tests/data/tiny-han (hand-made weights with a closed-form answer, see
// tests/data/make_tiny_han.py): probabilities, uniform attention with no weight outside a sentence's words,
// occlusion against the closed form (the known answer: "good" matters most for a positive document), cancel
// and progress, limits and bad input.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/api/model.h"
#include "engine/analysis/occlusion.h"
#include "engine/analysis/rank_correlation.h"

using attnviz::Input;
using attnviz::RunOptions;
using attnviz::Trace;
using Sentences = std::vector<std::vector<std::string>>;

namespace {

const std::string kTiny = std::string(ATTNVIZ_TEST_DATA) + "/tiny-han";

// make_tiny_han.py closed_form: p(positive).
double closedForm(const Sentences& sentences) {
  const std::map<std::string, std::pair<double, double>> embed = {{"good", {2, 0}}, {"bad", {0, 2}}};
  double d0 = 0, d1 = 0;
  for (const auto& s : sentences) {
    double s0 = 0, s1 = 0;
    for (const auto& w : s) {
      const auto it = embed.find(w);
      if (it != embed.end()) s0 += std::tanh(it->second.first), s1 += std::tanh(it->second.second);
    }
    d0 += std::tanh(s0 / static_cast<double>(s.size())) / static_cast<double>(sentences.size());
    d1 += std::tanh(s1 / static_cast<double>(s.size())) / static_cast<double>(sentences.size());
  }
  return 1.0 / (1.0 + std::exp(6 * d1 - 6 * d0));
}

Trace run(const attnviz::Model& m, const std::string& text, RunOptions o = {}) {
  o.sentences = attnviz::SentenceMode::Lines;
  return m.run(Input::fromText(text, "test"), o);
}

const attnviz::OcclusionScorer& scorer(const attnviz::Model& m) {
  return dynamic_cast<const attnviz::OcclusionScorer&>(m);
}

}  // namespace

TEST(HanModel, ProbabilitiesAndAttentionFollowTheClosedForm) {
  const auto model = attnviz::loadModel(kTiny);
  const Trace t = run(*model, "the plot was bad .\ngood .\nthe movie");
  ASSERT_EQ(t.sentences.size(), 3u);
  EXPECT_EQ(t.sourceTokens.size(), 9u);
  const double p = closedForm(t.sentences);
  EXPECT_NEAR(t.prediction.probabilities.at(1).second, p, 1e-5);
  EXPECT_EQ(*t.prediction.label, p > 0.5 ? "positive" : "negative");
  // Uniform attention, exactly one weight per word (no padding exists to receive any), rows sum to 1.
  const auto& words = t.raggedAttention.at("word");
  ASSERT_EQ(words.size(), 3u);
  for (std::size_t i = 0; i < words.size(); ++i) {
    ASSERT_EQ(static_cast<std::size_t>(words[i].numel()), t.sentences[i].size());
    for (float w : words[i].values()) EXPECT_NEAR(w, 1.0 / static_cast<double>(t.sentences[i].size()), 1e-6);
    EXPECT_NEAR(std::accumulate(words[i].values().begin(), words[i].values().end(), 0.0), 1.0, 1e-6);
  }
  const attnviz::Tensor& sentence = t.attention.at("sentence");
  ASSERT_EQ(sentence.numel(), 3);
  for (float w : sentence.values()) EXPECT_NEAR(w, 1.0 / 3.0, 1e-6);
}

TEST(HanModel, AWordsWeightsDoNotDependOnOtherSentences) {
  const auto model = attnviz::loadModel(kTiny);
  const Trace alone = run(*model, "good movie");
  const Trace together = run(*model, "good movie\nthe plot was bad and the movie was bad too");
  const auto& a = alone.raggedAttention.at("word")[0];
  const auto& b = together.raggedAttention.at("word")[0];
  ASSERT_EQ(a.numel(), b.numel());
  for (std::int64_t i = 0; i < a.numel(); ++i) EXPECT_EQ(a.data()[i], b.data()[i]);
}

TEST(HanModel, OcclusionHasTheKnownAnswer) {
  const auto model = attnviz::loadModel(kTiny);
  const Trace t = run(*model, "the good movie .\nthe plot was bad\ngood", {.occlusion = true});
  ASSERT_TRUE(t.occlusion);
  const attnviz::Occlusion& o = *t.occlusion;
  ASSERT_EQ(o.label, "positive");
  const double full = closedForm(t.sentences);
  double largest = -1;
  std::string mostImportant;
  for (std::size_t i = 0; i < t.sentences.size(); ++i) {
    ASSERT_EQ(o.word[i].size(), t.sentences[i].size());
    for (std::size_t j = 0; j < t.sentences[i].size(); ++j) {
      Sentences changed = t.sentences;
      changed[i].erase(changed[i].begin() + static_cast<std::ptrdiff_t>(j));
      if (changed[i].empty()) changed.erase(changed.begin() + static_cast<std::ptrdiff_t>(i));
      EXPECT_NEAR(o.word[i][j], full - closedForm(changed), 1e-5) << "word " << t.sentences[i][j];
      if (o.word[i][j] > largest) largest = o.word[i][j], mostImportant = t.sentences[i][j];
    }
    Sentences without = t.sentences;
    without.erase(without.begin() + static_cast<std::ptrdiff_t>(i));
    EXPECT_NEAR(o.sentence[i], full - closedForm(without), 1e-5) << "sentence " << i;
  }
  EXPECT_EQ(mostImportant, "good");
  EXPECT_GT(o.sentence[2], 0.0);  // "good" alone supports "positive"
  EXPECT_LT(o.sentence[1], 0.0);  // "the plot was bad" works against it
  // tau as defined in trace.h, recomputed from the trace.
  std::vector<float> attention, effects;
  for (std::size_t i = 0; i < t.sentences.size(); ++i)
    for (std::size_t j = 0; j < t.sentences[i].size(); ++j) {
      attention.push_back(t.attention.at("sentence").data()[i] * t.raggedAttention.at("word")[i].data()[j]);
      effects.push_back(o.word[i][j]);
    }
  EXPECT_DOUBLE_EQ(o.kendallTauWord, attnviz::kendallTauB(attention, effects));
  EXPECT_TRUE(std::isnan(o.kendallTauSentence));  // uniform sentence attention: undefined, not invented
}

TEST(HanModel, OcclusionOfTheOnlyWordIsUndefined) {
  const auto model = attnviz::loadModel(kTiny);
  const Trace t = run(*model, "good", {.occlusion = true});
  ASSERT_TRUE(t.occlusion);
  EXPECT_TRUE(std::isnan(t.occlusion->word[0][0]));
  EXPECT_TRUE(std::isnan(t.occlusion->sentence[0]));
}

TEST(HanModel, OcclusionReportsProgressAndCancels) {
  const auto model = attnviz::loadModel(kTiny);
  const Trace t = run(*model, "the good movie .\nthe plot was bad");
  int last = 0, total = 0;
  const auto done = scorer(*model).occlusion(t, {[&](int d, int n) { last = d, total = n; }, nullptr});
  ASSERT_TRUE(done);
  EXPECT_EQ(total, 2 + 8);  // sentences + words
  EXPECT_EQ(last, total);
  std::atomic<bool> cancel{false};
  int calls = 0;
  const auto cancelled = scorer(*model).occlusion(t, {[&](int, int) { cancel = ++calls >= 3; }, &cancel});
  EXPECT_FALSE(cancelled);
  EXPECT_EQ(calls, 3);
}

TEST(HanModel, LimitsCutWithWarnings) {
  const auto model = attnviz::loadModel(kTiny);  // max_sentences 6, max_words_per_sentence 8
  const Trace t = run(*model, "a\nb\nc\nd\ne\nf\ng\nthe movie was good and the plot was good too");
  EXPECT_EQ(t.sentences.size(), 6u);
  const Trace u = run(*model, "the movie was good and the plot was good too");
  EXPECT_EQ(u.sentences[0].size(), 8u);
  ASSERT_FALSE(t.warnings.empty());
  EXPECT_NE(t.warnings[0].find("first 6 sentences"), std::string::npos) << t.warnings[0];
  ASSERT_FALSE(u.warnings.empty());
  EXPECT_NE(u.warnings[0].find("8 words"), std::string::npos) << u.warnings[0];
}

TEST(HanModel, BadInputAndOptions) {
  const auto model = attnviz::loadModel(kTiny);
  EXPECT_THROW(run(*model, " \n "), attnviz::InputError);
  EXPECT_THROW(run(*model, "bad \xc3"), attnviz::InputError);
  EXPECT_THROW(run(*model, "good", {.target = "x"}), attnviz::UsageError);
  EXPECT_THROW(run(*model, "good", {.beam = 3}), attnviz::UsageError);
  EXPECT_THROW(run(*model, "good", {.rollout = attnviz::RolloutFusion::Mean}), attnviz::UsageError);
  EXPECT_THROW(model->run(Input::fromImage("x.png"), {}), attnviz::InputError);
  // Other kinds refuse --occlusion.
  const auto encoder = attnviz::loadModel(std::string(ATTNVIZ_TEST_DATA) + "/tiny-encoder");
  EXPECT_THROW(encoder->run(Input::fromText("it was tired"), {.occlusion = true}), attnviz::UsageError);
}

TEST(HanModel, Info) {
  const auto model = attnviz::loadModel(kTiny);
  EXPECT_EQ(model->info().identity.kind, "han");
  EXPECT_EQ(model->info().labels, (std::vector<std::string>{"negative", "positive"}));
  EXPECT_EQ(model->info().vocabSizes.at(0).second, 9);
}
