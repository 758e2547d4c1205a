// ops::cpuCapabilities() against oneDNN and the kernel: the bf16 answer is what oneDNN itself does (a bf16 matmul
// made here, outside the capability code, and its results), the ISA is oneDNN's effective one and honours
// ONEDNN_MAX_CPU_ISA / DNNL_MAX_CPU_ISA, and the features agree with /proc/cpuinfo. The bf16 tests elsewhere skip
// when the capability says no; these make sure a no can never hide a broken bf16 path on a CPU that has one.
// ctest also runs this program under ONEDNN_MAX_CPU_ISA=AVX2 (tests/CMakeLists.txt), so both answers are checked on
// any machine.
#include <gtest/gtest.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>

#include "engine/core/error.h"
#include "engine/ops/cpu_capabilities.h"
#include "engine/ops/ops.h"
#include "engine/ops/reference.h"

namespace {
namespace ops = attnviz::ops;
using attnviz::Tensor;

// A bf16 x bf16 -> f32 matmul made directly with oneDNN: the implementation's name, or "" when it cannot be made.
std::string bf16MatmulKernel() {
  using dnnl::memory;
  try {
    const dnnl::engine eng(dnnl::engine::kind::cpu, 0);
    const memory::desc src({32, 128}, memory::data_type::bf16, memory::format_tag::ab);
    const memory::desc weights({128, 48}, memory::data_type::bf16, memory::format_tag::any);
    const memory::desc dst({32, 48}, memory::data_type::f32, memory::format_tag::ab);
    return dnnl::matmul::primitive_desc(dnnl::matmul::desc(src, weights, dst), eng).impl_info_str();
  } catch (const dnnl::error&) {
    return "";
  }
}

// The value of ONEDNN_MAX_CPU_ISA (or DNNL_MAX_CPU_ISA), "" when neither is set.
std::string isaCapValue() {
  for (const char* name : {"ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"})
    if (const char* v = std::getenv(name); v && *v) return v;
  return "";
}

Tensor random(attnviz::Shape shape, std::mt19937& rng, float lo, float hi) {
  Tensor t(shape);
  std::uniform_real_distribution<float> d(lo, hi);
  for (std::int64_t i = 0; i < t.numel(); ++i) t.data()[i] = d(rng);
  return t;
}

}  // namespace

TEST(CpuCapabilities, IsaIsOneDnnsEffectiveOne) {
  const auto& cpu = ops::cpuCapabilities();
  std::printf("oneDNN ISA: %s; features: %s; bf16: %s\n", cpu.kernelsSummary().c_str(), cpu.featureList().c_str(),
              cpu.bf16Summary().c_str());
  EXPECT_EQ(cpu.isaDescription, ops::cpuIsaDescription());
  EXPECT_EQ(cpu.isa, cpu.isaDescription.substr(0, cpu.isaDescription.find(':')));
  const std::string cap = isaCapValue();
  EXPECT_EQ(cpu.isaCap.empty(), cap.empty() || cap == "ALL" || cap == "all") << cpu.isaCap;
  if (cap == "AVX2" || cap == "avx2") {
    EXPECT_EQ(dnnl::get_effective_cpu_isa(), dnnl::cpu_isa::avx2);
    EXPECT_EQ(cpu.isa, "avx2");
    EXPECT_FALSE(cpu.bf16) << "oneDNN is capped at AVX2, which has no bfloat16 kernels";
    EXPECT_NE(cpu.bf16Reason.find("ONEDNN_MAX_CPU_ISA=AVX2"), std::string::npos) << cpu.bf16Reason;
  }
}

// The capability says yes exactly when oneDNN makes a bf16 matmul with a JIT (not reference) kernel.
TEST(CpuCapabilities, Bf16IsWhatOneDnnCanMake) {
  const auto& cpu = ops::cpuCapabilities();
  const std::string kernel = bf16MatmulKernel();
  std::printf("bf16 matmul made here: %s\n", kernel.empty() ? "(none)" : kernel.c_str());
  const bool jit = !kernel.empty() && kernel.rfind("ref", 0) != 0;
  EXPECT_EQ(cpu.bf16, jit) << cpu.bf16Summary();
  if (cpu.bf16) {
    EXPECT_TRUE(cpu.bf16Reason.empty());
    EXPECT_FALSE(cpu.bf16Kernel.empty());
  } else {
    EXPECT_FALSE(cpu.bf16Missing.empty());
    EXPECT_NE(cpu.bf16Reason.find(cpu.bf16Missing), std::string::npos) << "the reason names what is missing: " << cpu.bf16Reason;
    EXPECT_EQ(cpu.bf16Reason.find('\n'), std::string::npos);
  }
}

// A CPU (and OS) with everything oneDNN 2.6's bf16 kernels need, and oneDNN not capped below it, must say yes: a no
// there would make every bf16 test skip over a broken path.
TEST(CpuCapabilities, AvxFiveTwelveCoreMeansBf16) {
  const auto& cpu = ops::cpuCapabilities();
  const bool avx512Core = cpu.has("avx512f") && cpu.has("avx512bw") && cpu.has("avx512vl") && cpu.has("avx512dq");
  const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
  const auto core = static_cast<unsigned>(dnnl::cpu_isa::avx512_core);
  if (avx512Core && (isa & core) == core) EXPECT_TRUE(cpu.bf16) << cpu.bf16Summary();
  if (cpu.bf16Native) EXPECT_TRUE(cpu.has("avx512_bf16") || cpu.has("amx_bf16"));
  if (!avx512Core) EXPECT_FALSE(cpu.bf16) << "oneDNN 2.6 has no bf16 kernels below avx512_core";
}

// cpuid as read by the capability agrees with the kernel's view (which also drops features the OS does not enable).
TEST(CpuCapabilities, FeaturesAgreeWithProcCpuinfo) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  std::set<std::string> flags;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    for (std::string w; words >> w;) flags.insert(w);
    break;
  }
  if (flags.empty()) GTEST_SKIP() << "no /proc/cpuinfo flags on this system";
  for (const auto& f : ops::cpuCapabilities().features) EXPECT_EQ(f.present, flags.count(f.name) == 1) << f.name;
}

// Yes: a bf16 Linear runs and is close to f32 (and not f32 itself). No: it throws BackendError naming what is missing,
// and requireBf16 gives the CLI's exit code 5.
TEST(CpuCapabilities, Bf16LinearRunsOrSaysWhyNot) {
  const auto& cpu = ops::cpuCapabilities();
  std::mt19937 rng(3);
  const Tensor x = random({16, 128}, rng, -1, 1);
  const Tensor w = random({32, 128}, rng, -0.1f, 0.1f);
  const Tensor b = random({32}, rng, -0.1f, 0.1f);
  const Tensor want = attnviz::ref::linear(x, w, &b);
  if (cpu.bf16) {
    EXPECT_NO_THROW(ops::requireBf16("--bf16"));
    const ops::Linear bf16(w, b, {ops::Activation::None, ops::Precision::BF16});
    const Tensor got = bf16(x);
    double worst = 0, scale = 0;
    for (std::int64_t i = 0; i < want.numel(); ++i) {
      worst = std::max(worst, std::fabs(double(got.data()[i]) - want.data()[i]));
      scale = std::max(scale, std::fabs(double(want.data()[i])));
    }
    EXPECT_GT(worst, 0.0) << "bf16 gave f32's exact result: not computed in bf16?";
    EXPECT_LT(worst, 0.02 * scale);
    return;
  }
  try {
    ops::requireBf16("--bf16");
    ADD_FAILURE() << "requireBf16 did not throw";
  } catch (const attnviz::Error& e) {
    EXPECT_EQ(e.kind(), attnviz::ErrorKind::Backend);
    EXPECT_EQ(attnviz::exitCode(e.kind()), 5);
    EXPECT_EQ(e.where(), "--bf16");
    EXPECT_NE(std::string(e.what()).find(cpu.bf16Missing), std::string::npos) << e.what();
  }
  for (int way = 0; way < 2; ++way) {
    try {
      if (way == 0) ops::Linear(w, b, {ops::Activation::None, ops::Precision::BF16});
      else ops::Linear(w, b).withPrecision(ops::Precision::BF16);
      ADD_FAILURE() << "a bf16 Linear was made where bf16 cannot run";
    } catch (const attnviz::BackendError& e) {
      EXPECT_EQ(std::string(e.what()), cpu.bf16Reason) << "the reason, not oneDNN's raw status";
    }
  }
  const ops::Linear f32(w, b);  // f32 still works
  EXPECT_EQ(f32(x).shape(), want.shape());
}
