#include "engine/models/aligner/diagonal_prior.h"

#include <cmath>
#include <cstdlib>

namespace attnviz::aligner {

namespace {

// sum_{d=0..count-1} r^d with r = exp(-lambda / m): (1 - r^count) / (1 - r), through expm1 so that a small lambda
// keeps its digits; count when lambda is 0.
double geometricSum(int count, int m, double lambda) {
  if (count <= 0) return 0.0;
  if (lambda == 0.0) return count;
  return std::expm1(-lambda * count / m) / std::expm1(-lambda / m);
}

constexpr int kBisectionSteps = 40;

}  // namespace

double diagonalFeature(int i, int j, int m, int n) {
  return -std::abs(static_cast<double>(i) / m - static_cast<double>(j) / n);
}

double diagonalPartition(int j, int m, int n, double lambda) {
  // s = j m / n is where h = 0. Positions 1..below lie at or under it, below + 1..m over it.
  const int below = static_cast<int>((static_cast<long long>(j) * m) / n);  // floor(s), exact in integers
  double z = 0.0;
  if (below >= 1) z += std::exp(lambda * diagonalFeature(below, j, m, n)) * geometricSum(below, m, lambda);
  if (below < m) z += std::exp(lambda * diagonalFeature(below + 1, j, m, n)) * geometricSum(m - below, m, lambda);
  return z;
}

double diagonalPrior(int i, int j, int m, int n, double lambda, double nullProbability) {
  if (i == 0) return nullProbability;
  return (1.0 - nullProbability) * std::exp(lambda * diagonalFeature(i, j, m, n)) / diagonalPartition(j, m, n, lambda);
}

TensionStatistics::TensionStatistics(int maxSourceLength, int maxTargetLength)
    : maxM_(maxSourceLength), maxN_(maxTargetLength),
      weight_(static_cast<std::size_t>(maxSourceLength + 1) * (maxTargetLength + 1) * (maxTargetLength + 1), 0.0) {}

void TensionStatistics::addWeight(int j, int m, int n, double w) {
  weight_[(static_cast<std::size_t>(m) * (maxN_ + 1) + n) * (maxN_ + 1) + j] += w;
}

double TensionStatistics::gradient(double lambda) const {
  double expected = 0.0;  // sum_j w_j E_lambda[h | j, m, n]
  for (int m = 1; m <= maxM_; ++m) {
    for (int n = 1; n <= maxN_; ++n) {
      const double* w = &weight_[(static_cast<std::size_t>(m) * (maxN_ + 1) + n) * (maxN_ + 1)];
      for (int j = 1; j <= n; ++j) {
        if (w[j] == 0.0) continue;
        double z = 0.0, zh = 0.0;  // sum exp(lambda h), sum h exp(lambda h)
        for (int i = 1; i <= m; ++i) {
          const double h = diagonalFeature(i, j, m, n);
          const double u = std::exp(lambda * h);
          z += u;
          zh += h * u;
        }
        expected += w[j] * zh / z;
      }
    }
  }
  return featureSum_ - expected;
}

double TensionStatistics::optimalTension() const {
  double low = 0.0, high = kMaxTension;
  if (gradient(low) <= 0.0) return low;
  if (gradient(high) >= 0.0) return high;
  for (int step = 0; step < kBisectionSteps; ++step) {
    const double mid = 0.5 * (low + high);
    (gradient(mid) > 0.0 ? low : high) = mid;
  }
  return 0.5 * (low + high);
}

}  // namespace attnviz::aligner
