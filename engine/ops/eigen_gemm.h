// Internal to engine/ops: f32 products computed by Eigen's GEMM, one candidate path beside oneDNN's matmul (issue 19).
// The same kernel source (eigen_gemm_kernel.h) is compiled three times, for generic x86-64 (SSE2), AVX2 + FMA and
// AVX-512 (F, DQ, VL, BW), and the widest variant this CPU runs is picked at the first call, so one binary runs on
// every x86-64 CPU. No Eigen type crosses this header: only pointers and sizes.
//
//   // y: [rows, out] = gelu(x: [rows, in] · W^T + b) + residual, W: [out, in] row-major as PyTorch stores it
//   detail::eigenLinear(x, rows, in, w, out, b, y, {.gelu = true, .residual = r});
//   // scores: [heads, tq, tk] = 0.125 * q: [heads, tq, d] · k: [heads, tk, d]^T
//   detail::eigenBatchedMatmul(q, k, scores, heads, tq, d, tk, 0.125f, /*transposeB=*/true);
//   std::puts(detail::eigenGemmIsa());  // "avx512", "avx2+fma" or "sse2"
//
// Which variant: the widest the CPU has (__builtin_cpu_supports), capped by oneDNN's effective ISA (so
// ONEDNN_MAX_CPU_ISA=AVX2 makes the whole engine AVX2) and by ATTNVIZ_EIGEN_ISA=sse2|avx2|avx512 (for tests, and for
// a CPU whose feature report is wrong). Asking ATTNVIZ_EIGEN_ISA for a variant the CPU lacks, or for a name that is
// not one of the three, throws BackendError with one line naming the missing feature and the fix.
//
// Threads: the engine's count (setThreadCount, applied to the calling thread's OpenMP). Either the output columns are
// split across OpenMP threads, each running Eigen's GEMM alone on its slice and its epilogue (Split, the default:
// faster at BERT shapes on 2 threads, see eigen_gemm.cpp), or Eigen parallelises one GEMM itself (Eigen).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace attnviz::ops::detail {

enum class EigenIsa { Sse2, Avx2, Avx512 };
enum class EigenThreading { Split, Eigen };

// What follows the product, in this order: + bias (an argument of eigenLinear), GELU, + residual.
struct EigenEpilogue {
  bool gelu = false;                 // exact (erf) form, as torch.nn.GELU() and oneDNN's eltwise_gelu_erf
  const float* residual = nullptr;   // [rows, out], added after the GELU; may be y itself
};

// A variant and a threading mode forced, for tests and benchmarks. Throws BackendError when the CPU lacks the variant.
struct EigenChoice {
  EigenIsa isa = EigenIsa::Sse2;
  EigenThreading threading = EigenThreading::Split;
};

// y: [rows, out] = x: [rows, in] · w^T (w: [out, in]) + bias ([out], or null), then the epilogue. rows, in or out may
// be 0 (in == 0 gives the bias, or zeros). y must not overlap x or w. Negative sizes are InternalError.
void eigenLinear(const float* x, std::int64_t rows, std::int64_t in, const float* w, std::int64_t out,
                 const float* bias, float* y, EigenEpilogue epilogue = {});
void eigenLinear(const EigenChoice& choice, const float* x, std::int64_t rows, std::int64_t in, const float* w,
                 std::int64_t out, const float* bias, float* y, EigenEpilogue epilogue = {});

// c[i]: [m, n] = scale * a[i]: [m, k] · (transposeB ? b[i]: [n, k] transposed : b[i]: [k, n]), for i < batch.
// Every operand dense and row-major; c must not overlap a or b.
void eigenBatchedMatmul(const float* a, const float* b, float* c, std::int64_t batch, std::int64_t m, std::int64_t k,
                        std::int64_t n, float scale, bool transposeB);
void eigenBatchedMatmul(const EigenChoice& choice, const float* a, const float* b, float* c, std::int64_t batch,
                        std::int64_t m, std::int64_t k, std::int64_t n, float scale, bool transposeB);

// The variant the calls without an EigenChoice use: "avx512", "avx2+fma" or "sse2" (decided at the first call).
const char* eigenGemmIsa();
const char* eigenIsaName(EigenIsa isa);

// What this CPU lacks for each variant, indexed by EigenIsa: "" when it runs it, else "AVX512BW, AVX512VL".
struct EigenCpuSupport {
  std::string missing[3];
};
EigenCpuSupport eigenCpuSupport();  // of this CPU (cpuid through __builtin_cpu_supports, which checks the OS saves the
                                    // registers too)

// The decision, without the environment or the CPU (tested on its own): the override's variant when override is not
// "" (an unknown name, or a variant the CPU lacks, throws BackendError with one line naming it and the fix; a variant
// above onednnCap is honoured, the user asked for it by name), else the widest variant the CPU runs, at most
// onednnCap.
EigenIsa chooseEigenIsa(std::string_view override, EigenIsa onednnCap, const EigenCpuSupport& cpu);

}  // namespace attnviz::ops::detail
