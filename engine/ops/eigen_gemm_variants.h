// Internal to eigen_gemm.cpp and the three variant objects (eigen_gemm_sse2/avx2/avx512.cpp): the C entry points
// each variant exports. They are the only global symbols left in a variant's object: the build makes every other
// symbol local (see "ODR" in engine/ops/CMakeLists.txt), so the Eigen code compiled for AVX-512 can never be the
// copy the SSE2 entry calls. Plain C structs, no Eigen type.
#pragma once

#include <cstdint>

extern "C" {

// y: [rows, out] = x: [rows, in] · w^T (w: [out, in]) + bias, then gelu, then + residual (each optional).
struct AttnvizEigenLinearArgs {
  const float* x;
  const float* w;
  const float* bias;      // [out] or null
  const float* residual;  // [rows, out] or null
  float* y;
  std::int64_t rows, in, out;
  int gelu;       // 0 or 1
  int threads;    // OpenMP threads (the calling thread's omp_get_max_threads() when splitByEigen)
  int splitByEigen;  // 0: the output columns split across OpenMP threads here; 1: Eigen's own parallel GEMM
};

// c[i]: [m, n] = scale * a[i]: [m, k] · (transposeB ? b[i]^T : b[i]), i < batch.
struct AttnvizEigenMatmulArgs {
  const float* a;
  const float* b;
  float* c;
  std::int64_t batch, m, k, n;
  float scale;
  int transposeB;
  int threads;
  int splitByEigen;
};

#define ATTNVIZ_EIGEN_DECLARE(variant)                                          \
  void attnviz_eigen_linear_##variant(const AttnvizEigenLinearArgs* args);      \
  void attnviz_eigen_matmul_##variant(const AttnvizEigenMatmulArgs* args);
ATTNVIZ_EIGEN_DECLARE(sse2)
ATTNVIZ_EIGEN_DECLARE(avx2)
ATTNVIZ_EIGEN_DECLARE(avx512)
#undef ATTNVIZ_EIGEN_DECLARE

}  // extern "C"
