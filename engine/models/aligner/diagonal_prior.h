// The alignment prior of fast_align's reparameterised IBM Model 2 (Dyer, Chahuneau & Smith 2013, "A Simple, Fast,
// and Effective Reparameterization of IBM Model 2", NAACL, section 2), for a target (French) word at position
// j in 1..n aligned to a source (English) position i in 0..m (0: NULL):
//   h(i, j, m, n) = -| i/m - j/n |
//   p(a_j = 0)    = p0
//   p(a_j = i)    = (1 - p0) exp(lambda h(i, j, m, n)) / Z(j, m, n, lambda)        for 1 <= i <= m
//   Z(j, m, n, lambda) = sum_{i=1..m} exp(lambda h(i, j, m, n))
// Z is summed in closed form, as fast_align does: the terms are two geometric series with ratio exp(-lambda/m),
// one from the largest i at or below the diagonal point s = j m / n down to 1, one from the next i up to m.
//
//   double z = diagonalPartition(3, 10, 12, 4.0);     // == the sum of the 10 terms, in O(1)
//   double p = diagonalPrior(2, 3, 10, 12, 4.0, 0.08);
#pragma once

#include <vector>

namespace attnviz::aligner {

constexpr double kDefaultNullProbability = 0.08;  // fast_align's p0 (-p default)
constexpr double kDefaultTension = 4.0;           // fast_align's starting lambda (-T default)
// The tension's M-step searches [0, kMaxTension]: large enough that the prior is all but one-hot (exp(-32/m) per
// position), and it keeps a corpus with no signal from running off to infinity.
constexpr double kMaxTension = 32.0;

// h(i, j, m, n); i in 1..m, j in 1..n.
double diagonalFeature(int i, int j, int m, int n);
// Z(j, m, n, lambda), closed form; lambda >= 0.
double diagonalPartition(int j, int m, int n, double lambda);
// p(a_j = i) for i in 0..m (0: NULL).
double diagonalPrior(int i, int j, int m, int n, double lambda, double nullProbability);

// The tension's M-step. The expected complete-data log-likelihood's part that depends on lambda is
//   Q(lambda) = sum over target words j of [ sum_{i>=1} q_ij lambda h_ij  -  w_j log Z(j, m, n, lambda) ],
// q_ij the posteriors of the E-step and w_j = sum_{i>=1} q_ij (the word's non-NULL mass). Q is concave (log Z is
// convex in lambda), so its maximum on [0, kMaxTension] is where dQ/dlambda = H - sum_j w_j E_lambda[h | j, m, n]
// crosses 0 (H = sum q_ij h_ij), found by bisection to 2^-40 of the interval.
class TensionStatistics {
 public:
  explicit TensionStatistics(int maxSourceLength, int maxTargetLength);
  void addFeature(double qTimesH) { featureSum_ += qTimesH; }  // H += q_ij h_ij
  void addWeight(int j, int m, int n, double w);               // w_j for a target word j of an m x n pair
  double featureSum() const { return featureSum_; }
  // The lambda maximising Q on [0, kMaxTension].
  double optimalTension() const;
  // dQ/dlambda at lambda.
  double gradient(double lambda) const;

 private:
  int maxM_, maxN_;
  double featureSum_ = 0.0;
  std::vector<double> weight_;  // [m][n][j], m in 1..maxM, n in 1..maxN, j in 1..n
};

}  // namespace attnviz::aligner
