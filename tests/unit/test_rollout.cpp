// Attention rollout vs a plain-loop reference on random maps; rows of the result sum to 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "engine/core/error.h"
#include "engine/model/rollout.h"

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
