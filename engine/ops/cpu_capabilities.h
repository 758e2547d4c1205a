// What this CPU and oneDNN can do, found at run time (once, at the first call; never assumed from the build):
// the instruction set oneDNN's kernels use (dnnl::get_effective_cpu_isa(), which honours an
// ONEDNN_MAX_CPU_ISA / DNNL_MAX_CPU_ISA cap), the CPU's vector features (cpuid, counted only when the OS saves
// their registers: xgetbv), and whether bfloat16 products (RunOptions::bf16, --bf16) can run.
//
// bf16 is decided by oneDNN itself, not by the feature list: it is true when bfloat16 matmul primitive
// descriptors of the kinds ops::Linear makes (plain; bias + gelu; bias + residual add) are created and oneDNN picks
// a JIT kernel for them. A reference kernel ("ref:...") counts as no: it is correct but far slower than f32, so
// --bf16 would be a trap. oneDNN 2.6 has JIT bf16 kernels from avx512_core (AVX512F/BW/VL/DQ) up: native with
// avx512_bf16 or AMX, emulated on plain AVX-512 (correct but slower than f32: 5.6 vs 3.6 ms on models/coref-bert under
// ONEDNN_MAX_CPU_ISA=AVX512_CORE; still offered, the summary says so). The feature list only explains a no.
//
//   const attnviz::ops::CpuCapabilities& cpu = attnviz::ops::cpuCapabilities();
//   if (!cpu.bf16) std::cerr << "no bfloat16: " << cpu.bf16Reason << '\n';
//   // "bfloat16 products need AVX-512 (oneDNN's avx512_core: AVX512F, AVX512BW, AVX512VL, AVX512DQ); this CPU
//   //  lacks AVX512F, AVX512BW, AVX512VL, AVX512DQ (it has AVX2)"; bf16Missing: "AVX512F, AVX512BW, AVX512VL, AVX512DQ"
//   attnviz::ops::requireBf16("--bf16");  // throws BackendError("--bf16", cpu.bf16Reason) when !cpu.bf16
//
// Emulating a CPU without AVX-512 on one that has it: ONEDNN_MAX_CPU_ISA=AVX2 attnviz --version
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace attnviz::ops {

struct CpuFeature {
  std::string name;  // as /proc/cpuinfo spells it: "avx2", "avx512f", "avx512_bf16", "amx_bf16", ...
  bool present = false;  // cpuid says so and the OS saves the registers it needs
};

struct CpuCapabilities {
  std::string cpuName;         // cpuid brand string, "" when unknown
  std::string isa;             // oneDNN's effective ISA: "avx512_core_bf16", "avx2", ...
  std::string isaDescription;  // "avx2: AVX2" (as ops::cpuIsaDescription())
  std::string isaCap;          // "ONEDNN_MAX_CPU_ISA=AVX2" when the environment caps oneDNN, else ""
  // avx2, avx512f, avx512bw, avx512vl, avx512dq, avx512_vnni, avx512_bf16, amx_tile, amx_bf16, amx_int8.
  std::vector<CpuFeature> features;

  bool bf16 = false;        // bfloat16 products run here (see the top of this file)
  bool bf16Native = false;  // ... with the CPU's own bf16 instructions (avx512_bf16 or AMX), not emulated
  std::string bf16Kernel;   // oneDNN's implementation of the probe, e.g. "brg:avx512_core_bf16"; "" when none
  // When !bf16: what is missing ("AVX512F, AVX512BW, AVX512VL, AVX512DQ", "AVX-512 in oneDNN (ONEDNN_MAX_CPU_ISA=AVX2)",
  // ...) and one line (no trailing period) that contains it word for word.
  std::string bf16Missing;
  std::string bf16Reason;

  bool has(std::string_view feature) const;  // a features entry that is present
  std::string featureList() const;           // present features, space-separated ("" when none)
  // For people (--version, About): the brand string or "unknown"; featureList() or "none of avx2, avx512*, amx*".
  std::string processorText() const;
  std::string featuresText() const;
  // "yes, native avx512_bf16 (oneDNN brg:avx512_core_bf16)", "yes, emulated with AVX-512 ...", "no: <bf16Reason>"
  std::string bf16Summary() const;
  // oneDNN's ISA with the cap when there is one: "avx2: AVX2, capped by ONEDNN_MAX_CPU_ISA=AVX2"
  std::string kernelsSummary() const;
};

// Found once (thread-safe), at the first call.
const CpuCapabilities& cpuCapabilities();

// Throws BackendError(where, bf16Reason) when bfloat16 products cannot run here (CLI exit code 5).
void requireBf16(std::string_view where);

// Threads used by oneDNN (OpenMP). n <= 0: all cores.
void setThreadCount(int n);
int threadCount();

// While alive, the ops run on the calling thread use at most `threads` threads (setThreadCount and any enclosing
// scope stay upper bounds; threads <= 0 changes nothing): Model::run's per-run choice, one thread for runs too small
// to gain from a second (model.cpp), and the light ops' (dnnl_context.h).
class ThreadsForThisRun {
 public:
  explicit ThreadsForThisRun(int threads);
  ~ThreadsForThisRun();
  ThreadsForThisRun(const ThreadsForThisRun&) = delete;
  ThreadsForThisRun& operator=(const ThreadsForThisRun&) = delete;

 private:
  int previous_;
};

// Floating-point operations (2 per multiply-add) of the matrix products (Linear, matmul, Rnn) run on the calling
// thread since it started: a run's work is the difference before and after it.
std::int64_t productFlopsOnThisThread();

// What the backend is, for --version and Help > About: "2.6.3" (with " (git 1234abcd)" when the build knows it), and
// the instruction set oneDNN's kernels use on this CPU ("avx512_core_bf16: AVX-512 with bfloat16", ...).
std::string onednnVersion();
std::string cpuIsaDescription();

}  // namespace attnviz::ops
