// kendallTauB (Knight's O(n log n)) against the O(n^2) definition of tau-b, with and without ties, and
// scipy.stats.kendalltau's documented example.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "engine/analysis/rank_correlation.h"

namespace {

double bruteForce(const std::vector<float>& a, const std::vector<float>& b) {
  double concordant = 0, discordant = 0, onlyA = 0, onlyB = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = i + 1; j < a.size(); ++j) {
      const double da = a[i] - a[j], db = b[i] - b[j];
      if (da == 0 && db == 0) continue;
      if (da == 0) ++onlyA;
      else if (db == 0) ++onlyB;
      else if ((da > 0) == (db > 0)) ++concordant;
      else ++discordant;
    }
  return (concordant - discordant) / std::sqrt((concordant + discordant + onlyB) * (concordant + discordant + onlyA));
}

}  // namespace

TEST(RankCorrelation, ScipyExample) {
  // scipy.stats.kendalltau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]) -> -0.47140452079103173
  const std::vector<float> a = {12, 2, 1, 12, 2}, b = {1, 4, 7, 1, 0};
  EXPECT_NEAR(attnviz::kendallTauB(a, b), -0.47140452079103173, 1e-12);
}

TEST(RankCorrelation, MatchesTheDefinitionOnRandomDataWithTies) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 2 + trial % 60;
    std::uniform_int_distribution<int> level(0, trial % 3 == 0 ? 3 : 1000);  // many ties in a third of the trials
    std::vector<float> a(n), b(n);
    for (int i = 0; i < n; ++i) a[i] = static_cast<float>(level(rng)), b[i] = static_cast<float>(level(rng));
    const double expected = bruteForce(a, b);
    const double got = attnviz::kendallTauB(a, b);
    if (std::isnan(expected)) EXPECT_TRUE(std::isnan(got)) << "trial " << trial;
    else EXPECT_NEAR(got, expected, 1e-9) << "trial " << trial << ", n " << n;
  }
}

TEST(RankCorrelation, PerfectUndefinedAndNaN) {
  const std::vector<float> up = {1, 2, 3, 4}, down = {4, 3, 2, 1}, flat = {1, 1, 1, 1};
  EXPECT_DOUBLE_EQ(attnviz::kendallTauB(up, up), 1.0);
  EXPECT_DOUBLE_EQ(attnviz::kendallTauB(up, down), -1.0);
  EXPECT_TRUE(std::isnan(attnviz::kendallTauB(up, flat)));                        // constant: undefined
  EXPECT_TRUE(std::isnan(attnviz::kendallTauB(std::vector<float>{1}, std::vector<float>{2})));  // one pair only
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_DOUBLE_EQ(attnviz::kendallTauB(std::vector<float>{1, 2, nan, 3}, std::vector<float>{1, 2, 0, 3}), 1.0);
}
