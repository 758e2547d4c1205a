// Attention flow (engine/analysis/attention_flow.h): max-flow on a textbook graph, and flows on tiny attention
// stacks whose answer is known in closed form (one layer: the residual-augmented attention itself; two layers:
// sum over middle tokens of min(upper edge, lower edge), since those paths share no edge); rows sum to 1;
// progress and cancel.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/core/error.h"
#include "engine/analysis/attention_flow.h"

using attnviz::Tensor;

namespace {

// [layers, 1 head, n, n] from row-major values.
Tensor stack(std::int64_t layers, std::int64_t n, std::vector<float> values) {
  return Tensor({layers, 1, n, n}, std::move(values));
}

}  // namespace

TEST(AttentionFlow, MaxFlowOnTheTextbookGraph) {
  // Cormen et al., figure 26.1: s=0, v1..v4 = 1..4, t=5; the maximum flow is 23.
  std::vector<std::vector<double>> c(6, std::vector<double>(6, 0.0));
  c[0][1] = 16; c[0][2] = 13; c[1][3] = 12; c[2][1] = 4; c[2][4] = 14; c[3][2] = 9; c[3][5] = 20; c[4][3] = 7; c[4][5] = 4;
  EXPECT_NEAR(attnviz::maxFlow(c, 0, 5), 23.0, 1e-9);
  EXPECT_NEAR(attnviz::maxFlow(c, 5, 0), 0.0, 1e-9);
}

TEST(AttentionFlow, OneLayerIsTheResidualAugmentedAttention) {
  const Tensor a = stack(1, 2, {0.8f, 0.2f, 0.3f, 0.7f});
  const Tensor f = attnviz::attentionFlow(a, {0, 1});
  ASSERT_EQ(f.shape(), (attnviz::Shape{2, 2}));
  // (A + I) / 2 = [[0.9, 0.1], [0.15, 0.85]]
  EXPECT_NEAR(f.data()[0], 0.9, 1e-6);
  EXPECT_NEAR(f.data()[1], 0.1, 1e-6);
  EXPECT_NEAR(f.data()[2], 0.15, 1e-6);
  EXPECT_NEAR(f.data()[3], 0.85, 1e-6);
}

TEST(AttentionFlow, TwoLayersSumTheBottlenecksAndRowsSumToOne) {
  // Layer 1 (bottom) A1, layer 2 (top) A2; augmented A' = (A + I) / 2.
  const std::vector<float> a1 = {0.0f, 1.0f, 0.4f, 0.6f}, a2 = {0.2f, 0.8f, 1.0f, 0.0f};
  std::vector<float> both = a1;
  both.insert(both.end(), a2.begin(), a2.end());
  const Tensor f = attnviz::attentionFlow(stack(2, 2, both), {0, 1});
  auto aug = [](const std::vector<float>& a, int i, int j) { return (a[i * 2 + j] + (i == j ? 1.0 : 0.0)) / 2.0; };
  for (int i = 0; i < 2; ++i) {
    double raw[2], sum = 0;
    for (int j = 0; j < 2; ++j) {
      raw[j] = std::min(aug(a2, i, 0), aug(a1, 0, j)) + std::min(aug(a2, i, 1), aug(a1, 1, j));
      sum += raw[j];
    }
    double rowSum = 0;
    for (int j = 0; j < 2; ++j) {
      EXPECT_NEAR(f.data()[i * 2 + j], raw[j] / sum, 1e-6) << i << "," << j;
      rowSum += f.data()[i * 2 + j];
    }
    EXPECT_NEAR(rowSum, 1.0, 1e-6);
  }
}

TEST(AttentionFlow, ReportsProgressAndCancels) {
  const Tensor a = stack(1, 3, {0.5f, 0.25f, 0.25f, 0.1f, 0.8f, 0.1f, 0.3f, 0.3f, 0.4f});
  std::vector<std::int64_t> seen;
  const Tensor f = attnviz::attentionFlow(a, {0, 1, 2}, [&](std::int64_t done, std::int64_t total) {
    seen.push_back(done);
    EXPECT_EQ(total, 9);  // 3 rows x 3 input tokens: one call per max-flow
    return done < 4;      // cancel in the middle of the second row
  });
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(f.numel(), 0);
  EXPECT_THROW(attnviz::attentionFlow(a, {3}), attnviz::InternalError);
}
