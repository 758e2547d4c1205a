// FakeHan: a deterministic stand-in for a han model (Model + OcclusionScorer), for UI tests that must not
// depend on trained weights. Sentences: one per non-empty line (Lines), cut after . ! ? (Split), or Lines when
// every line holds at most one sentence (Auto); words lowercased, punctuation its own token. A tiny sentiment
// lexicon ("great" +1, "awful" -1, ...) drives everything: word attention is a softmax of 2|polarity| plus a
// small hash of the word, sentence attention a softmax of 3|sentence polarity| plus a hash, and
// p(positive) = sigmoid(4 sum_s a_s sum_w b_w polarity(w) + 0.1). Occlusion reruns that without each word and each
// sentence, optionally slowly (occlusionDelayMs per unit) so tests can watch progress and cancel.
//
//   auto m = std::make_shared<FakeHan>(FakeHan::Options{.occlusionDelayMs = 20});
//   ws.addModel(m, "fake:han");
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "engine/api/model.h"
#include "engine/analysis/occlusion.h"

namespace attnviz::test {

class FakeHan : public attnviz::Model, public attnviz::OcclusionScorer {
 public:
  struct Options {
    std::string name = "fake-han";
    std::string variant = "fake";
    float sharpness = 1.0f;     // scales the word logits (variants differ)
    int occlusionDelayMs = 0;   // sleep per occlusion unit
  };

  FakeHan() : FakeHan(Options{}) {}
  explicit FakeHan(Options options);
  const attnviz::ModelInfo& info() const override { return info_; }
  attnviz::Trace runImpl(const attnviz::Input& input, const attnviz::RunOptions& options) const override;
  std::optional<attnviz::Occlusion> occlusion(const attnviz::Trace& trace, const attnviz::OcclusionControl& control) const override;

  int runs() const { return runs_.load(); }
  attnviz::SentenceMode lastSentenceMode() const { return lastMode_.load(); }
  int occlusionStarted() const { return occlusionStarted_.load(); }
  int occlusionUnits() const { return occlusionUnits_.load(); }  // units scored, over all calls
  int occlusionCancelled() const { return occlusionCancelled_.load(); }

  static std::vector<std::vector<std::string>> split(const std::string& text, attnviz::SentenceMode mode);

  struct Scores {
    std::vector<float> sentence;             // [S]
    std::vector<std::vector<float>> word;    // [S][words]
    float positive = 0.5f;                   // p(positive)
  };
  Scores score(const std::vector<std::vector<std::string>>& sentences) const;

 private:
  Options options_;
  attnviz::ModelInfo info_;
  mutable std::atomic<int> runs_{0};
  mutable std::atomic<attnviz::SentenceMode> lastMode_{attnviz::SentenceMode::Auto};
  mutable std::atomic<int> occlusionStarted_{0};
  mutable std::atomic<int> occlusionUnits_{0};
  mutable std::atomic<int> occlusionCancelled_{0};
};

}  // namespace attnviz::test
