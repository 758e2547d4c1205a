// ops::multiHeadAttention: per head, probs = softmax(scale * q k^T) and context = probs v, from the stacked q, k, v
// projection, written straight into the caller's maps (no copy of the maps) and the [N, hidden] context (no
// permute back). q, k, v are split into heads by one reorder first: oneDNN 2.6's brgemm matmul takes dense heads
// only and is faster on q k^T than gemm on strided views. Two matmuls and one in-place softmax: every map explicit.
#include <oneapi/dnnl/dnnl.hpp>

#include <bit>

#include "engine/ops/dnnl_context.h"
#include "engine/ops/ops.h"
#include "engine/ops/primitive_cache.h"
#include "engine/ops/product_path.h"
#include "engine/ops/shape_checks.h"

namespace attnviz::ops {
namespace {
using dnnl::memory;
using Tag = memory::format_tag;

struct AttentionEntry {
  dnnl::matmul scores, context;
  memory::desc q, kT, v, probs, out;
};

// parts: [3, heads, N, d] (q, k, v split into heads); out: [N, hidden], head h at columns h*d.
AttentionEntry makeAttention(std::int64_t n, std::int64_t heads, std::int64_t d, float scale) {
  const std::int64_t hidden = heads * d;
  const auto f32 = memory::data_type::f32;
  AttentionEntry e;
  e.q = memory::desc({heads, n, d}, f32, memory::dims{n * d, d, 1});
  e.kT = memory::desc({heads, d, n}, f32, memory::dims{n * d, 1, d});
  e.v = memory::desc({heads, n, d}, f32, memory::dims{n * d, d, 1});
  e.probs = detail::plainDesc({heads, n, n});
  e.out = memory::desc({heads, n, d}, f32, memory::dims{d, hidden, 1});  // into [N, hidden]: head h at columns h*d
  const auto& eng = detail::cpuEngine();
  dnnl::primitive_attr scaled = detail::defaultAttr();
  scaled.set_output_scales(0, {scale});
  e.scores = dnnl::matmul({dnnl::matmul::desc(e.q, e.kT, e.probs), scaled, eng});
  e.context = dnnl::matmul({dnnl::matmul::desc(e.probs, e.v, e.out), detail::defaultAttr(), eng});
  return e;
}

// softmax over the last axis of [rows, n], in place; on one thread when small (detail::lightOpThreads).
void softmaxInPlace(float* data, std::int64_t rows, std::int64_t n) {
  static detail::PrimitiveCache<dnnl::softmax_forward> cache;  // by rows, n
  const ThreadsForThisRun light(detail::lightOpThreads(rows * n));
  const memory::desc md = detail::plainDesc({rows, n});
  auto softmax = cache.get({rows, n}, [&] {
    return dnnl::softmax_forward({dnnl::softmax_forward::desc(dnnl::prop_kind::forward_inference, md, 1),
                                  detail::defaultAttr(), detail::cpuEngine()});
  });
  const memory m = detail::wrap(md, data);
  detail::execute(*softmax, {{DNNL_ARG_SRC, m}, {DNNL_ARG_DST, m}});
}
}  // namespace

Tensor multiHeadAttention(const Tensor& qkv, std::int64_t heads, float scale, Tensor& probs) {
  constexpr std::string_view kOp = "ops::multiHeadAttention";
  const auto shapes = [&] {
    return "qkv " + shapeString(qkv.shape()) + ", heads " + std::to_string(heads) + ", probs " + shapeString(probs.shape());
  };
  if (qkv.rank() != 2 || heads <= 0 || qkv.dim(1) % (3 * heads) != 0)
    detail::shapeError(kOp, shapes() + ": qkv must be [N, 3 * hidden] with hidden a multiple of heads");
  const std::int64_t n = qkv.dim(0), hidden = qkv.dim(1) / 3, d = hidden / heads;
  if (probs.shape() != Shape{heads, n, n}) detail::shapeError(kOp, shapes() + ": probs must be [heads, N, N]");
  if (n == 0 || d == 0) return Tensor({n, hidden});
  Tensor context = Tensor::uninitialized({n, hidden});
  static detail::PrimitiveCache<AttentionEntry> cache;  // by N, heads, d, scale
  detail::backendCall(kOp, shapes, [&] {
    auto e = cache.get({n, heads, d, std::bit_cast<std::uint32_t>(scale)}, [&] { return makeAttention(n, heads, d, scale); });
    static constexpr int kTokensPartsHeadsToPartsHeadsTokens[] = {1, 2, 0, 3};
    const Tensor parts = ops::permute(qkv.reshape({n, 3, heads, d}), kTokensPartsHeadsToPartsHeadsTokens);
    float* base = const_cast<float*>(parts.data());
    const memory probsMemory = detail::wrap(e->probs, probs.data());
    const auto scores = [&] {
      detail::execute(e->scores, {{DNNL_ARG_SRC, detail::wrap(e->q, base)},
                                  {DNNL_ARG_WEIGHTS, detail::wrap(e->kT, base + heads * n * d)},
                                  {DNNL_ARG_DST, probsMemory}});
    };
    const auto weighted = [&] {
      detail::execute(e->context, {{DNNL_ARG_SRC, probsMemory},
                                   {DNNL_ARG_WEIGHTS, detail::wrap(e->v, base + 2 * heads * n * d)},
                                   {DNNL_ARG_DST, detail::wrap(e->out, context.data())}});
    };
    runProduct(scores, [&] { return "attention scores " + shapes(); });
    softmaxInPlace(probs.data(), heads * n, n);
    runProduct(weighted, [&] { return "attention context " + shapes(); });
    detail::countProductFlops(2 * 2 * heads * n * n * d);
  });
  return context;
}

}  // namespace attnviz::ops
