// Training the statistical aligner by EM: IBM Model 1 (Brown et al. 1993: a uniform alignment prior over the m
// source words and NULL, t(f | e) started uniform), then the diagonal reparameterisation of IBM Model 2 of
// fast_align (Dyer, Chahuneau & Smith 2013; its prior in diagonal_prior.h), its t(f | e) started from Model 1's.
// Each iteration is one E-step over the whole corpus (posteriors q_ij = p(a_j = i | e, f), counts c(e, f) += q_ij)
// and one M-step: t(f | e) = c(e, f) / sum_f' c(e, f') (maximum likelihood; or fast_align's -v variational Bayes,
// TrainingOptions::dirichletAlpha) and, for the diagonal model, the tension lambda maximising the expected
// log-likelihood (diagonal_prior.h: an exact M-step where fast_align takes a few gradient steps; optimised as
// fast_align -o, or kept fixed). p0, the NULL probability, stays fixed (fast_align: 0.08).
// Direction: target (French) words are aligned to source (English) words or NULL, as the seq2seq models'
// cross-attention rows [T][S].
//
//   TrainedAligner a = trainAligner(corpus, {.model1Iterations = 5, .diagonalIterations = 5});
//   std::vector<double> q = alignmentPosteriors(a.table, corpus.sourceOf(0), corpus.targetOf(0), a.prior());
//   // q[j * (m + 1) + i]: p(a_j = i | e, f), i = 0 NULL, i = 1..m source word i
//
// Threads: the E-step's posteriors run on OpenMP's threads (OMP_NUM_THREADS), chunk by chunk; the counts are summed
// in corpus order, so the result is the same, bit for bit, whatever the thread count.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "engine/models/aligner/diagonal_prior.h"
#include "engine/models/aligner/translation_table.h"

namespace attnviz::aligner {

struct IterationReport {
  std::string model;     // "model1" or "diagonal"
  int iteration = 0;     // 1-based within the model
  // Log-likelihood of the corpus's target words under the parameters this iteration started from, per target
  // word: (1 / N) sum_pairs sum_j log sum_i p(a_j = i) t(f_j | e_i) (the length model left out). EM never lowers it.
  double logLikelihoodPerWord = 0.0;
  double tension = 0.0;  // lambda after this iteration's M-step (diagonal)
  double seconds = 0.0;  // wall time of the iteration
};

struct TrainingOptions {
  int model1Iterations = 5;
  int diagonalIterations = 5;
  double nullProbability = kDefaultNullProbability;
  double initialTension = kDefaultTension;
  bool optimizeTension = true;
  // > 0: fast_align's -v, variational Bayes with a symmetric Dirichlet prior of this concentration on each t(. | e)
  // (fast_align uses 0.01): the M-step is t(f | e) = exp(digamma(c(e, f) + alpha) - digamma(sum_f' (c(e, f') + alpha)))
  // over the row's co-occurring f', in both models. Such a row sums to less than 1 (mass kept from rare pairs).
  // 0: maximum likelihood.
  double dirichletAlpha = 0.0;
  std::function<void(const IterationReport&)> progress;  // called after each iteration
};

// The alignment prior a trained aligner uses: uniform (Model 1) or diagonal.
struct AlignmentPrior {
  bool diagonal = true;
  double tension = kDefaultTension;
  double nullProbability = kDefaultNullProbability;
  double operator()(int i, int j, int m, int n) const;  // p(a_j = i), i in 0..m, j in 1..n
};

struct TrainedAligner {
  TranslationTable table;
  double tension = kDefaultTension;
  double nullProbability = kDefaultNullProbability;
  std::vector<IterationReport> history;
  AlignmentPrior prior() const { return {true, tension, nullProbability}; }
};

TrainedAligner trainAligner(const ParallelCorpus& corpus, const TrainingOptions& options);

// p(a_j = i | e, f) for one pair: [n][m + 1] row-major, column 0 NULL; each row sums to 1. t(f | e) is looked up
// with tableProbability, which returns the probability of a pair (e, f) (callers give a floor for pairs absent).
std::vector<double> alignmentPosteriors(std::span<const std::uint32_t> e, std::span<const std::uint32_t> f,
                                        const AlignmentPrior& prior,
                                        const std::function<double(std::uint32_t e, std::uint32_t f)>& tableProbability);
// The same with a training table (every co-occurring pair has an entry).
std::vector<double> alignmentPosteriors(const TranslationTable& table, std::span<const std::uint32_t> e,
                                        std::span<const std::uint32_t> f, const AlignmentPrior& prior);

}  // namespace attnviz::aligner
