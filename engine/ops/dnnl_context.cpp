#include "engine/ops/dnnl_context.h"

#include <oneapi/dnnl/dnnl_debug.h>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>

#include "engine/ops/ops.h"

namespace attnviz::ops {
namespace {
// Threads asked for with setThreadCount(); 0 until then (OpenMP's default: OMP_NUM_THREADS or all cores).
std::atomic<int> requestedThreads{0};
// OpenMP's own count, read once before anything here changes it: what "no request" means.
int defaultThreads() {
  static const int threads = omp_get_max_threads();
  return threads;
}
thread_local int runThreads = 0;  // ThreadsForThisRun's cap on this thread; 0: none
thread_local std::int64_t productFlops = 0;
}  // namespace

ThreadsForThisRun::ThreadsForThisRun(int threads) : previous_(runThreads) {
  if (threads > 0) runThreads = previous_ > 0 ? std::min(previous_, threads) : threads;
}
ThreadsForThisRun::~ThreadsForThisRun() { runThreads = previous_; }

std::int64_t productFlopsOnThisThread() { return productFlops; }

void setThreadCount(int n) {
  defaultThreads();
  const int threads = n <= 0 ? omp_get_num_procs() : n;
  requestedThreads.store(threads);
  omp_set_num_threads(threads);  // the calling thread; execute() applies it on worker threads
}

int threadCount() {
  const int threads = requestedThreads.load();
  return threads > 0 ? threads : omp_get_max_threads();
}

std::string onednnVersion() {
  const dnnl_version_t* v = dnnl_version();
  const std::string hash = v->hash ? v->hash : "";
  const bool known = !hash.empty() && hash.find_first_not_of("0123456789abcdef") == std::string::npos;  // Debian's: "N/A"
  return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch) +
         (known ? " (git " + hash.substr(0, 8) + ")" : "");
}

std::string cpuIsaDescription() {
  switch (static_cast<dnnl_cpu_isa_t>(dnnl_get_effective_cpu_isa())) {
    case dnnl_cpu_isa_sse41: return "sse41: SSE4.1";
    case dnnl_cpu_isa_avx: return "avx: AVX";
    case dnnl_cpu_isa_avx2: return "avx2: AVX2";
    case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni: AVX2 with VNNI";
    case dnnl_cpu_isa_avx512_mic: return "avx512_mic: AVX-512 (Xeon Phi)";
    case dnnl_cpu_isa_avx512_mic_4ops: return "avx512_mic_4ops: AVX-512 (Xeon Phi, 4FMAPS)";
    case dnnl_cpu_isa_avx512_core: return "avx512_core: AVX-512";
    case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni: AVX-512 with VNNI";
    case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16: AVX-512 with bfloat16";
    case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx: AVX-512 with AMX";
    default: return "unknown (oneDNN's default dispatch)";
  }
}

namespace detail {

const dnnl::engine& cpuEngine() {
  // Deliberately never destroyed: thread-local streams on other threads may outlive static destruction.
  static const dnnl::engine* engine = new dnnl::engine(dnnl::engine::kind::cpu, 0);
  return *engine;
}

namespace {
dnnl::stream& threadStream() {
  thread_local dnnl::stream stream(cpuEngine());
  return stream;
}

// This thread's scratchpad: grows to the largest any primitive asked for, never shrinks.
void* threadScratchpad(std::size_t bytes) {
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };
  constexpr std::size_t kAlign = 4096;  // oneDNN aligns its own scratchpads to pages
  thread_local std::unique_ptr<void, Free> buffer;
  thread_local std::size_t capacity = 0;
  if (bytes > capacity) {
    const std::size_t rounded = (bytes + kAlign - 1) / kAlign * kAlign;
    buffer.reset(std::aligned_alloc(kAlign, rounded));
    if (!buffer) throw std::bad_alloc();
    capacity = rounded;
  }
  return buffer.get();
}

}  // namespace

void countProductFlops(std::int64_t flops) { productFlops += flops; }

int applyThreadCount() {
  thread_local int applied = 0;
  const int requested = requestedThreads.load();
  int wanted = requested > 0 ? requested : defaultThreads();
  if (runThreads > 0) wanted = std::min(wanted, runThreads);
  if (wanted != applied) {
    omp_set_num_threads(wanted);
    applied = wanted;
  }
  return omp_get_max_threads();
}

dnnl::primitive_attr defaultAttr() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

void execute(const dnnl::primitive& primitive, std::unordered_map<int, dnnl::memory> args) {
  applyThreadCount();
  const dnnl_memory_desc_t* scratch =
      dnnl_primitive_desc_query_md(primitive.get_primitive_desc(), dnnl_query_scratchpad_md, 0);
  if (scratch && scratch->ndims > 0) {
    const dnnl::memory::desc md(*scratch);
    args[DNNL_ARG_SCRATCHPAD] = dnnl::memory(md, cpuEngine(), threadScratchpad(md.get_size()));
  }
  dnnl::stream& stream = threadStream();
  primitive.execute(stream, args);
  stream.wait();
}

dnnl::memory::dims toDims(const Shape& shape) { return dnnl::memory::dims(shape.begin(), shape.end()); }

dnnl::memory::desc plainDesc(const dnnl::memory::dims& dims) {
  dnnl::memory::dims strides(dims.size(), 1);
  for (std::size_t i = dims.size(); i-- > 1;) strides[i - 1] = strides[i] * dims[i];
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, strides);
}

dnnl::memory wrap(const dnnl::memory::desc& md, const float* data) {
  return dnnl::memory(md, cpuEngine(), const_cast<float*>(data));
}

dnnl::memory reorderTo(const dnnl::memory& src, const dnnl::memory::desc& dstDesc) {
  dnnl::memory dst(dstDesc, cpuEngine());
  const auto& eng = cpuEngine();
  const dnnl::reorder reorder(dnnl::reorder::primitive_desc(eng, src.get_desc(), eng, dstDesc, defaultAttr()));
  execute(reorder, {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, dst}});
  return dst;
}

Tensor zerosLike(const Shape& shape) { return shape.empty() ? Tensor() : Tensor(shape); }

std::string backendMessage(const dnnl::error& e, const std::string& shapes) {
  std::string message = e.what();
  message += " (oneDNN status: ";
  message += dnnl_status2str(e.status);
  message += ")";
  if (!shapes.empty()) message += "; shapes: " + shapes;
  return message;
}

}  // namespace detail
}  // namespace attnviz::ops
