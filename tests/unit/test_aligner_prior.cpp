// fast_align's diagonal prior (engine/models/aligner/diagonal_prior.h): the closed-form partition Z against the
// plain sum of its terms, the prior as a distribution, and the tension's M-step against the gradient it zeroes.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/models/aligner/diagonal_prior.h"

namespace {

using namespace attnviz::aligner;

double plainPartition(int j, int m, int n, double lambda) {
  double z = 0.0;
  for (int i = 1; i <= m; ++i) z += std::exp(lambda * diagonalFeature(i, j, m, n));
  return z;
}

TEST(AlignerPrior, ClosedFormPartitionIsThePlainSum) {
  double worst = 0.0;
  for (double lambda : {0.0, 1e-9, 1e-3, 0.5, 4.0, 11.3, 32.0})
    for (int m = 1; m <= 50; m += (m < 6 ? 1 : 7))
      for (int n = 1; n <= 50; n += (n < 6 ? 1 : 5))
        for (int j = 1; j <= n; ++j) {
          const double plain = plainPartition(j, m, n, lambda);
          worst = std::max(worst, std::abs(diagonalPartition(j, m, n, lambda) - plain) / plain);
        }
  EXPECT_LT(worst, 1e-12);
  std::printf("Z closed form OK, max relative diff = %e\n", worst);
}

TEST(AlignerPrior, PriorIsADistributionPeakingOnTheDiagonal) {
  for (int m : {1, 3, 17, 50})
    for (int n : {1, 4, 23, 50})
      for (int j = 1; j <= n; ++j) {
        double sum = 0.0;
        int best = 1;
        for (int i = 0; i <= m; ++i) {
          const double p = diagonalPrior(i, j, m, n, 4.0, 0.08);
          sum += p;
          if (i > 0 && p > diagonalPrior(best, j, m, n, 4.0, 0.08)) best = i;
        }
        EXPECT_NEAR(sum, 1.0, 1e-12);
        EXPECT_NEAR(diagonalPrior(0, j, m, n, 4.0, 0.08), 0.08, 0.0);
        EXPECT_LE(std::abs(static_cast<double>(best) / m - static_cast<double>(j) / n), 1.0 / m + 1e-12);
      }
}

TEST(AlignerPrior, TensionStepZeroesTheGradientAndStaysInItsRange) {
  // Posteriors drawn from the prior at lambda 6 itself: the expected log-likelihood peaks at 6.
  TensionStatistics s(20, 20);
  const double truth = 6.0;
  for (int m = 5; m <= 20; m += 5)
    for (int n = 5; n <= 20; n += 3)
      for (int j = 1; j <= n; ++j) {
        for (int i = 1; i <= m; ++i) s.addFeature(diagonalPrior(i, j, m, n, truth, 0.1) * diagonalFeature(i, j, m, n));
        s.addWeight(j, m, n, 0.9);
      }
  EXPECT_NEAR(s.optimalTension(), truth, 1e-6);
  EXPECT_NEAR(s.gradient(s.optimalTension()), 0.0, 1e-6);
  TensionStatistics flat(5, 5);  // posteriors flatter than uniform: no tension at all
  flat.addWeight(1, 5, 5, 1.0);
  flat.addFeature(-1.0);
  EXPECT_EQ(flat.optimalTension(), 0.0);
  TensionStatistics sharp(5, 5);  // all mass on the diagonal point: as sharp as allowed
  sharp.addWeight(5, 5, 5, 1.0);
  EXPECT_EQ(sharp.optimalTension(), kMaxTension);
}

}  // namespace
