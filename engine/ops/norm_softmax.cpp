// ops::softmax and ops::layerNorm over the last axis: x [..., n] seen as [rows, n].
#include <oneapi/dnnl/dnnl.hpp>

#include <bit>
#include <cstdint>
#include <vector>

#include "engine/ops/dnnl_context.h"
#include "engine/ops/ops.h"
#include "engine/ops/primitive_cache.h"
#include "engine/ops/shape_checks.h"

namespace attnviz::ops {
namespace {
using dnnl::memory;

struct SoftmaxEntry {
  dnnl::softmax_forward primitive;
  memory::desc md;  // [rows, n]
};

struct LayerNormEntry {
  dnnl::layer_normalization_forward primitive;
  memory::desc md;                 // x, y: [rows, n]
  memory::desc scaleShift;         // gamma, beta: [n]
  memory::desc mean, variance;     // [rows], when the primitive wants them as outputs (else zero-sized)
};
}  // namespace

Tensor softmax(const Tensor& x) {
  constexpr std::string_view kOp = "ops::softmax";
  const auto d = detail::lastAxisRows(kOp, x.shape());
  if (x.empty()) return detail::zerosLike(x.shape());
  Tensor y = Tensor::uninitialized(x.shape());
  static detail::PrimitiveCache<SoftmaxEntry> cache;  // by rows, n
  detail::backendCall(kOp, [&] { return "x " + shapeString(x.shape()); }, [&] {
    const ThreadsForThisRun light(detail::lightOpThreads(d.rows * d.n));
    auto e = cache.get({d.rows, d.n}, [&] {
      const auto md = detail::plainDesc({d.rows, d.n});
      dnnl::softmax_forward::desc desc(dnnl::prop_kind::forward_inference, md, /*axis=*/1);
      return SoftmaxEntry{dnnl::softmax_forward({desc, detail::defaultAttr(), detail::cpuEngine()}), md};
    });
    detail::execute(e->primitive, {{DNNL_ARG_SRC, detail::wrap(e->md, x.data())},
                                   {DNNL_ARG_DST, detail::wrap(e->md, y.data())}});
  });
  return y;
}

Tensor layerNorm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps) {
  constexpr std::string_view kOp = "ops::layerNorm";
  const auto d = detail::layerNormDims(kOp, x.shape(), gamma.shape(), beta.shape());
  if (x.empty()) return detail::zerosLike(x.shape());
  Tensor y = Tensor::uninitialized(x.shape());
  static detail::PrimitiveCache<LayerNormEntry> cache;  // by rows, n, eps
  const auto shapes = [&] {
    return "x " + shapeString(x.shape()) + ", gamma " + shapeString(gamma.shape()) + ", beta " + shapeString(beta.shape());
  };
  detail::backendCall(kOp, shapes, [&] {
    const ThreadsForThisRun light(detail::lightOpThreads(d.rows * d.n));
    auto e = cache.get({d.rows, d.n, std::bit_cast<std::uint32_t>(eps)}, [&] {
      const auto md = detail::plainDesc({d.rows, d.n});
      const auto flags = dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift;
      dnnl::layer_normalization_forward::desc desc(dnnl::prop_kind::forward_inference, md, eps, flags);
      dnnl::layer_normalization_forward::primitive_desc pd(desc, detail::defaultAttr(), detail::cpuEngine());
      return LayerNormEntry{dnnl::layer_normalization_forward(pd), md, detail::plainDesc({d.n}), pd.mean_desc(),
                            pd.variance_desc()};
    });
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, detail::wrap(e->md, x.data())},
                                         {DNNL_ARG_DST, detail::wrap(e->md, y.data())},
                                         {DNNL_ARG_SCALE, detail::wrap(e->scaleShift, gamma.data())},
                                         {DNNL_ARG_SHIFT, detail::wrap(e->scaleShift, beta.data())}};
    if (e->mean.get_size() > 0) args.emplace(DNNL_ARG_MEAN, memory(e->mean, detail::cpuEngine()));
    if (e->variance.get_size() > 0) args.emplace(DNNL_ARG_VARIANCE, memory(e->variance, detail::cpuEngine()));
    detail::execute(e->primitive, args);
  });
  return y;
}

}  // namespace attnviz::ops
