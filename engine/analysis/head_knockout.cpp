#include "engine/analysis/head_knockout.h"

#include <algorithm>

#include "engine/core/error.h"

namespace attnviz {

namespace {

// The probability the trace gives `label` (nullopt: no such label).
std::optional<float> labelProbability(const Prediction& p, const std::string& label) {
  for (const auto& [name, probability] : p.probabilities)
    if (name == label) return probability;
  return std::nullopt;
}

}  // namespace

const char* knockoutModeName(KnockoutMode mode) { return mode == KnockoutMode::OneHead ? "one" : "all-but-one"; }

std::optional<PredictionScore> scorePrediction(const Trace& trace, const Trace& reference, std::string* why) {
  const Prediction& ref = reference.prediction;
  const Prediction& now = trace.prediction;
  if (!ref.coreference.empty()) {  // the pointer's choice for the first pronoun
    const CoreferenceLink& link = ref.coreference.front();
    for (const CoreferenceLink& l : now.coreference) {
      if (l.pronoun != link.pronoun || static_cast<std::size_t>(link.antecedent) >= l.probabilities.size()) continue;
      return PredictionScore{"p(" + link.antecedentText + " | " + link.pronounText + ")",
                             l.probabilities[static_cast<std::size_t>(link.antecedent)]};
    }
    return PredictionScore{"p(" + link.antecedentText + " | " + link.pronounText + ")", 0.0f};  // no link: no support
  }
  if (ref.answer) {
    const auto s = static_cast<std::size_t>(ref.answer->start), e = static_cast<std::size_t>(ref.answer->end);
    if (s < now.startProbabilities.size() && e < now.endProbabilities.size())
      return PredictionScore{"p(answer \"" + ref.answer->text + "\")", now.startProbabilities[s] * now.endProbabilities[e]};
  }
  if (!ref.probabilities.empty()) {
    // The reference's most probable label (for multi-label heads too: the first of the highest).
    const auto top = std::max_element(ref.probabilities.begin(), ref.probabilities.end(),
                                      [](const auto& a, const auto& b) { return a.second < b.second; });
    if (const std::optional<float> p = labelProbability(now, top->first)) return PredictionScore{"p(" + top->first + ")", *p};
  }
  if (!ref.scores.empty() && !now.scores.empty())
    return PredictionScore{ref.scores.front().first + " (raw score)", now.scores.front().second};
  if (why) *why = "the model makes no prediction to score (no classifier, coreference or question-answering head)";
  return std::nullopt;
}

std::optional<HeadKnockout> headKnockout(const Model& model, const Input& input, const RunOptions& options,
                                         const Trace& reference, KnockoutMode mode, const KnockoutControl& control) {
  if (!model.kind().can.contributions)
    throw UsageError("head knockout", "is for transformer encoders and ViTs; this model is " + model.kind().description);
  std::string why;
  const std::optional<PredictionScore> base = scorePrediction(reference, reference, &why);
  if (!base) throw UsageError("head knockout", why);
  const auto self = reference.attention.find("self");
  if (self == reference.attention.end() || self->second.rank() != 4)
    throw InternalError("head knockout", "the reference trace has no attention.self");
  const auto layers = static_cast<int>(self->second.dim(0)), heads = static_cast<int>(self->second.dim(1));
  HeadKnockout result{knockoutModeName(mode), base->name, base->value,
                      Tensor({layers, heads})};
  RunOptions knocked = candidateOptions(options);
  knocked.knockedOutHeads.clear();
  const int total = layers * heads;
  const bool finished = runCandidates(total, model.threadsForNextRun(), [&](int candidate) {
    const int layer = candidate / heads, head = candidate % heads;
    RunOptions options = knocked;
    for (int h = 0; h < heads; ++h)
      if ((mode == KnockoutMode::OneHead) == (h == head)) options.knockedOutHeads.emplace_back(layer, h);
    const std::optional<PredictionScore> score = scorePrediction(model.run(input, options), reference);
    result.drop.at({layer, head}) = base->value - (score ? score->value : 0.0f);  // each candidate its own cell
  }, control);
  if (!finished) return std::nullopt;
  return result;
}

}  // namespace attnviz
