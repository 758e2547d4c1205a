// Attention rollout vs a plain-loop reference on random maps; rows of the result sum to 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <random>

#include "engine/core/error.h"
#include "engine/analysis/rollout.h"

using attnviz::RolloutFusion;
using attnviz::Tensor;

namespace {

// Random attention [layers, heads, n, n] whose rows sum to 1.
Tensor randomAttention(std::int64_t layers, std::int64_t heads, std::int64_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0.01f, 1.0f);
  Tensor t({layers, heads, n, n});
  for (std::int64_t r = 0; r < layers * heads * n; ++r) {
    float* row = t.data() + r * n;
    float sum = 0;
    for (std::int64_t j = 0; j < n; ++j) sum += row[j] = u(rng);
    for (std::int64_t j = 0; j < n; ++j) row[j] /= sum;
  }
  return t;
}

// Plain loops: fuse heads, add identity, renormalise rows, result = A_l * result.
std::vector<double> referenceRollout(const Tensor& a, RolloutFusion fusion) {
  const auto layers = a.dim(0), heads = a.dim(1), n = a.dim(2);
  std::vector<double> result(n * n, 0.0), next(n * n), fused(n * n);
  for (std::int64_t i = 0; i < n; ++i) result[i * n + i] = 1.0;
  for (std::int64_t l = 0; l < layers; ++l) {
    for (std::int64_t i = 0; i < n; ++i) {
      double rowSum = 0;
      for (std::int64_t j = 0; j < n; ++j) {
        double v = a.at({l, 0, i, j});
        for (std::int64_t h = 1; h < heads; ++h) {
          const double x = a.at({l, h, i, j});
          v = fusion == RolloutFusion::Mean ? v + x : fusion == RolloutFusion::Max ? std::max(v, x) : std::min(v, x);
        }
        if (fusion == RolloutFusion::Mean) v /= static_cast<double>(heads);
        if (i == j) v += 1.0;
        fused[i * n + j] = v;
        rowSum += v;
      }
      for (std::int64_t j = 0; j < n; ++j) fused[i * n + j] /= rowSum;
    }
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (std::int64_t k = 0; k < n; ++k) s += fused[i * n + k] * result[k * n + j];
        next[i * n + j] = s;
      }
    result.swap(next);
  }
  return result;
}

}  // namespace

TEST(Rollout, MatchesReferenceAndRowsSumToOne) {
  unsigned seed = 1;
  for (RolloutFusion fusion : {RolloutFusion::Mean, RolloutFusion::Max, RolloutFusion::Min}) {
    for (auto [layers, heads, n] : {std::tuple{1, 1, 1}, {2, 3, 5}, {6, 4, 17}, {12, 12, 9}}) {
      const Tensor a = randomAttention(layers, heads, n, seed++);
      const Tensor r = attnviz::attentionRollout(a, fusion);
      ASSERT_EQ(r.shape(), (attnviz::Shape{n, n}));
      const std::vector<double> expected = referenceRollout(a, fusion);
      double maxDiff = 0;
      for (std::int64_t i = 0; i < n * n; ++i) maxDiff = std::max(maxDiff, std::abs(r.data()[i] - expected[i]));
      for (std::int64_t i = 0; i < n; ++i) {
        double rowSum = 0;
        for (std::int64_t j = 0; j < n; ++j) rowSum += r.at({i, j});
        EXPECT_NEAR(rowSum, 1.0, 1e-5) << "row " << i;
      }
      std::printf("rollout %s [%d, %d, %d, %d]: max diff %.2e\n", attnviz::fusionName(fusion), layers, heads, n, n, maxDiff);
      EXPECT_LE(maxDiff, 1e-5);
    }
  }
}

TEST(Rollout, RefusesBadShapes) {
  EXPECT_THROW(attnviz::attentionRollout(Tensor({2, 3, 3}), RolloutFusion::Mean), attnviz::InternalError);
  EXPECT_THROW(attnviz::attentionRollout(Tensor({1, 1, 2, 3}), RolloutFusion::Mean), attnviz::InternalError);
  EXPECT_THROW(attnviz::attentionRollout(Tensor({1, 1, 2, 2}), RolloutFusion::None), attnviz::InternalError);
}

TEST(Rollout, DiscardKeepsRowsSummingToOne) {
  unsigned seed = 100;
  for (RolloutFusion fusion : {RolloutFusion::Mean, RolloutFusion::Max, RolloutFusion::Min}) {
    for (double ratio : {0.1, 0.5, 0.9, 0.99}) {
      for (auto [layers, heads, n] : {std::tuple{1, 1, 2}, {2, 3, 5}, {6, 4, 17}}) {
        const Tensor r = attnviz::attentionRollout(randomAttention(layers, heads, n, seed++), fusion, ratio);
        for (std::int64_t i = 0; i < n; ++i) {
          double rowSum = 0;
          for (std::int64_t j = 0; j < n; ++j) {
            EXPECT_GE(r.at({i, j}), 0.0f);
            rowSum += r.at({i, j});
          }
          EXPECT_NEAR(rowSum, 1.0, 1e-5) << attnviz::fusionName(fusion) << " ratio " << ratio << " row " << i;
        }
      }
    }
  }
}

TEST(Rollout, DiscardZeroIsPlainRollout) {
  const Tensor a = randomAttention(4, 3, 11, 7);
  for (RolloutFusion fusion : {RolloutFusion::Mean, RolloutFusion::Max, RolloutFusion::Min}) {
    const Tensor plain = attnviz::attentionRollout(a, fusion);
    const Tensor zero = attnviz::attentionRollout(a, fusion, 0.0);
    ASSERT_EQ(plain.shape(), zero.shape());
    for (std::int64_t i = 0; i < plain.numel(); ++i) EXPECT_EQ(plain.data()[i], zero.data()[i]);
  }
}

// One layer, one head, 3 tokens; ratio 0.5 drops floor(0.5 * 2) = 1 off-diagonal weight per row, then the
// identity is added and rows renormalised:
//   row 0 [0.5 0.3 0.2] -> [0.5 0.3 0] + e0 = [1.5 0.3 0] / 1.8
//   row 1 [0.1 0.6 0.3] -> [0 0.6 0.3] + e1 = [0 1.6 0.3] / 1.9
//   row 2 [0.3 0.1 0.6] -> [0.3 0 0.6] + e2 = [0.3 0 1.6] / 1.9   (the diagonal is never dropped)
TEST(Rollout, DiscardHandMadeCase) {
  Tensor a({1, 1, 3, 3});
  const float values[] = {0.5f, 0.3f, 0.2f, 0.1f, 0.6f, 0.3f, 0.3f, 0.1f, 0.6f};
  std::copy(std::begin(values), std::end(values), a.data());
  const Tensor r = attnviz::attentionRollout(a, RolloutFusion::Mean, 0.5);
  const double expected[3][3] = {{1.5 / 1.8, 0.3 / 1.8, 0.0}, {0.0, 1.6 / 1.9, 0.3 / 1.9}, {0.3 / 1.9, 0.0, 1.6 / 1.9}};
  for (std::int64_t i = 0; i < 3; ++i)
    for (std::int64_t j = 0; j < 3; ++j) EXPECT_NEAR(r.at({i, j}), expected[i][j], 1e-6) << i << ", " << j;
  // Two such layers: the product of the two filtered layers.
  Tensor two({2, 1, 3, 3});
  std::copy(std::begin(values), std::end(values), two.data());
  std::copy(std::begin(values), std::end(values), two.data() + 9);
  const Tensor r2 = attnviz::attentionRollout(two, RolloutFusion::Max, 0.5);
  for (std::int64_t i = 0; i < 3; ++i)
    for (std::int64_t j = 0; j < 3; ++j) {
      double s = 0;
      for (std::int64_t k = 0; k < 3; ++k) s += expected[i][k] * expected[k][j];
      EXPECT_NEAR(r2.at({i, j}), s, 1e-6) << i << ", " << j;
    }
}

TEST(Rollout, RefusesBadDiscardRatio) {
  const Tensor a = randomAttention(1, 1, 3, 3);
  for (double ratio : {-0.1, 1.0, 1.5, std::nan("")})
    EXPECT_THROW(attnviz::attentionRollout(a, RolloutFusion::Mean, ratio), attnviz::UsageError) << ratio;
  EXPECT_TRUE(attnviz::validDiscardRatio(0.0));
  EXPECT_TRUE(attnviz::validDiscardRatio(0.95));
  EXPECT_FALSE(attnviz::validDiscardRatio(1.0));
}
