#include "engine/models/aligner/ibm_training.h"

#include <chrono>
#include <cmath>

#include "engine/core/error.h"

namespace attnviz::aligner {

namespace {

// One E-step over the corpus with `prior` and the table's current t: counts[k] += q for entry k; the tension's
// statistics when the prior is diagonal. Returns the summed log-likelihood of the target words.
double expectation(const ParallelCorpus& corpus, const TranslationTable& table, const AlignmentPrior& prior,
                   std::vector<double>& counts, TensionStatistics* tension) {
  double logLikelihood = 0.0;
  std::vector<std::int64_t> entry;  // [m + 1]: the table entry of (e_i, f_j) for the current j
  std::vector<double> q;            // [m + 1]: prior x t, then the posterior
  for (std::size_t p = 0; p < corpus.pairs(); ++p) {
    const auto e = corpus.sourceOf(p), f = corpus.targetOf(p);
    const int m = static_cast<int>(e.size()), n = static_cast<int>(f.size());
    entry.resize(static_cast<std::size_t>(m) + 1);
    q.resize(static_cast<std::size_t>(m) + 1);
    for (int j = 1; j <= n; ++j) {
      double sum = 0.0;
      for (int i = 0; i <= m; ++i) {
        const std::int64_t k = table.find(i == 0 ? 0 : e[i - 1], f[j - 1]);
        if (k < 0) throw InternalError("aligner training", "a co-occurring pair has no table entry");
        entry[i] = k;
        q[i] = prior(i, j, m, n) * table.probability[k];
        sum += q[i];
      }
      if (!(sum > 0.0)) continue;  // every t underflowed: the word carries no evidence
      logLikelihood += std::log(sum);
      double nonNull = 0.0;
      for (int i = 0; i <= m; ++i) {
        q[i] /= sum;
        counts[entry[i]] += q[i];
        if (tension && i > 0) {
          tension->addFeature(q[i] * diagonalFeature(i, j, m, n));
          nonNull += q[i];
        }
      }
      if (tension) tension->addWeight(j, m, n, nonNull);
    }
  }
  return logLikelihood;
}

// t(f | e) = c(e, f) / sum_f c(e, f); a row without counts keeps its t.
void maximisation(TranslationTable& table, const std::vector<double>& counts) {
  for (std::size_t e = 0; e < table.sourceWords(); ++e) {
    double total = 0.0;
    for (std::uint64_t k = table.rowStart[e]; k < table.rowStart[e + 1]; ++k) total += counts[k];
    if (!(total > 0.0)) continue;
    for (std::uint64_t k = table.rowStart[e]; k < table.rowStart[e + 1]; ++k)
      table.probability[k] = static_cast<float>(counts[k] / total);
  }
}

}  // namespace

double AlignmentPrior::operator()(int i, int j, int m, int n) const {
  if (!diagonal) return 1.0 / (m + 1);
  return diagonalPrior(i, j, m, n, tension, nullProbability);
}

TrainedAligner trainAligner(const ParallelCorpus& corpus, const TrainingOptions& options) {
  TrainedAligner out;
  out.table = TranslationTable::cooccurrences(corpus);
  out.nullProbability = options.nullProbability;
  out.tension = options.initialTension;
  // Uniform start: every t(f | e) the same, so Model 1's first posteriors are uniform.
  const float uniform = corpus.targetWords.empty() ? 1.0f : 1.0f / static_cast<float>(corpus.targetWords.size());
  std::fill(out.table.probability.begin(), out.table.probability.end(), uniform);
  const double words = static_cast<double>(std::max<std::int64_t>(corpus.counts.targetTokens, 1));

  std::vector<double> counts(out.table.entries());
  const auto iterate = [&](bool diagonal, int iteration) {
    const auto start = std::chrono::steady_clock::now();
    std::fill(counts.begin(), counts.end(), 0.0);
    const AlignmentPrior prior{diagonal, out.tension, out.nullProbability};
    TensionStatistics statistics(corpus.maxSourceLength(), corpus.maxTargetLength());
    IterationReport r;
    r.model = diagonal ? "diagonal" : "model1";
    r.iteration = iteration;
    r.logLikelihoodPerWord = expectation(corpus, out.table, prior, counts, diagonal ? &statistics : nullptr) / words;
    maximisation(out.table, counts);
    if (diagonal && options.optimizeTension) out.tension = statistics.optimalTension();
    r.tension = out.tension;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.history.push_back(r);
    if (options.progress) options.progress(r);
  };
  for (int it = 1; it <= options.model1Iterations; ++it) iterate(false, it);
  for (int it = 1; it <= options.diagonalIterations; ++it) iterate(true, it);
  return out;
}

std::vector<double> alignmentPosteriors(std::span<const std::uint32_t> e, std::span<const std::uint32_t> f,
                                        const AlignmentPrior& prior,
                                        const std::function<double(std::uint32_t e, std::uint32_t f)>& tableProbability) {
  const int m = static_cast<int>(e.size()), n = static_cast<int>(f.size());
  std::vector<double> q(static_cast<std::size_t>(n) * (m + 1));
  for (int j = 1; j <= n; ++j) {
    double* row = &q[static_cast<std::size_t>(j - 1) * (m + 1)];
    double sum = 0.0;
    for (int i = 0; i <= m; ++i) {
      row[i] = prior(i, j, m, n) * tableProbability(i == 0 ? 0 : e[i - 1], f[j - 1]);
      sum += row[i];
    }
    if (sum > 0.0) {
      for (int i = 0; i <= m; ++i) row[i] /= sum;
    } else {  // no evidence at all: the prior itself
      for (int i = 0; i <= m; ++i) row[i] = prior(i, j, m, n);
    }
  }
  return q;
}

std::vector<double> alignmentPosteriors(const TranslationTable& table, std::span<const std::uint32_t> e,
                                        std::span<const std::uint32_t> f, const AlignmentPrior& prior) {
  return alignmentPosteriors(e, f, prior, [&table](std::uint32_t source, std::uint32_t target) {
    const std::int64_t k = table.find(source, target);
    return k < 0 ? 0.0 : static_cast<double>(table.probability[k]);
  });
}

}  // namespace attnviz::aligner
