// The Eigen GEMM kernel behind eigen_gemm.h, included once by each variant file (eigen_gemm_sse2/avx2/avx512.cpp) with
// ATTNVIZ_EIGEN_VARIANT defined; the variant's compiler flags decide which of Eigen's packet paths (SSE 4 floats,
// AVX 8, AVX-512 16) it uses. Defines the two C entry points of eigen_gemm_variants.h with the variant's suffix.
// Everything else here has internal linkage, and the build makes Eigen's own template instantiations local to the
// variant's object too (engine/ops/CMakeLists.txt, "ODR"), so no Eigen code is shared between variants.
//
// Threads: with splitByEigen = 0 the output columns are cut into one slice per OpenMP thread (multiples of 16 floats,
// a 64-byte line) and each thread runs Eigen's GEMM alone on its slice (sequentialEigen), then the epilogue on it
// while it is in cache. With
// splitByEigen = 1 one GEMM covers everything and Eigen parallelises it itself (omp_get_max_threads() threads), then
// the epilogue runs over rows in parallel. Batched products split whole products across threads, or column slices
// of them when there are fewer products than threads. Eigen's own threads wait for each other by spinning, which
// collapses when a core is taken by another process (0.4 GFLOP/s for 12 heads at 2 threads on the busy issue-19
// machine, against 110 split): Split is the default (eigen_gemm.cpp).
#ifndef ATTNVIZ_EIGEN_VARIANT
#error "define ATTNVIZ_EIGEN_VARIANT (sse2, avx2 or avx512) before including eigen_gemm_kernel.h"
#endif

#include <omp.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <unsupported/Eigen/SpecialFunctions>

#include "engine/ops/eigen_gemm_variants.h"

#define ATTNVIZ_EIGEN_CAT2(a, b) a##b
#define ATTNVIZ_EIGEN_CAT(a, b) ATTNVIZ_EIGEN_CAT2(a, b)
#define ATTNVIZ_EIGEN_ENTRY(op) ATTNVIZ_EIGEN_CAT(attnviz_eigen_##op##_, ATTNVIZ_EIGEN_VARIANT)

namespace {

// The flags must match the variant's name: a variant built without its flags would quietly run SSE code.
#define ATTNVIZ_EIGEN_IS_sse2 1
#define ATTNVIZ_EIGEN_IS_avx2 2
#define ATTNVIZ_EIGEN_IS_avx512 3
#define ATTNVIZ_EIGEN_LEVEL ATTNVIZ_EIGEN_CAT(ATTNVIZ_EIGEN_IS_, ATTNVIZ_EIGEN_VARIANT)
#if ATTNVIZ_EIGEN_LEVEL == 3
static_assert(EIGEN_MAX_ALIGN_BYTES == 64, "the avx512 variant needs -mavx512f (engine/ops/CMakeLists.txt)");
#if !defined(__AVX512F__) || !defined(__AVX512DQ__) || !defined(__AVX512VL__) || !defined(__AVX512BW__) || !defined(__FMA__)
#error "the avx512 variant needs -mavx512f -mavx512dq -mavx512vl -mavx512bw -mfma"
#endif
#elif ATTNVIZ_EIGEN_LEVEL == 2
#if !defined(__AVX2__) || !defined(__FMA__) || defined(__AVX512F__)
#error "the avx2 variant needs -mavx2 -mfma and no AVX-512"
#endif
#elif ATTNVIZ_EIGEN_LEVEL == 1
#if defined(__AVX__)
#error "the sse2 variant must be built for generic x86-64 (no -mavx, no -march=native)"
#endif
#else
#error "ATTNVIZ_EIGEN_VARIANT must be sse2, avx2 or avx512"
#endif
#ifndef EIGEN_HAS_OPENMP
#error "the Eigen kernels need -fopenmp (OpenMP::OpenMP_CXX): Eigen's parallel GEMM and the column split use it"
#endif

using Index = Eigen::Index;
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMatrixMap = Eigen::Map<const RowMatrix, Eigen::Unaligned, Eigen::OuterStride<>>;
using MatrixMap = Eigen::Map<RowMatrix, Eigen::Unaligned, Eigen::OuterStride<>>;
using ConstRowMap = Eigen::Map<const Eigen::Array<float, 1, Eigen::Dynamic>>;
using RowMap = Eigen::Map<Eigen::Array<float, 1, Eigen::Dynamic>>;

// Eigen's cache-size statics filled once, before any two threads can race to do it.
void initEigenOnce() {
  static const bool done = (Eigen::initParallel(), true);
  (void)done;
}

// Columns [c0, c1) of row r of y: + bias, gelu, + residual.
void epilogueRow(const AttnvizEigenLinearArgs& a, Index r, Index c0, Index c1) {
  RowMap v(a.y + r * a.out + c0, c1 - c0);
  if (a.bias) v += ConstRowMap(a.bias + c0, c1 - c0);
  // gelu(v) = v/2 (1 + erf(v / sqrt 2)); Eigen's vectorised float erf (a rational fit, clamped at |v| = 4).
  if (a.gelu) v = 0.5f * v * (1.0f + (v * float(M_SQRT1_2)).erf());
  if (a.residual) v += ConstRowMap(a.residual + r * a.out + c0, c1 - c0);
}

// y[:, c0:c1] = x · w[c0:c1, :]^T, y: [rows, out] with row stride out.
void productColumns(const AttnvizEigenLinearArgs& a, Index c0, Index c1) {
  MatrixMap y(a.y + c0, a.rows, c1 - c0, Eigen::OuterStride<>(a.out));
  if (a.in == 0) {
    y.setZero();
    return;
  }
  const ConstMatrixMap x(a.x, a.rows, a.in, Eigen::OuterStride<>(a.in));
  const ConstMatrixMap w(a.w + c0 * a.in, c1 - c0, a.in, Eigen::OuterStride<>(a.in));
  y.noalias() = x * w.transpose();
}

// Inside one of our parallel regions: Eigen's GEMM runs on this thread alone. (Eigen asks omp_get_max_threads(); this
// sets it for this region's task only, the caller's count is untouched. Eigen's own check, omp_get_num_threads() > 1,
// misses a region of one thread.)
void sequentialEigen() { omp_set_num_threads(1); }

// [begin, end) of slice t of n over [0, size), boundaries on multiples of 16 (the last slice takes the rest).
std::pair<Index, Index> slice(Index size, int t, int n) {
  auto edge = [&](int i) { return i >= n ? size : std::min(size, (size * i / n) / 16 * 16); };
  return {edge(t), edge(t + 1)};
}

void linear(const AttnvizEigenLinearArgs& a) {
  if (a.rows == 0 || a.out == 0) return;
  initEigenOnce();
  const bool epilogue = a.bias || a.gelu || a.residual;
  if (a.splitByEigen) {
    productColumns(a, 0, a.out);
    if (epilogue) {
#pragma omp parallel for num_threads(std::max(1, a.threads)) schedule(static)
      for (Index r = 0; r < a.rows; ++r) epilogueRow(a, r, 0, a.out);
    }
    return;
  }
  // At most one slice per 16 columns: a thread with an empty slice would only pay the start-up.
  const int threads = int(std::clamp<Index>((a.out + 15) / 16, 1, std::max(1, a.threads)));
#pragma omp parallel num_threads(threads)
  {
    sequentialEigen();
    const auto [c0, c1] = slice(a.out, omp_get_thread_num(), omp_get_num_threads());
    if (c1 > c0) {
      productColumns(a, c0, c1);
      if (epilogue)
        for (Index r = 0; r < a.rows; ++r) epilogueRow(a, r, c0, c1);
    }
  }
}

// c[i][:, c0:c1] = scale * a[i] · (b[i]^T or b[i])[:, c0:c1].
void matmulColumns(const AttnvizEigenMatmulArgs& p, Index i, Index c0, Index c1) {
  const Index m = p.m, k = p.k, n = p.n, cols = c1 - c0;
  MatrixMap c(p.c + i * m * n + c0, m, cols, Eigen::OuterStride<>(n));
  if (k == 0) {
    c.setZero();
    return;
  }
  const ConstMatrixMap a(p.a + i * m * k, m, k, Eigen::OuterStride<>(k));
  if (p.transposeB) {  // b[i]: [n, k], its rows c0..c1
    const ConstMatrixMap b(p.b + i * n * k + c0 * k, cols, k, Eigen::OuterStride<>(k));
    c.noalias() = p.scale * (a * b.transpose());
  } else {  // b[i]: [k, n], its columns c0..c1
    const ConstMatrixMap b(p.b + i * k * n + c0, k, cols, Eigen::OuterStride<>(n));
    c.noalias() = p.scale * (a * b);
  }
}

void matmul(const AttnvizEigenMatmulArgs& p) {
  if (p.batch == 0 || p.m == 0 || p.n == 0) return;
  initEigenOnce();
  if (p.splitByEigen) {
    for (Index i = 0; i < p.batch; ++i) matmulColumns(p, i, 0, p.n);
    return;
  }
  // Split: work items of whole products (attention's heads) when there are at least as many as threads, else each
  // product cut into column slices so that every thread has one.
  const Index threads = std::max(1, p.threads);
  const Index slices = p.batch >= threads ? 1 : std::min<Index>((threads + p.batch - 1) / p.batch, (p.n + 15) / 16);
  const Index items = p.batch * slices;
#pragma omp parallel num_threads(int(std::min(threads, items)))
  {
    sequentialEigen();
#pragma omp for schedule(static)
    for (Index item = 0; item < items; ++item) {
      const auto [c0, c1] = slice(p.n, int(item % slices), int(slices));
      if (c1 > c0) matmulColumns(p, item / slices, c0, c1);
    }
  }
}

}  // namespace

extern "C" void ATTNVIZ_EIGEN_ENTRY(linear)(const AttnvizEigenLinearArgs* args) { linear(*args); }
extern "C" void ATTNVIZ_EIGEN_ENTRY(matmul)(const AttnvizEigenMatmulArgs* args) { matmul(*args); }
