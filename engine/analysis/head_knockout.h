// Head knockout (Michel et al. 2019, "Are Sixteen Heads Really Better than One?"): run the input again with one
// attention head's output zeroed (or every head of its layer but that one), and measure how the prediction moves.
// The prediction scored is the one of the unmodified run (`reference`):
//   sequence classifiers and ViTs  p(the predicted label)
//   coreference pointer            p(the antecedent it chose | the first pronoun)
//   question answering             p_start(start) · p_end(end) of the answer span
//   regression heads               the first raw score
// Result [layers, heads]: score(reference) − score(with the knockout); positive = the head supported the prediction.
// One run per head, heads in parallel (candidate_runs.h), with progress and cancel.
//
//   std::optional<HeadKnockout> k = headKnockout(model, input, options, trace, KnockoutMode::OneHead, {});
//   float drop = k->drop.at({layer, head});
// `attnviz run --head-knockout one|all-but-one` adds it to the trace (RunOptions::headKnockout).
#pragma once

#include <optional>
#include <string>

#include "engine/analysis/candidate_runs.h"
#include "engine/api/model.h"

namespace attnviz {

// KnockoutMode (RunOptions, model.h) and the result, HeadKnockout (Trace, trace.h), live in the API.

using KnockoutControl = CandidateControl;  // progress after every head, serialised; cancel checked between heads

// "one" | "all-but-one": HeadKnockout::mode, and the --head-knockout value.
const char* knockoutModeName(KnockoutMode mode);

// What headKnockout scores in a trace of this model, or nullopt with `why` when the trace has no prediction it can
// score (an encoder without a head).
struct PredictionScore {
  std::string name;  // "p(POSITIVE)"
  float value = 0.0f;
};
std::optional<PredictionScore> scorePrediction(const Trace& trace, const Trace& reference, std::string* why = nullptr);

// input and options: as the reference run; reference: that run's trace. UsageError when the model's kind has no
// attention blocks to knock out or the reference has nothing to score. nullopt when cancelled.
std::optional<HeadKnockout> headKnockout(const Model& model, const Input& input, const RunOptions& options,
                                         const Trace& reference, KnockoutMode mode, const KnockoutControl& control);

}  // namespace attnviz
