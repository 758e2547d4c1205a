// Internal to engine/ops: the one oneDNN CPU engine, a stream per thread, the thread count, plain f32 memory
// descriptors over Tensors, and the translation of dnnl::error into attnviz::BackendError.
//
//   auto md = detail::plainDesc({rows, n});                      // f32, row-major
//   detail::backendCall("ops::softmax", [&] { return shapeString(x.shape()); }, [&] {
//     detail::execute(prim, {{DNNL_ARG_SRC, detail::wrap(md, x.data())}, {DNNL_ARG_DST, detail::wrap(md, y.data())}});
//   });
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "engine/core/error.h"
#include "engine/core/tensor.h"

namespace attnviz::ops::detail {

// The CPU engine every op uses (created on first use, never destroyed before exit).
const dnnl::engine& cpuEngine();

// Attributes every primitive here is made with: a user-managed scratchpad. oneDNN's default (library) scratchpad
// is thread-local to the thread that created the primitive, so a primitive cached by one thread and run by
// another (the UI's inference worker) would overrun it. execute() hands each run this thread's own scratchpad.
dnnl::primitive_attr defaultAttr();

// Elementwise, normalisation and copy ops on fewer elements than this run on one thread: waking a second one (tens
// of microseconds under OMP_WAIT_POLICY=PASSIVE) costs more than it saves. BERT-base at 128 tokens: ~60 fewer
// wake-ups per forward; its products still use every thread.
constexpr std::int64_t kLightOpElements = std::int64_t{1} << 19;
inline int lightOpThreads(std::int64_t elements) { return elements < kLightOpElements ? 1 : 0; }

// Adds a product's FLOPs (2 x multiply-adds) to this thread's count (productFlopsOnThisThread).
void countProductFlops(std::int64_t flops);

// Applies setThreadCount() to the calling thread (OpenMP's thread count is per thread) and returns the count
// primitives made or run on this thread now see.
int applyThreadCount();

// Runs a primitive on this thread's stream with this thread's scratchpad, and waits for it. Applies
// setThreadCount() to this thread first, since OpenMP's thread count is per calling thread.
void execute(const dnnl::primitive& primitive, std::unordered_map<int, dnnl::memory> args);

// dims of a Shape, as oneDNN wants them.
dnnl::memory::dims toDims(const Shape& shape);
// f32, dense, row-major (C order) descriptor of the given dims.
dnnl::memory::desc plainDesc(const dnnl::memory::dims& dims);
// A memory object over a Tensor's values (not owned). oneDNN only reads inputs, so the cast is safe.
dnnl::memory wrap(const dnnl::memory::desc& md, const float* data);

// A new oneDNN-owned memory of dstDesc holding src's values (a reorder primitive, run once).
dnnl::memory reorderTo(const dnnl::memory& src, const dnnl::memory::desc& dstDesc);

// A Tensor of the given shape, zeros; an empty Tensor for rank 0 (so an empty input gives an empty output).
Tensor zerosLike(const Shape& shape);

// "could not create a primitive descriptor for ... (oneDNN status: unimplemented); shapes: x [2, 3]"
std::string backendMessage(const dnnl::error& e, const std::string& shapes);

// Runs f, turning a dnnl::error into BackendError(where = op, message with status text and shapes()).
template <class F, class Shapes>
decltype(auto) backendCall(std::string_view op, Shapes&& shapes, F&& f) {
  try {
    return f();
  } catch (const dnnl::error& e) {
    throw BackendError(std::string(op), backendMessage(e, shapes()));
  }
}

}  // namespace attnviz::ops::detail
