#include "engine/models/aligner/ibm_training.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "engine/core/error.h"

namespace attnviz::aligner {

namespace {

// Pairs are worked on in chunks: the posteriors of a chunk's pairs in parallel (each pair on its own, so any thread
// gives the same numbers), then added to the counts one pair after another in corpus order, so the sums, and the
// trained model, are the same whatever the thread count.
constexpr std::size_t kChunkPairs = 4096;

// One pair's E-step: for each target word j, its row of (m + 1) table entries and posteriors.
struct PairPosteriors {
  std::vector<std::int64_t> entry;  // [n][m + 1]: the table entry of (e_i, f_j); -1 if missing (a bug)
  std::vector<double> q;            // [n][m + 1]: p(a_j = i | e, f); a row of zeros when every t underflowed
  double logLikelihood = 0.0;
};

void pairPosteriors(const TranslationTable& table, std::span<const std::uint32_t> e, std::span<const std::uint32_t> f,
                    const AlignmentPrior& prior, PairPosteriors& out) {
  const int m = static_cast<int>(e.size()), n = static_cast<int>(f.size());
  out.entry.resize(static_cast<std::size_t>(n) * (m + 1));
  out.q.resize(out.entry.size());
  out.logLikelihood = 0.0;
  for (int j = 1; j <= n; ++j) {
    std::int64_t* entry = &out.entry[static_cast<std::size_t>(j - 1) * (m + 1)];
    double* q = &out.q[static_cast<std::size_t>(j - 1) * (m + 1)];
    double sum = 0.0;
    for (int i = 0; i <= m; ++i) {
      entry[i] = table.find(i == 0 ? 0 : e[i - 1], f[j - 1]);
      q[i] = entry[i] < 0 ? 0.0 : prior(i, j, m, n) * table.probability[entry[i]];
      sum += q[i];
    }
    if (!(sum > 0.0)) {  // every t underflowed: the word carries no evidence
      std::fill(q, q + m + 1, 0.0);
      continue;
    }
    out.logLikelihood += std::log(sum);
    for (int i = 0; i <= m; ++i) q[i] /= sum;
  }
}

// One E-step over the corpus with `prior` and the table's current t: counts[k] += q for entry k; the tension's
// statistics when the prior is diagonal. Returns the summed log-likelihood of the target words.
double expectation(const ParallelCorpus& corpus, const TranslationTable& table, const AlignmentPrior& prior,
                   std::vector<double>& counts, TensionStatistics* tension) {
  double logLikelihood = 0.0;
  std::vector<PairPosteriors> work(std::min(kChunkPairs, corpus.pairs()));
  for (std::size_t first = 0; first < corpus.pairs(); first += kChunkPairs) {
    const auto count = static_cast<std::int64_t>(std::min(kChunkPairs, corpus.pairs() - first));
#pragma omp parallel for schedule(dynamic, 64)
    for (std::int64_t c = 0; c < count; ++c)
      pairPosteriors(table, corpus.sourceOf(first + c), corpus.targetOf(first + c), prior, work[c]);
    for (std::int64_t c = 0; c < count; ++c) {
      const PairPosteriors& w = work[c];
      const int m = static_cast<int>(corpus.sourceOf(first + c).size()), n = static_cast<int>(corpus.targetOf(first + c).size());
      logLikelihood += w.logLikelihood;
      for (int j = 1; j <= n; ++j) {
        const std::size_t row = static_cast<std::size_t>(j - 1) * (m + 1);
        double nonNull = 0.0;
        for (int i = 0; i <= m; ++i) {
          if (w.entry[row + i] < 0) throw InternalError("aligner training", "a co-occurring pair has no table entry");
          counts[w.entry[row + i]] += w.q[row + i];
          if (tension && i > 0) {
            tension->addFeature(w.q[row + i] * diagonalFeature(i, j, m, n));
            nonNull += w.q[row + i];
          }
        }
        if (tension) tension->addWeight(j, m, n, nonNull);
      }
    }
  }
  return logLikelihood;
}

// The digamma function psi(x) for x > 0: the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 6, then the
// asymptotic series ln x - 1/(2x) - sum B_2k / (2k x^2k) to x^-10 (error below 1e-12 there).
double digamma(double x) {
  double shift = 0.0;
  while (x < 6.0) shift -= 1.0 / x, x += 1.0;
  const double r = 1.0 / (x * x);
  const double series = r * (1.0 / 12 - r * (1.0 / 120 - r * (1.0 / 252 - r * (1.0 / 240 - r * (1.0 / 132)))));
  return shift + std::log(x) - 0.5 / x - series;
}

// t(f | e) = c(e, f) / sum_f c(e, f), or with alpha > 0 the variational Bayes update (TrainingOptions::dirichletAlpha);
// a row without counts keeps its t.
void maximisation(TranslationTable& table, const std::vector<double>& counts, double alpha) {
  for (std::size_t e = 0; e < table.sourceWords(); ++e) {
    double total = 0.0;
    for (std::uint64_t k = table.rowStart[e]; k < table.rowStart[e + 1]; ++k) total += counts[k] + alpha;
    if (!(total > 0.0)) continue;
    if (alpha > 0.0) {
      const double psiTotal = digamma(total);
      for (std::uint64_t k = table.rowStart[e]; k < table.rowStart[e + 1]; ++k)
        table.probability[k] = static_cast<float>(std::exp(digamma(counts[k] + alpha) - psiTotal));
    } else {
      for (std::uint64_t k = table.rowStart[e]; k < table.rowStart[e + 1]; ++k)
        table.probability[k] = static_cast<float>(counts[k] / total);
    }
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
    maximisation(out.table, counts, options.dirichletAlpha);
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
