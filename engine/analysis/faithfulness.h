// Faithfulness of token rankings: does removing the tokens a method ranks highest change the prediction, and does
// the ranking agree with leave-one-out occlusion? The definitions are those of models/reference/faithfulness.py
// (ERASER, DeYoung et al. 2020, as g8a9/ferret implements it; that file names what was read):
//   units      the tokens that can be removed: every token but the first and the last of a text ([CLS] and the
//              final [SEP], ferret's remove_first_last), and but a coreference model's pronoun (removing it removes
//              the prediction); every patch of an image ([CLS] and [DIST] are not units).
//   top(k)     the floor(k · M) units of highest score, among equal scores the later unit first; k = 0.1 … 0.5, and a
//              k whose set equals the last kept one's is skipped.
//   comprehensiveness(k) = p(x) − p(x without top(k));  sufficiency(k) = p(x) − p(x without every other unit)
//   AOPC       the mean over the kept k (NaN when none is kept: fewer than 10 units make floor(0.1 · M) = 0 ...).
//   tau        Kendall's tau-b of the scores against leaveOneOut[u] = p(x) − p(x without unit u).
// p is the prediction head knockout scores (head_knockout.h: the predicted label's probability, the pronoun's
// antecedent, the answer span). Removal (RunOptions::removed): masked ([MASK], else [UNK]; an image patch: zero
// pixels) or deleted. Deleting shifts positions, so it is refused for coreference and question answering.
//
// Each method ranks the units by one row of its map ("row": [CLS], or a coreference model's first pronoun):
//   attention      attention.self, the last layer, the mean of its heads
//   rollout        attention rollout of attention.self (heads averaged; rollout.h)
//   value-norm     value_norm_sum, the last layer
//   alti, globenc, value-zeroing   their rollouts over every layer (contributions.h, value_zeroing.h)
//
//   std::optional<Faithfulness> f = faithfulness(model, input, options, trace, {{"attention", "alti"}}, {});
// One run per distinct removal set (leave-one-out: one per unit; each method: two per kept k), in parallel
// (candidate_runs.h), with progress and cancel.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/analysis/candidate_runs.h"
#include "engine/api/model.h"

namespace attnviz {

inline constexpr const char* kFaithfulnessMethods[] = {"attention", "rollout", "value-norm", "alti", "globenc",
                                                       "value-zeroing"};
inline constexpr double kFaithfulnessFractions[] = {0.1, 0.2, 0.3, 0.4, 0.5};

// "attention,alti" -> {"attention", "alti"}, in kFaithfulnessMethods' order; UsageError(option) for an unknown or
// repeated name or an empty list.
std::vector<std::string> parseFaithfulnessMethods(std::string_view list, const char* option = "--faithfulness");
// The contribution maps a run must compute for these methods' rankings.
ContributionSet contributionsFor(const std::vector<std::string>& methods);
const char* removalName(TokenRemoval::How how);  // "mask" | "delete"

// The floor(fraction · M) units of highest score, highest first (later unit first among equal scores); empty when
// that is 0.
std::vector<int> topUnits(std::span<const float> scores, double fraction);

// One ranking assessed. probability(removed units, ascending) -> p; reference = p with nothing removed. Pure (no
// model): the tests feed it hand-made scorers, faithfulness() a table of model runs.
RankingFaithfulness assessRanking(std::string method, std::vector<float> scores, double reference,
                                  const std::function<double(const std::vector<int>&)>& probability,
                                  std::span<const float> leaveOneOut);

// The methods whose maps this trace has (attention and rollout need only attention.self), in kFaithfulnessMethods'
// order: what a window can score without running the model again for maps.
std::vector<std::string> faithfulnessMethodsOf(const Trace& trace);

// The row (a token index) of `method`'s map in `trace` (attention [N, N] or [L, H, N, N] as above): InternalError
// when the trace lacks the map.
std::vector<float> methodRow(const Trace& trace, const std::string& method, int row);

// input and options: as the reference run; reference: its trace, with the maps of every requested method
// (contributionsFor). UsageError for a kind without attention blocks, a trace with nothing to score, or deletion
// with a positional prediction. nullopt when cancelled, or when there is nothing to score and the request is optional.
std::optional<Faithfulness> faithfulness(const Model& model, const Input& input, const RunOptions& options,
                                         const Trace& reference, const FaithfulnessRequest& request,
                                         const CandidateControl& control);

}  // namespace attnviz
