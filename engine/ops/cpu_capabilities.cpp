#include "engine/ops/cpu_capabilities.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <strings.h>

#include "engine/core/error.h"
#include "engine/ops/dnnl_context.h"
#include "engine/ops/ops.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define ATTNVIZ_X86 1
#endif

namespace attnviz::ops {
namespace {

// What cpuid reports, and whether the OS saves the registers (XCR0) each group needs.
struct CpuId {
  std::string brand;
  bool avx2 = false, avx512f = false, avx512bw = false, avx512vl = false, avx512dq = false, avx512vnni = false,
       avx512bf16 = false, amxTile = false, amxBf16 = false, amxInt8 = false;
  bool osAvx = false, osAvx512 = false, osAmx = false;
};

#ifdef ATTNVIZ_X86
std::uint64_t xcr0() {
  std::uint32_t eax = 0, edx = 0;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (std::uint64_t{edx} << 32) | eax;
}
#endif

CpuId readCpuId() {
  CpuId c;
#ifdef ATTNVIZ_X86
  unsigned a = 0, b = 0, cx = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &cx, &d)) return c;
  const bool osxsave = cx & (1u << 27);
  if (osxsave) {
    const std::uint64_t x = xcr0();
    c.osAvx = (x & 0x6) == 0x6;                // SSE and AVX (YMM) state
    c.osAvx512 = c.osAvx && (x & 0xe0) == 0xe0;  // opmask, ZMM_Hi256, Hi16_ZMM
    c.osAmx = (x & 0x60000) == 0x60000;        // XTILECFG, XTILEDATA
  }
  if (__get_cpuid_max(0, nullptr) >= 7) {
    __cpuid_count(7, 0, a, b, cx, d);
    c.avx2 = b & (1u << 5);
    c.avx512f = b & (1u << 16);
    c.avx512dq = b & (1u << 17);
    c.avx512bw = b & (1u << 30);
    c.avx512vl = b & (1u << 31);
    c.avx512vnni = cx & (1u << 11);
    c.amxBf16 = d & (1u << 22);
    c.amxTile = d & (1u << 24);
    c.amxInt8 = d & (1u << 25);
    const unsigned subleaves = a;
    if (subleaves >= 1) {
      __cpuid_count(7, 1, a, b, cx, d);
      c.avx512bf16 = a & (1u << 5);
    }
  }
  if (__get_cpuid_max(0x80000000, nullptr) >= 0x80000004) {
    char brand[49] = {};
    for (unsigned i = 0; i < 3; ++i) {
      unsigned r[4];
      __get_cpuid(0x80000002 + i, &r[0], &r[1], &r[2], &r[3]);
      std::memcpy(brand + 16 * i, r, sizeof r);
    }
    c.brand = brand;
    const auto first = c.brand.find_first_not_of(' ');
    c.brand = first == std::string::npos ? "" : c.brand.substr(first, c.brand.find_last_not_of(' ') - first + 1);
  }
#endif
  return c;
}

// "ONEDNN_MAX_CPU_ISA=AVX2" when the environment caps oneDNN's ISA (2.6 reads both names, ONEDNN_ first).
std::string isaCapFromEnvironment() {
  for (const char* name : {"ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"}) {
    const char* value = std::getenv(name);
    if (!value || !*value) continue;
    if (strcasecmp(value, "ALL") == 0) return "";
    return std::string(name) + "=" + value;
  }
  return "";
}

bool includes(dnnl::cpu_isa have, dnnl::cpu_isa want) {
  return (static_cast<unsigned>(have) & static_cast<unsigned>(want)) == static_cast<unsigned>(want);
}

// The bf16 products ops::Linear makes ([64, 256] x [256, 96]; plain, bias + gelu, bias + residual). Returns the
// implementation oneDNN picked for each (the last one is reported), or the failure.
struct Probe {
  std::string kernel;  // e.g. "brg:avx512_core_bf16"
  bool reference = false;
  std::optional<std::string> failure;
};

Probe probeBf16Matmul() {
  using dnnl::memory;
  Probe probe;
  constexpr memory::dim kRows = 64, kIn = 256, kOut = 96;
  try {
    const memory::desc src({kRows, kIn}, memory::data_type::bf16, memory::format_tag::ab);
    const memory::desc weights({kIn, kOut}, memory::data_type::bf16, memory::format_tag::any);
    const memory::desc bias({1, kOut}, memory::data_type::f32, memory::format_tag::ab);
    const memory::desc dst({kRows, kOut}, memory::data_type::f32, memory::format_tag::ab);
    for (int variant = 0; variant < 3; ++variant) {
      dnnl::primitive_attr attr = detail::defaultAttr();
      dnnl::post_ops postOps;
      if (variant == 1) postOps.append_eltwise(1.0f, dnnl::algorithm::eltwise_gelu_erf, 0.0f, 0.0f);
      if (variant == 2) postOps.append_binary(dnnl::algorithm::binary_add, dst);
      attr.set_post_ops(postOps);
      const auto desc = variant == 0 ? dnnl::matmul::desc(src, weights, dst) : dnnl::matmul::desc(src, weights, bias, dst);
      const dnnl::matmul::primitive_desc pd(desc, attr, detail::cpuEngine());
      probe.kernel = pd.impl_info_str();
      if (probe.kernel.rfind("ref", 0) == 0) probe.reference = true;
    }
  } catch (const dnnl::error& e) {
    probe.failure = detail::backendMessage(e, "");
  }
  return probe;
}

CpuCapabilities detect() {
  CpuCapabilities caps;
  const CpuId id = readCpuId();
  caps.cpuName = id.brand;
  caps.features = {{"avx2", id.avx2 && id.osAvx},
                   {"avx512f", id.avx512f && id.osAvx512},
                   {"avx512bw", id.avx512bw && id.osAvx512},
                   {"avx512vl", id.avx512vl && id.osAvx512},
                   {"avx512dq", id.avx512dq && id.osAvx512},
                   {"avx512_vnni", id.avx512vnni && id.osAvx512},
                   {"avx512_bf16", id.avx512bf16 && id.osAvx512},
                   {"amx_tile", id.amxTile && id.osAmx},
                   {"amx_bf16", id.amxBf16 && id.osAmx},
                   {"amx_int8", id.amxInt8 && id.osAmx}};
  caps.isaDescription = cpuIsaDescription();
  caps.isa = caps.isaDescription.substr(0, caps.isaDescription.find(':'));
  caps.isaCap = isaCapFromEnvironment();

  const dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
  const Probe probe = probeBf16Matmul();
  caps.bf16Kernel = probe.failure ? "" : probe.kernel;
  caps.bf16 = !probe.failure && !probe.reference;
  caps.bf16Native = caps.bf16 && includes(isa, dnnl::cpu_isa::avx512_core_bf16);
  if (caps.bf16) return caps;

  // Why not: the first of the CPU, the OS, oneDNN's cap, oneDNN itself.
  std::string lacks;
  for (const auto& [name, has] : {std::pair{"AVX512F", id.avx512f}, std::pair{"AVX512BW", id.avx512bw},
                                  std::pair{"AVX512VL", id.avx512vl}, std::pair{"AVX512DQ", id.avx512dq}})
    if (!has) lacks += (lacks.empty() ? "" : ", ") + std::string(name);
  const std::string needs = "bfloat16 products need AVX-512 (oneDNN's avx512_core: AVX512F, AVX512BW, AVX512VL, AVX512DQ)";
  if (!lacks.empty()) {
    caps.bf16Missing = lacks;
    caps.bf16Reason = needs + "; this CPU lacks " + lacks + (caps.has("avx2") ? " (it has AVX2)" : "");
  } else if (!id.osAvx512) {
    caps.bf16Missing = "AVX-512 register state (XCR0)";
    caps.bf16Reason = needs + "; the CPU has them but the operating system does not enable " + caps.bf16Missing;
  } else if (!includes(isa, dnnl::cpu_isa::avx512_core)) {
    caps.bf16Missing = "AVX-512 in oneDNN" + (caps.isaCap.empty() ? std::string() : " (" + caps.isaCap + ")");
    caps.bf16Reason = needs + "; the CPU has them but oneDNN's kernels stop at " + caps.isa + ": no " + caps.bf16Missing;
  } else if (probe.reference) {
    caps.bf16Missing = "fast bfloat16 kernel";
    caps.bf16Reason = "oneDNN " + onednnVersion() + " has no " + caps.bf16Missing + " on this CPU, only its slow reference one (" +
                      probe.kernel + ")";
  } else {
    caps.bf16Missing = "bfloat16 matmul";
    caps.bf16Reason = "oneDNN " + onednnVersion() + " has no " + caps.bf16Missing + " on this CPU: " + probe.failure.value_or("");
  }
  return caps;
}

}  // namespace

bool CpuCapabilities::has(std::string_view feature) const {
  for (const CpuFeature& f : features)
    if (f.name == feature) return f.present;
  return false;
}

std::string CpuCapabilities::featureList() const {
  std::string list;
  for (const CpuFeature& f : features)
    if (f.present) list += (list.empty() ? "" : " ") + f.name;
  return list;
}

std::string CpuCapabilities::processorText() const { return cpuName.empty() ? "unknown" : cpuName; }

std::string CpuCapabilities::featuresText() const {
  const std::string list = featureList();
  return list.empty() ? "none of avx2, avx512*, amx*" : list;
}

std::string CpuCapabilities::bf16Summary() const {
  if (!bf16) return "no: " + bf16Reason;
  if (bf16Native)
    return std::string("yes, native ") + (has("amx_bf16") ? "amx_bf16" : "avx512_bf16") + " (oneDNN " + bf16Kernel + ")";
  return "yes, emulated with AVX-512 (no bf16 instructions in oneDNN's kernels here), slower than f32 (oneDNN " +
         bf16Kernel + ")";
}

std::string CpuCapabilities::kernelsSummary() const {
  return isaDescription + (isaCap.empty() ? "" : ", capped by " + isaCap);
}

const CpuCapabilities& cpuCapabilities() {
  static const CpuCapabilities caps = detect();
  return caps;
}

void requireBf16(std::string_view where) {
  const CpuCapabilities& caps = cpuCapabilities();
  if (!caps.bf16) throw BackendError(std::string(where), caps.bf16Reason);
}

}  // namespace attnviz::ops
