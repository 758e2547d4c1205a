// Dense ops (Linear, matmul, softmax, layerNorm, eltwise, add/mul): oneDNN against the plain references on
// random shapes with fixed seeds.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/core/error.h"
#include "engine/ops/cpu_capabilities.h"
#include "engine/ops/ops.h"
#include "engine/ops/reference.h"
#include "tests/unit/test_ops_util.h"

namespace {
using attnviz::Shape;
using attnviz::Tensor;
namespace ops = attnviz::ops;
namespace ref = attnviz::ref;
using opstest::dims;
using opstest::expectClose;
using opstest::random;

struct LinearCase {
  Shape x;
  std::int64_t out;
  bool bias;
};

TEST(OpsDense, LinearMatchesReference) {
  const LinearCase cases[] = {{{7, 33}, 19, true}, {{1, 64}, 128, true}, {{5, 3, 16}, 8, false},
                              {{33}, 7, true},     {{130, 96}, 40, true}, {{2, 1, 1}, 1, true}};
  std::mt19937 rng(1);
  for (const auto& c : cases) {
    const std::int64_t in = c.x.back();
    const float bound = 1.0f / std::sqrt(float(in));  // nn.Linear's init range
    Tensor x = random(c.x, rng);
    Tensor w = random({c.out, in}, rng, -bound, bound);
    Tensor b = random({c.out}, rng, -bound, bound);
    const Tensor* bias = c.bias ? &b : nullptr;
    const Tensor want = ref::linear(x, w, bias);
    const std::string label = "linear [" + dims(c.x) + "]x[" + std::to_string(in) + "->" + std::to_string(c.out) + "]" +
                              (c.bias ? "" : " no bias");
    ops::Linear layer(w, c.bias ? std::optional<Tensor>(b) : std::nullopt);
    EXPECT_EQ(layer.inFeatures(), in);
    EXPECT_EQ(layer.outFeatures(), c.out);
    expectClose(label, layer(x), want);
    expectClose(label + " again", layer(x), want);  // the cached primitive
    expectClose(label + " one-shot", ops::linear(x, w, bias), want);
  }
}

TEST(OpsDense, LinearFusedGeluAndResidualMatchReference) {
  std::mt19937 rng(5);
  for (const Shape& xs : {Shape{9, 24}, Shape{128, 48}, Shape{2, 3, 16}}) {
    const std::int64_t in = xs.back(), out = 20;
    Tensor x = random(xs, rng);
    Tensor w = random({out, in}, rng, -0.3f, 0.3f);
    Tensor b = random({out}, rng, -0.3f, 0.3f);
    Shape ys = xs;
    ys.back() = out;
    Tensor residual = random(ys, rng);
    const Tensor plain = ref::linear(x, w, &b);
    const ops::Linear gelu(w, b, {ops::Activation::Gelu});
    const ops::Linear none(w, b);
    expectClose("linear+gelu [" + dims(xs) + "]", gelu(x), ref::gelu(plain));
    expectClose("linear+residual [" + dims(xs) + "]", none(x, residual), ref::add(plain, residual));
    expectClose("linear+gelu+residual [" + dims(xs) + "]", gelu(x, residual), ref::add(ref::gelu(plain), residual));
    expectClose("linear after a residual call [" + dims(xs) + "]", none(x), plain);  // separate cached primitive
  }
}

TEST(OpsDense, LinearBf16IsCloseToF32) {
  // unit_test_cpu_capabilities checks that this skip happens exactly where oneDNN has no bf16 kernel.
  if (const auto& cpu = ops::cpuCapabilities(); !cpu.bf16) GTEST_SKIP() << "no bfloat16 on this CPU: " << cpu.bf16Reason;
  std::mt19937 rng(6);
  Tensor x = random({64, 256}, rng);
  Tensor w = random({96, 256}, rng, -0.0625f, 0.0625f);
  Tensor b = random({96}, rng, -0.0625f, 0.0625f);
  const Tensor want = ref::linear(x, w, &b);
  const ops::Linear f32(w, b);
  const ops::Linear bf16 = f32.withPrecision(ops::Precision::BF16);
  const ops::Linear direct(w, b, {ops::Activation::None, ops::Precision::BF16});
  // bfloat16 keeps 8 bits of mantissa: each product is off by up to ~2^-8 relative; over 256 terms of random
  // sign the sum's error stays around 1e-2 of its scale.
  for (const Tensor& got : {bf16(x), direct(x)}) {
    double worst = 0, scale = 0;
    for (std::int64_t i = 0; i < want.numel(); ++i) {
      worst = std::max(worst, std::fabs(double(got.data()[i]) - want.data()[i]));
      scale = std::max(scale, std::fabs(double(want.data()[i])));
    }
    EXPECT_GT(worst, 0.0) << "bf16 gave f32's exact result: not computed in bf16?";
    EXPECT_LT(worst, 0.02 * scale) << "max difference " << worst << " for outputs up to " << scale;
  }
  EXPECT_THROW(f32(x, Tensor({64, 95})), attnviz::InternalError);  // residual of the wrong shape
}

TEST(OpsDense, LinearWeightsOutliveTheirTensor) {
  std::mt19937 rng(2);
  Tensor x = random({4, 12}, rng);
  Tensor want;
  ops::Linear layer;
  {
    Tensor w = random({6, 12}, rng);
    want = ref::linear(x, w, nullptr);
    layer = ops::Linear(w, std::nullopt);  // shares w's storage (the stored-layout paths read it in place)
  }
  expectClose("linear [4x12]x[12->6] after weight dropped", layer(x), want);
}

struct MatmulCase {
  Shape a, b;
  float scale;
  bool transposeB;
};

TEST(OpsDense, MatmulMatchesReference) {
  const MatmulCase cases[] = {
      {{4, 9, 16}, {4, 16, 11}, 1.0f, false},  // batched
      {{12, 10, 8}, {12, 10, 8}, 0.125f, true},  // attention scores: q · k^T / sqrt(d)
      {{3, 7}, {7, 5}, 1.0f, false},             // rank 2
      {{2, 6, 5}, {5, 4}, 2.0f, false},          // b broadcast over a's batch
      {{1, 6, 5}, {3, 4, 5}, 1.0f, true},        // a broadcast over b's batch
      {{1, 1, 1}, {1, 1, 1}, 1.0f, false},
      {{2, 65, 70}, {2, 70, 33}, 0.5f, false},
  };
  std::mt19937 rng(3);
  for (const auto& c : cases) {
    Tensor a = random(c.a, rng), b = random(c.b, rng);
    const std::string label = "matmul [" + dims(c.a) + "]x[" + dims(c.b) + "]" + (c.transposeB ? "^T" : "") +
                              " scale " + std::to_string(c.scale).substr(0, 5);
    expectClose(label, ops::matmul(a, b, c.scale, c.transposeB), ref::matmul(a, b, c.scale, c.transposeB));
  }
}

TEST(OpsDense, MatmulEmptyInnerDimensionGivesZeros) {
  Tensor a({2, 3, 0}), b({2, 0, 4});
  Tensor c = ops::matmul(a, b);
  EXPECT_EQ(c.shape(), (Shape{2, 3, 4}));
  for (float v : c.values()) EXPECT_EQ(v, 0.0f);
}

TEST(OpsDense, SoftmaxMatchesReferenceAndRowsSumToOne) {
  const Shape shapes[] = {{5, 17}, {2, 3, 64}, {1, 1}, {12, 128}, {40}};
  std::mt19937 rng(4);
  for (const auto& s : shapes) {
    Tensor x = random(s, rng, -8.0f, 8.0f);
    Tensor y = ops::softmax(x);
    expectClose("softmax [" + dims(s) + "]", y, ref::softmax(x));
    const std::int64_t n = s.back();
    for (std::int64_t r = 0; r < y.numel() / n; ++r) {
      double sum = 0.0;
      for (std::int64_t j = 0; j < n; ++j) sum += y.data()[r * n + j];
      EXPECT_NEAR(sum, 1.0, 1e-5) << "row " << r << " of softmax [" << dims(s) << "]";
    }
  }
}

TEST(OpsDense, SoftmaxIsStableForLargeLogits) {
  Tensor x({1, 3}, {1000.0f, 1000.0f, -1000.0f});
  Tensor y = ops::softmax(x);
  EXPECT_NEAR(y.at({0, 0}), 0.5f, 1e-6);
  EXPECT_NEAR(y.at({0, 1}), 0.5f, 1e-6);
  EXPECT_NEAR(y.at({0, 2}), 0.0f, 1e-6);
}

TEST(OpsDense, LayerNormMatchesReference) {
  const Shape shapes[] = {{6, 32}, {2, 5, 48}, {1, 7}, {9, 768}};
  std::mt19937 rng(5);
  for (const auto& s : shapes) {
    const std::int64_t n = s.back();
    Tensor x = random(s, rng, -3.0f, 5.0f);
    Tensor gamma = random({n}, rng, 0.5f, 1.5f), beta = random({n}, rng, -0.5f, 0.5f);
    for (float eps : {1e-5f, 1e-12f})
      expectClose("layerNorm [" + dims(s) + "] eps " + (eps < 1e-6f ? "1e-12" : "1e-5"), ops::layerNorm(x, gamma, beta, eps),
                  ref::layerNorm(x, gamma, beta, eps));
  }
}

TEST(OpsDense, EltwiseMatchesReference) {
  const Shape shapes[] = {{3, 50}, {1000}, {2, 3, 4, 5}, {1}};
  std::mt19937 rng(6);
  for (const auto& s : shapes) {
    Tensor x = random(s, rng, -6.0f, 6.0f);
    expectClose("gelu [" + dims(s) + "]", ops::gelu(x), ref::gelu(x));
    expectClose("tanh [" + dims(s) + "]", ops::tanh(x), ref::tanh(x));
    expectClose("sigmoid [" + dims(s) + "]", ops::sigmoid(x), ref::sigmoid(x));
  }
}

TEST(OpsDense, GeluIsTheErfForm) {
  // torch.nn.functional.gelu(torch.tensor([-1., 0.5, 2.])) in float64
  Tensor x({3}, {-1.0f, 0.5f, 2.0f});
  Tensor y = ops::gelu(x);
  EXPECT_NEAR(y.at({0}), -0.15865525393145707, 1e-6);
  EXPECT_NEAR(y.at({1}), 0.34573123063700656, 1e-6);
  EXPECT_NEAR(y.at({2}), 1.9544997361036416, 1e-6);
}

TEST(OpsDense, AddAndMulMatchReference) {
  const std::pair<Shape, Shape> cases[] = {
      {{4, 9}, {4, 9}}, {{4, 9}, {9}}, {{2, 3, 8}, {3, 8}}, {{2, 3, 8}, {8}}, {{1}, {1}}, {{6, 1}, {1}}};
  std::mt19937 rng(7);
  for (const auto& [sa, sb] : cases) {
    Tensor a = random(sa, rng), b = random(sb, rng);
    const std::string shapes = "[" + dims(sa) + "] [" + dims(sb) + "]";
    expectClose("add " + shapes, ops::add(a, b), ref::add(a, b));
    expectClose("mul " + shapes, ops::mul(a, b), ref::mul(a, b));
  }
}

TEST(OpsDense, EmptyInputsGiveEmptyOutputs) {
  Tensor x({0, 8});
  EXPECT_EQ(ops::softmax(x).shape(), (Shape{0, 8}));
  EXPECT_EQ(ops::gelu(x).shape(), (Shape{0, 8}));
  EXPECT_EQ(ops::add(x, Tensor({8})).shape(), (Shape{0, 8}));
  EXPECT_EQ(ops::linear(x, Tensor({3, 8}), nullptr).shape(), (Shape{0, 3}));
  EXPECT_EQ(ops::Linear(Tensor({3, 8}), std::nullopt)(x).shape(), (Shape{0, 3}));
}

}  // namespace

TEST(OpsDense, MultiHeadAttentionMatchesReferenceAndWritesIntoASlice) {
  std::mt19937 rng(9);
  struct Case {
    std::int64_t n, heads, d;
  };
  for (const Case c : {Case{1, 1, 1}, Case{5, 2, 8}, Case{17, 3, 4}, Case{64, 12, 64}}) {
    const std::int64_t hidden = c.heads * c.d;
    const Tensor qkv = random({c.n, 3 * hidden}, rng, -2.0f, 2.0f);
    const float scale = 1.0f / std::sqrt(float(c.d));
    Tensor maps = Tensor::uninitialized({2, c.heads, c.n, c.n});  // a layer's slice, as the models pass it
    Tensor slice = maps.slice(1), want(Shape{c.heads, c.n, c.n});
    const std::string label = "multiHeadAttention N " + std::to_string(c.n) + " heads " + std::to_string(c.heads) +
                              " d " + std::to_string(c.d);
    const Tensor context = ops::multiHeadAttention(qkv, c.heads, scale, slice);
    expectClose(label + " context", context, ref::multiHeadAttention(qkv, c.heads, scale, want));
    expectClose(label + " probs", maps.slice(1), want);
    for (std::int64_t row = 0; row < c.heads * c.n; ++row) {
      double sum = 0;
      for (std::int64_t j = 0; j < c.n; ++j) sum += maps.slice(1).data()[row * c.n + j];
      EXPECT_NEAR(sum, 1.0, 1e-5) << label << " row " << row;
    }
  }
  Tensor wrong(Shape{2, 3, 4});
  EXPECT_THROW(ops::multiHeadAttention(Tensor({3, 12}), 2, 1.0f, wrong), attnviz::InternalError);  // not [heads, N, N]
}
