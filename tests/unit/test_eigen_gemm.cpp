// The Eigen GEMM path (engine/ops/eigen_gemm.h) against the plain references (engine/ops/reference.h), for each of
// its three builds (sse2, avx2+fma, avx512) this CPU runs and both threading modes, at 2 threads (the column split
// has work for both). A variant the CPU lacks is skipped, naming the missing features. Also the variant choice
// (chooseEigenIsa, pure) and, when ctest sets ATTNVIZ_EXPECT_EIGEN_ISA, the choice the environment leads to
// (tests/CMakeLists.txt runs this with ATTNVIZ_EIGEN_ISA and ONEDNN_MAX_CPU_ISA set).
//
// Tolerance: float sums of up to 3072 products against double ones, so the bound scales with the sum of the terms'
// magnitudes, mag = |x|·|W|^T + |b| (+ |residual|): |got - want| <= 1e-5 * mag + 1e-6 (the 1e-6 for the erf fit).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/ops/cpu_capabilities.h"
#include "engine/ops/eigen_gemm.h"
#include "engine/ops/reference.h"
#include "tests/unit/test_ops_util.h"

namespace {
using attnviz::Shape;
using attnviz::Tensor;
namespace ops = attnviz::ops;
namespace ref = attnviz::ref;
using ops::detail::EigenChoice;
using ops::detail::EigenCpuSupport;
using ops::detail::EigenIsa;
using ops::detail::EigenThreading;
using opstest::random;

constexpr double kRelTol = 1e-5, kAbsTol = 1e-6;

Tensor absOf(const Tensor& t) {
  Tensor a(t.shape());
  for (std::int64_t i = 0; i < t.numel(); ++i) a.data()[i] = std::fabs(t.data()[i]);
  return a;
}

// Every element within kRelTol * mag + kAbsTol; prints the largest difference relative to mag.
void expectWithin(const std::string& label, const float* got, const Tensor& want, const Tensor& mag) {
  double worstRatio = 0.0;
  std::int64_t bad = 0, first = -1;
  for (std::int64_t i = 0; i < want.numel(); ++i) {
    const double diff = std::isnan(got[i]) ? INFINITY : std::fabs(double(got[i]) - want.data()[i]);
    const double bound = kRelTol * mag.data()[i] + kAbsTol;
    worstRatio = std::max(worstRatio, diff / bound);
    if (diff > bound && bad++ == 0) first = i;
  }
  std::printf("%s: largest diff %.2f of the bound\n", label.c_str(), worstRatio);
  EXPECT_EQ(bad, 0) << label << ": " << bad << " of " << want.numel() << " values off, first at " << first << " (got "
                    << got[first] << ", want " << want.data()[first] << ", magnitude " << mag.data()[first] << ")";
}

struct Variant {
  EigenIsa isa;
  EigenThreading threading;
};

std::string variantName(const testing::TestParamInfo<Variant>& info) {
  std::string isa = info.param.isa == EigenIsa::Avx512 ? "Avx512" : info.param.isa == EigenIsa::Avx2 ? "Avx2" : "Sse2";
  return isa + (info.param.threading == EigenThreading::Split ? "Split" : "EigenThreads");
}

void PrintTo(const Variant& v, std::ostream* os) { *os << variantName({v, 0}); }

class EigenGemm : public testing::TestWithParam<Variant> {
 protected:
  void SetUp() override {
    const std::string missing = ops::detail::eigenCpuSupport().missing[int(GetParam().isa)];
    if (!missing.empty()) GTEST_SKIP() << "this CPU lacks " << missing << " for the " << variantName({GetParam(), 0}) << " kernels";
    ops::setThreadCount(2);
  }
  void TearDown() override { ops::setThreadCount(0); }
  EigenChoice choice() const { return {GetParam().isa, GetParam().threading}; }
};

struct LinearCase {
  std::int64_t rows, in, out;
  bool bias, gelu, residual;
};

TEST_P(EigenGemm, LinearMatchesReference) {
  const LinearCase cases[] = {{1, 1, 1, true, false, false},   {7, 13, 5, true, false, false},
                              {7, 13, 5, false, false, false}, {7, 13, 5, true, true, true},
                              {33, 64, 100, true, true, false}, {30, 50, 17, false, false, true},
                              {3, 3072, 40, true, false, false}, {128, 768, 2304, true, true, true}};
  std::mt19937 rng(19);
  for (const LinearCase& c : cases) {
    const float bound = 1.0f / std::sqrt(float(c.in));  // nn.Linear's init range
    const Tensor x = random({c.rows, c.in}, rng, -2.0f, 2.0f);
    const Tensor w = random({c.out, c.in}, rng, -bound, bound);
    const Tensor b = random({c.out}, rng, -bound, bound);
    const Tensor r = random({c.rows, c.out}, rng);
    Tensor want = ref::linear(x, w, c.bias ? &b : nullptr);
    const Tensor absB = absOf(b);
    Tensor mag = ref::linear(absOf(x), absOf(w), c.bias ? &absB : nullptr);
    if (c.gelu) want = ref::gelu(want);
    if (c.residual) {
      want = ref::add(want, r);
      mag = ref::add(mag, absOf(r));
    }
    std::vector<float> y(std::size_t(c.rows * c.out), NAN);
    ops::detail::eigenLinear(choice(), x.data(), c.rows, c.in, w.data(), c.out, c.bias ? b.data() : nullptr, y.data(),
                             {.gelu = c.gelu, .residual = c.residual ? r.data() : nullptr});
    const std::string label = std::to_string(c.rows) + "x" + std::to_string(c.in) + "->" + std::to_string(c.out) +
                              (c.bias ? " bias" : "") + (c.gelu ? " gelu" : "") + (c.residual ? " residual" : "");
    expectWithin(label, y.data(), want, mag);
  }
}

// GELU over its whole range, large negative inputs included (where erf's fit is clamped), against ref::gelu.
TEST_P(EigenGemm, GeluOverItsRange) {
  const std::int64_t n = 161;
  Tensor x({n, 1}), w({1, 1}, {1.0f}), zero({n, 1});
  for (std::int64_t i = 0; i < n; ++i) x.data()[i] = -8.0f + 0.1f * float(i);  // -8 .. 8
  std::vector<float> y(n, NAN);
  ops::detail::eigenLinear(choice(), x.data(), n, 1, w.data(), 1, nullptr, y.data(), {.gelu = true});
  expectWithin("gelu on [-8, 8]", y.data(), ref::gelu(x), zero);
}

TEST_P(EigenGemm, EmptySizes) {
  std::vector<float> x(12, 1.0f), w(12, 1.0f), b{0.5f, -0.25f, 2.0f}, y(12, NAN);
  ops::detail::eigenLinear(choice(), x.data(), 0, 4, w.data(), 3, b.data(), y.data());  // rows 0: y untouched
  EXPECT_TRUE(std::isnan(y[0]));
  ops::detail::eigenLinear(choice(), x.data(), 4, 3, w.data(), 0, nullptr, y.data());  // out 0: y untouched
  EXPECT_TRUE(std::isnan(y[0]));
  ops::detail::eigenLinear(choice(), x.data(), 2, 0, w.data(), 3, b.data(), y.data());  // in 0: the bias
  EXPECT_EQ(std::vector<float>(y.begin(), y.begin() + 6), std::vector<float>({0.5f, -0.25f, 2.0f, 0.5f, -0.25f, 2.0f}));
  ops::detail::eigenBatchedMatmul(choice(), x.data(), w.data(), y.data(), 2, 3, 0, 2, 1.0f, false);  // k 0: zeros
  EXPECT_EQ(std::vector<float>(y.begin(), y.begin() + 12), std::vector<float>(12, 0.0f));
  EXPECT_THROW(ops::detail::eigenLinear(choice(), x.data(), -1, 4, w.data(), 3, nullptr, y.data()),
               attnviz::InternalError);
}

TEST_P(EigenGemm, BatchedMatmulMatchesReference) {
  struct Case {
    std::int64_t batch, m, k, n;
    bool transposeB;
  };
  const Case cases[] = {{1, 1, 1, 1, false}, {1, 7, 13, 5, true}, {3, 7, 13, 5, false},
                        {12, 128, 64, 128, true}, {12, 128, 128, 64, false}, {5, 9, 3, 31, true},
                        {1, 9, 20, 100, true},   {1, 9, 20, 100, false}};  // one product: cut into column slices
  std::mt19937 rng(7);
  for (const Case& c : cases) {
    const Tensor a = random({c.batch, c.m, c.k}, rng);
    const Tensor b = random(c.transposeB ? Shape{c.batch, c.n, c.k} : Shape{c.batch, c.k, c.n}, rng);
    const float scale = 0.125f;
    const Tensor want = ref::matmul(a, b, scale, c.transposeB);
    const Tensor mag = ref::matmul(absOf(a), absOf(b), scale, c.transposeB);
    std::vector<float> got(std::size_t(c.batch * c.m * c.n), NAN);
    ops::detail::eigenBatchedMatmul(choice(), a.data(), b.data(), got.data(), c.batch, c.m, c.k, c.n, scale,
                                    c.transposeB);
    expectWithin("matmul " + std::to_string(c.batch) + "x[" + std::to_string(c.m) + "x" + std::to_string(c.k) + "]x[" +
                     std::to_string(c.k) + "x" + std::to_string(c.n) + "]" + (c.transposeB ? " transposed" : ""),
                 got.data(), want, mag);
  }
}

// Three threads over 100 columns: slices of 32, 32 and 36 columns (cut on multiples of 16); two threads over 20
// columns: one slice of 16, one of 4; three threads over 17 columns: one slice (one per 16 columns at most).
TEST_P(EigenGemm, UnevenColumnSlices) {
  std::mt19937 rng(3);
  for (const auto& [threads, out] : {std::pair{3, 100}, std::pair{2, 20}, std::pair{3, 17}}) {
    ops::setThreadCount(threads);
    const Tensor x = random({9, 24}, rng), w = random({out, 24}, rng), b = random({out}, rng);
    const Tensor want = ref::linear(x, w, &b);
    const Tensor absB = absOf(b);
    const Tensor mag = ref::linear(absOf(x), absOf(w), &absB);
    std::vector<float> y(std::size_t(9 * out), NAN);
    ops::detail::eigenLinear(choice(), x.data(), 9, 24, w.data(), out, b.data(), y.data());
    expectWithin(std::to_string(threads) + " threads, 9x24->" + std::to_string(out), y.data(), want, mag);
  }
  // Two products on three threads: each cut into two column slices (of 48 and 52), four work items.
  ops::setThreadCount(3);
  for (bool transposeB : {false, true}) {
    const Tensor a = random({2, 5, 7}, rng);
    const Tensor b = random(transposeB ? Shape{2, 100, 7} : Shape{2, 7, 100}, rng);
    const Tensor want = ref::matmul(a, b, 1.0f, transposeB);
    const Tensor mag = ref::matmul(absOf(a), absOf(b), 1.0f, transposeB);
    std::vector<float> got(2 * 5 * 100, NAN);
    ops::detail::eigenBatchedMatmul(choice(), a.data(), b.data(), got.data(), 2, 5, 7, 100, 1.0f, transposeB);
    expectWithin(std::string("3 threads, 2x[5x7]x[7x100]") + (transposeB ? " transposed" : ""), got.data(), want, mag);
  }
}

INSTANTIATE_TEST_SUITE_P(Variants, EigenGemm,
                         testing::Values(Variant{EigenIsa::Sse2, EigenThreading::Split},
                                         Variant{EigenIsa::Sse2, EigenThreading::Eigen},
                                         Variant{EigenIsa::Avx2, EigenThreading::Split},
                                         Variant{EigenIsa::Avx2, EigenThreading::Eigen},
                                         Variant{EigenIsa::Avx512, EigenThreading::Split},
                                         Variant{EigenIsa::Avx512, EigenThreading::Eigen}),
                         variantName);

// The decision on its own: a CPU with AVX2 but no AVX-512, one with everything, one with SSE2 only.
TEST(EigenGemmChoice, WidestTheCpuAndOnednnAllow) {
  const EigenCpuSupport avx2Cpu{{"", "", "AVX512F, AVX512DQ, AVX512VL, AVX512BW"}};
  const EigenCpuSupport allCpu{{"", "", ""}};
  const EigenCpuSupport oldCpu{{"", "AVX2, FMA", "AVX512F, AVX512DQ, AVX512VL, AVX512BW, FMA"}};
  using ops::detail::chooseEigenIsa;
  EXPECT_EQ(chooseEigenIsa("", EigenIsa::Avx512, allCpu), EigenIsa::Avx512);
  EXPECT_EQ(chooseEigenIsa("", EigenIsa::Avx512, avx2Cpu), EigenIsa::Avx2);
  EXPECT_EQ(chooseEigenIsa("", EigenIsa::Avx512, oldCpu), EigenIsa::Sse2);
  EXPECT_EQ(chooseEigenIsa("", EigenIsa::Avx2, allCpu), EigenIsa::Avx2);  // ONEDNN_MAX_CPU_ISA=AVX2
  EXPECT_EQ(chooseEigenIsa("", EigenIsa::Sse2, allCpu), EigenIsa::Sse2);  // ONEDNN_MAX_CPU_ISA=AVX
  EXPECT_EQ(chooseEigenIsa("sse2", EigenIsa::Avx512, allCpu), EigenIsa::Sse2);
  EXPECT_EQ(chooseEigenIsa("avx2", EigenIsa::Avx512, allCpu), EigenIsa::Avx2);
  EXPECT_EQ(chooseEigenIsa("avx512", EigenIsa::Avx2, allCpu), EigenIsa::Avx512);  // named: honoured over the cap
}

TEST(EigenGemmChoice, RefusedOverrideSaysWhatIsMissing) {
  const EigenCpuSupport avx2Cpu{{"", "", "AVX512BW, AVX512VL"}};
  try {
    ops::detail::chooseEigenIsa("avx512", EigenIsa::Avx512, avx2Cpu);
    FAIL() << "avx512 on a CPU without AVX512BW was accepted";
  } catch (const attnviz::BackendError& e) {
    EXPECT_EQ(e.where(), "ATTNVIZ_EIGEN_ISA");
    EXPECT_EQ(std::string(e.what()), "ATTNVIZ_EIGEN_ISA=avx512 asks for kernels that need AVX512BW, AVX512VL, which "
                                     "this CPU lacks; use a lower variant or unset it");
  }
  try {
    ops::detail::chooseEigenIsa("AVX2", EigenIsa::Avx512, avx2Cpu);
    FAIL() << "an unknown name was accepted";
  } catch (const attnviz::BackendError& e) {
    EXPECT_EQ(std::string(e.what()), "ATTNVIZ_EIGEN_ISA=AVX2 is not a variant: use sse2, avx2 or avx512, or unset it");
  }
}

// What the environment leads to: ctest sets ATTNVIZ_EXPECT_EIGEN_ISA beside ATTNVIZ_EIGEN_ISA or ONEDNN_MAX_CPU_ISA
// ("error" when eigenGemmIsa() must refuse); without it, no override and no cap mean the CPU's widest variant.
TEST(EigenGemmChoice, EnvironmentDecidesTheDefault) {
  const char* expected = std::getenv("ATTNVIZ_EXPECT_EIGEN_ISA");
  const char* needs = std::getenv("ATTNVIZ_EXPECT_EIGEN_NEEDS");  // the variant the expectation needs, if any
  const EigenCpuSupport cpu = ops::detail::eigenCpuSupport();
  if (needs) {
    const int rank = std::string(needs) == "avx512" ? 2 : std::string(needs) == "avx2" ? 1 : 0;
    if (!cpu.missing[rank].empty()) GTEST_SKIP() << "this CPU lacks " << cpu.missing[rank] << " for " << needs;
  }
  if (expected && std::string(expected) == "error") {
    EXPECT_THROW(ops::detail::eigenGemmIsa(), attnviz::BackendError);
    return;
  }
  if (expected) {
    EXPECT_STREQ(ops::detail::eigenGemmIsa(), expected);
    return;
  }
  if (std::getenv("ATTNVIZ_EIGEN_ISA") || std::getenv("ONEDNN_MAX_CPU_ISA") || std::getenv("DNNL_MAX_CPU_ISA"))
    GTEST_SKIP() << "the environment overrides the choice and no ATTNVIZ_EXPECT_EIGEN_ISA says what to expect";
  const EigenIsa widest = cpu.missing[2].empty() ? EigenIsa::Avx512 : cpu.missing[1].empty() ? EigenIsa::Avx2 : EigenIsa::Sse2;
  EXPECT_STREQ(ops::detail::eigenGemmIsa(), ops::detail::eigenIsaName(widest));
}

}  // namespace
