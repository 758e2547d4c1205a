// eigen_gemm.h: picks a variant (sse2, avx2, avx512) once, checks sizes, and calls that variant's C entry point
// (eigen_gemm_variants.h). Compiled with the engine's ordinary flags: no Eigen here, nothing beyond generic x86-64.
//
// Threading default, Split: measured with tests/bench/eigen_gemm_bench on the issue-19 machine (2 cores, AVX-512, shared
// with other jobs), Eigen's own parallel GEMM spins while waiting for its other thread and collapses whenever another
// process holds that core (0.5-30 GFLOP/s at BERT shapes, 0.5 for 12 attention heads), where the column split kept
// 150-360 (oneDNN: 160-470 in the same runs).
#include "engine/ops/eigen_gemm.h"

#include <oneapi/dnnl/dnnl.h>

#include <cstdlib>
#include <string>

#include "engine/core/error.h"
#include "engine/ops/dnnl_context.h"
#include "engine/ops/eigen_gemm_variants.h"

namespace attnviz::ops::detail {
namespace {

constexpr EigenThreading kDefaultThreading = EigenThreading::Split;
constexpr const char* kOverrideVariable = "ATTNVIZ_EIGEN_ISA";

int rank(EigenIsa isa) { return static_cast<int>(isa); }

// The variant oneDNN's effective ISA allows (ONEDNN_MAX_CPU_ISA / DNNL_MAX_CPU_ISA cap it): AVX-512 from
// avx512_core, AVX2 from avx2; AVX alone or SSE4.1 leave SSE2 (the avx2 variant needs AVX2 and FMA). Xeon Phi's
// avx512_mic lacks AVX512BW/VL, so AVX2. Anything oneDNN does not name caps nothing.
EigenIsa onednnCap() {
  switch (static_cast<dnnl_cpu_isa_t>(dnnl_get_effective_cpu_isa())) {
    case dnnl_cpu_isa_sse41:
    case dnnl_cpu_isa_avx: return EigenIsa::Sse2;
    case dnnl_cpu_isa_avx2:
    case dnnl_cpu_isa_avx2_vnni:
    case dnnl_cpu_isa_avx512_mic:
    case dnnl_cpu_isa_avx512_mic_4ops: return EigenIsa::Avx2;
    default: return EigenIsa::Avx512;
  }
}

std::string missingOf(std::initializer_list<std::pair<bool, const char*>> features) {
  std::string missing;
  for (const auto& [present, name] : features)
    if (!present) missing += (missing.empty() ? "" : ", ") + std::string(name);
  return missing;
}

// The variant the calls without an EigenChoice use, decided once (a bad override throws at every call, not once).
EigenIsa defaultIsa() {
  static const EigenIsa isa = [] {
    const char* value = std::getenv(kOverrideVariable);
    return chooseEigenIsa(value ? value : "", onednnCap(), eigenCpuSupport());
  }();
  return isa;
}

void requireSupported(EigenIsa isa, const char* where) {
  static const EigenCpuSupport cpu = eigenCpuSupport();
  const std::string& missing = cpu.missing[rank(isa)];
  if (!missing.empty())
    throw BackendError(where, std::string("the ") + eigenIsaName(isa) + " Eigen kernels need " + missing +
                                  ", which this CPU lacks; use a lower variant (sse2 runs everywhere)");
}

void checkSizes(const char* where, std::initializer_list<std::int64_t> sizes) {
  for (std::int64_t s : sizes)
    if (s < 0) throw InternalError(where, "a negative size: " + std::to_string(s));
}

}  // namespace

const char* eigenIsaName(EigenIsa isa) {
  switch (isa) {
    case EigenIsa::Avx512: return "avx512";
    case EigenIsa::Avx2: return "avx2+fma";
    case EigenIsa::Sse2: break;
  }
  return "sse2";
}

EigenCpuSupport eigenCpuSupport() {
  __builtin_cpu_init();
  EigenCpuSupport cpu;
  cpu.missing[rank(EigenIsa::Avx2)] =
      missingOf({{__builtin_cpu_supports("avx2"), "AVX2"}, {__builtin_cpu_supports("fma"), "FMA"}});
  cpu.missing[rank(EigenIsa::Avx512)] =
      missingOf({{__builtin_cpu_supports("avx512f"), "AVX512F"}, {__builtin_cpu_supports("avx512dq"), "AVX512DQ"},
                 {__builtin_cpu_supports("avx512vl"), "AVX512VL"}, {__builtin_cpu_supports("avx512bw"), "AVX512BW"},
                 {__builtin_cpu_supports("fma"), "FMA"}});
  return cpu;
}

EigenIsa chooseEigenIsa(std::string_view override, EigenIsa onednnCap, const EigenCpuSupport& cpu) {
  if (!override.empty()) {
    EigenIsa isa;
    if (override == "sse2") isa = EigenIsa::Sse2;
    else if (override == "avx2") isa = EigenIsa::Avx2;
    else if (override == "avx512") isa = EigenIsa::Avx512;
    else
      throw BackendError(kOverrideVariable, std::string(kOverrideVariable) + "=" + std::string(override) +
                                                " is not a variant: use sse2, avx2 or avx512, or unset it");
    const std::string& missing = cpu.missing[rank(isa)];
    if (!missing.empty())
      throw BackendError(kOverrideVariable, std::string(kOverrideVariable) + "=" + std::string(override) +
                                                " asks for kernels that need " + missing +
                                                ", which this CPU lacks; use a lower variant or unset it");
    return isa;
  }
  for (EigenIsa isa : {EigenIsa::Avx512, EigenIsa::Avx2})
    if (rank(isa) <= rank(onednnCap) && cpu.missing[rank(isa)].empty()) return isa;
  return EigenIsa::Sse2;
}

const char* eigenGemmIsa() { return eigenIsaName(defaultIsa()); }

void eigenLinear(const EigenChoice& choice, const float* x, std::int64_t rows, std::int64_t in, const float* w,
                 std::int64_t out, const float* bias, float* y, EigenEpilogue epilogue) {
  constexpr const char* where = "ops::eigenLinear";
  checkSizes(where, {rows, in, out});
  requireSupported(choice.isa, where);
  AttnvizEigenLinearArgs args{x, w, bias, epilogue.residual, y, rows, in, out, epilogue.gelu ? 1 : 0,
                              applyThreadCount(), choice.threading == EigenThreading::Eigen ? 1 : 0};
  switch (choice.isa) {
    case EigenIsa::Avx512: attnviz_eigen_linear_avx512(&args); break;
    case EigenIsa::Avx2: attnviz_eigen_linear_avx2(&args); break;
    case EigenIsa::Sse2: attnviz_eigen_linear_sse2(&args); break;
  }
}

void eigenLinear(const float* x, std::int64_t rows, std::int64_t in, const float* w, std::int64_t out,
                 const float* bias, float* y, EigenEpilogue epilogue) {
  eigenLinear({defaultIsa(), kDefaultThreading}, x, rows, in, w, out, bias, y, epilogue);
}

void eigenBatchedMatmul(const EigenChoice& choice, const float* a, const float* b, float* c, std::int64_t batch,
                        std::int64_t m, std::int64_t k, std::int64_t n, float scale, bool transposeB) {
  constexpr const char* where = "ops::eigenBatchedMatmul";
  checkSizes(where, {batch, m, k, n});
  requireSupported(choice.isa, where);
  AttnvizEigenMatmulArgs args{a, b, c, batch, m, k, n, scale, transposeB ? 1 : 0, applyThreadCount(),
                              choice.threading == EigenThreading::Eigen ? 1 : 0};
  switch (choice.isa) {
    case EigenIsa::Avx512: attnviz_eigen_matmul_avx512(&args); break;
    case EigenIsa::Avx2: attnviz_eigen_matmul_avx2(&args); break;
    case EigenIsa::Sse2: attnviz_eigen_matmul_sse2(&args); break;
  }
}

void eigenBatchedMatmul(const float* a, const float* b, float* c, std::int64_t batch, std::int64_t m, std::int64_t k,
                        std::int64_t n, float scale, bool transposeB) {
  eigenBatchedMatmul({defaultIsa(), kDefaultThreading}, a, b, c, batch, m, k, n, scale, transposeB);
}

}  // namespace attnviz::ops::detail
