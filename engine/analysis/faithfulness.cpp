#include "engine/analysis/faithfulness.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>

#include "engine/analysis/head_knockout.h"
#include "engine/analysis/rank_correlation.h"
#include "engine/analysis/rollout.h"
#include "engine/core/error.h"

namespace attnviz {

namespace {

std::string methodNames() {
  std::string names;
  for (const char* m : kFaithfulnessMethods) names += (names.empty() ? "" : ", ") + std::string(m);
  return names;
}

double mean(const std::vector<double>& v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

// The token ranking the units: a coreference model's first pronoun, else [CLS].
int rankingRow(const Trace& reference) {
  if (!reference.prediction.coreference.empty()) return reference.prediction.coreference.front().pronoun;
  return 0;
}

// The units' token positions. Text: tokens 1 .. N-2, without a coreference model's pronoun (removing it removes the
// prediction: the pointer has nothing to resolve); image: every patch ([CLS] and [DIST] are not units).
std::vector<int> unitsOf(const Trace& trace, const Input& input) {
  const auto n = static_cast<int>(trace.sourceTokens.size());
  const int first = input.isImage() ? (n > 1 && trace.sourceTokens[1] == "[DIST]" ? 2 : 1) : 1;
  const int end = input.isImage() ? n : n - 1;
  const int pronoun = trace.prediction.coreference.empty() ? -1 : rankingRow(trace);
  std::vector<int> units;
  for (int t = first; t < end; ++t)
    if (t != pronoun) units.push_back(t);
  return units;
}

}  // namespace

std::vector<std::string> parseFaithfulnessMethods(std::string_view list, const char* option) {
  std::vector<bool> asked(std::size(kFaithfulnessMethods), false);
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view name = list.substr(start, comma - start);
    const auto* at = std::find_if(std::begin(kFaithfulnessMethods), std::end(kFaithfulnessMethods),
                                  [&](const char* m) { return name == m; });
    if (at == std::end(kFaithfulnessMethods))
      throw UsageError(option, (name.empty() ? std::string("has an empty method name") : "has no method \"" + std::string(name) + "\"") +
                                   "; the methods are " + methodNames() + " (comma-separated)");
    const auto index = static_cast<std::size_t>(at - std::begin(kFaithfulnessMethods));
    if (asked[index]) throw UsageError(option, "names \"" + std::string(name) + "\" twice");
    asked[index] = true;
    start = comma + 1;
  }
  std::vector<std::string> methods;
  for (std::size_t i = 0; i < asked.size(); ++i)
    if (asked[i]) methods.emplace_back(kFaithfulnessMethods[i]);
  return methods;
}

ContributionSet contributionsFor(const std::vector<std::string>& methods) {
  ContributionSet set;
  for (const std::string& m : methods) {
    set.valueNorm = set.valueNorm || m == "value-norm";
    set.alti = set.alti || m == "alti";
    set.globenc = set.globenc || m == "globenc";
    set.valueZeroing = set.valueZeroing || m == "value-zeroing";
  }
  return set;
}

const char* removalName(TokenRemoval::How how) { return how == TokenRemoval::How::Mask ? "mask" : "delete"; }

std::vector<int> topUnits(std::span<const float> scores, double fraction) {
  const auto v = static_cast<std::size_t>(fraction * static_cast<double>(scores.size()));  // floor, as int() in Python
  if (v == 0) return {};
  // numpy's stable ascending argsort, its last v reversed: highest first, the later unit first among equals.
  std::vector<int> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return scores[static_cast<std::size_t>(a)] < scores[static_cast<std::size_t>(b)]; });
  return std::vector<int>(order.rbegin(), order.rbegin() + static_cast<std::ptrdiff_t>(v));
}

RankingFaithfulness assessRanking(std::string method, std::vector<float> scores, double reference,
                                  const std::function<double(const std::vector<int>&)>& probability,
                                  std::span<const float> leaveOneOut) {
  RankingFaithfulness r;
  r.method = std::move(method);
  const auto m = static_cast<int>(scores.size());
  std::vector<int> previous;
  for (const double k : kFaithfulnessFractions) {
    std::vector<int> top = topUnits(scores, k);
    std::sort(top.begin(), top.end());
    if (top.empty() || top == previous) continue;
    previous = top;
    std::vector<int> others;
    for (int u = 0; u < m; ++u)
      if (!std::binary_search(top.begin(), top.end(), u)) others.push_back(u);
    r.fractions.push_back(k);
    r.comprehensiveness.push_back(reference - probability(top));
    r.sufficiency.push_back(reference - probability(others));
  }
  r.aopcComprehensiveness = mean(r.comprehensiveness);
  r.aopcSufficiency = mean(r.sufficiency);
  r.tau = kendallTauB(scores, leaveOneOut);
  r.scores = std::move(scores);
  return r;
}

std::vector<std::string> faithfulnessMethodsOf(const Trace& trace) {
  const auto self = trace.attention.find("self");
  if (self == trace.attention.end() || self->second.rank() != 4) return {};
  std::vector<std::string> methods{"attention", "rollout"};
  const std::pair<const char*, const char*> maps[] = {{"value-norm", "value_norm_sum"}, {"alti", "alti_rollout"},
                                                      {"globenc", "globenc_rollout"}, {"value-zeroing", "value_zeroing_rollout"}};
  for (const auto& [method, map] : maps)
    if (trace.attention.contains(map)) methods.emplace_back(method);
  return methods;
}

std::vector<float> methodRow(const Trace& trace, const std::string& method, int row) {
  const auto map = [&](const char* name) -> const Tensor& {
    const auto at = trace.attention.find(name);
    if (at == trace.attention.end())
      throw InternalError("faithfulness", "the trace has no attention." + std::string(name) + " for " + method);
    return at->second;
  };
  Tensor m;  // [N, N]
  if (method == "attention" || method == "rollout") {
    const Tensor& self = map("self");  // [L, H, N, N]
    if (method == "rollout") {
      m = attentionRollout(self, RolloutFusion::Mean);
    } else {
      const Tensor last = self.slice(self.dim(0) - 1);  // [H, N, N]
      const std::int64_t heads = last.dim(0), n = last.dim(1);
      m = Tensor({n, n});
      for (std::int64_t h = 0; h < heads; ++h)
        for (std::int64_t i = 0; i < n * n; ++i) m.data()[i] += last.data()[h * n * n + i] / static_cast<float>(heads);
    }
  } else if (method == "value-norm") {
    const Tensor& sum = map("value_norm_sum");  // [L, N, N]
    m = sum.slice(sum.dim(0) - 1);
  } else if (method == "alti") {
    m = map("alti_rollout");
  } else if (method == "globenc") {
    m = map("globenc_rollout");
  } else if (method == "value-zeroing") {
    m = map("value_zeroing_rollout");
  } else {
    throw InternalError("faithfulness", "no method \"" + method + "\"");
  }
  const std::int64_t n = m.dim(-1);
  if (row < 0 || row >= n) throw InternalError("faithfulness", "row " + std::to_string(row) + " outside the map");
  return std::vector<float>(m.data() + row * n, m.data() + (row + 1) * n);
}

std::optional<Faithfulness> faithfulness(const Model& model, const Input& input, const RunOptions& options,
                                         const Trace& reference, const FaithfulnessRequest& request,
                                         const CandidateControl& control) {
  if (!model.kind().can.contributions)
    throw UsageError("--faithfulness", "is for transformer encoders and ViTs; this model is " + model.kind().description);
  std::string why;
  const std::optional<PredictionScore> base = scorePrediction(reference, reference, &why);
  if (!base && request.optional) return std::nullopt;
  if (!base) throw UsageError("--faithfulness", why);
  const bool positional = !reference.prediction.coreference.empty() || reference.prediction.answer.has_value();
  if (request.removal == TokenRemoval::How::Delete && positional)
    throw UsageError("--removal", "delete shifts token positions, and this model's prediction is read at positions "
                                  "(a coreference pointer or an answer span); use --removal mask");
  Faithfulness f;
  f.scored = base->name;
  f.reference = base->value;
  f.removal = removalName(request.removal);
  f.row = rankingRow(reference);
  f.units = unitsOf(reference, input);
  const auto units = static_cast<int>(f.units.size());

  // Every removal set the rankings and leave-one-out need, each run once (sets of units, ascending).
  std::map<std::vector<int>, double> scoreOf;
  std::vector<std::vector<float>> rankings;
  for (const std::string& method : request.methods) {
    const std::vector<float> row = methodRow(reference, method, f.row);
    std::vector<float>& ranking = rankings.emplace_back();
    for (const int t : f.units) ranking.push_back(row[static_cast<std::size_t>(t)]);
    assessRanking(method, rankings.back(), 0.0, [&](const std::vector<int>& set) { scoreOf[set] = 0.0; return 0.0; }, {});
  }
  for (int u = 0; u < units; ++u) scoreOf[{u}] = 0.0;
  std::vector<std::map<std::vector<int>, double>::iterator> sets;
  for (auto it = scoreOf.begin(); it != scoreOf.end(); ++it) sets.push_back(it);

  if (request.removal == TokenRemoval::How::Mask && input.isImage()) f.maskToken = "zero pixels";
  std::mutex maskTokenMutex;
  RunOptions removed = candidateOptions(options);
  removed.removed.how = request.removal;
  const bool finished = runCandidates(static_cast<int>(sets.size()), model.threadsForNextRun(), [&](int candidate) {
    RunOptions o = removed;
    for (const int u : sets[static_cast<std::size_t>(candidate)]->first) o.removed.positions.push_back(f.units[static_cast<std::size_t>(u)]);
    const Trace t = model.run(input, o);
    if (request.removal == TokenRemoval::How::Mask && !input.isImage() && !o.removed.positions.empty()) {  // what a masked token shows
      const std::lock_guard<std::mutex> lock(maskTokenMutex);
      const auto at = static_cast<std::size_t>(o.removed.positions.front());
      if (f.maskToken.empty() && at < t.sourceTokens.size()) f.maskToken = t.sourceTokens[at];
    }
    const std::optional<PredictionScore> s = scorePrediction(t, reference);
    sets[static_cast<std::size_t>(candidate)]->second = s ? s->value : 0.0;  // each candidate its own entry
  }, control);
  if (!finished) return std::nullopt;

  const auto probability = [&](const std::vector<int>& set) { return scoreOf.at(set); };
  for (int u = 0; u < units; ++u) f.leaveOneOut.push_back(static_cast<float>(double(base->value) - probability({u})));
  for (std::size_t i = 0; i < request.methods.size(); ++i)
    f.methods.push_back(assessRanking(request.methods[i], std::move(rankings[i]), base->value, probability, f.leaveOneOut));
  return f;
}

}  // namespace attnviz
