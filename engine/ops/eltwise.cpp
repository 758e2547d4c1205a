// ops::gelu, ops::tanh, ops::sigmoid: oneDNN eltwise over all values, seen as one flat vector.
#include <oneapi/dnnl/dnnl.hpp>

#include "engine/ops/dnnl_context.h"
#include "engine/ops/ops.h"
#include "engine/ops/primitive_cache.h"

namespace attnviz::ops {
namespace {
using dnnl::algorithm;

struct EltwiseEntry {
  dnnl::eltwise_forward primitive;
  dnnl::memory::desc md;  // [numel]
};

// y = f(x), elementwise; x: any shape
Tensor eltwise(std::string_view op, algorithm alg, const Tensor& x) {
  if (x.empty()) return detail::zerosLike(x.shape());
  Tensor y = Tensor::uninitialized(x.shape());
  static detail::PrimitiveCache<EltwiseEntry> cache;  // by algorithm and numel
  detail::backendCall(op, [&] { return "x " + shapeString(x.shape()); }, [&] {
    const ThreadsForThisRun light(detail::lightOpThreads(x.numel()));
    auto e = cache.get({static_cast<std::int64_t>(alg), x.numel()}, [&] {
      const auto md = detail::plainDesc({x.numel()});
      dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, alg, md, 0.0f, 0.0f);
      return EltwiseEntry{dnnl::eltwise_forward({desc, detail::defaultAttr(), detail::cpuEngine()}), md};
    });
    detail::execute(e->primitive, {{DNNL_ARG_SRC, detail::wrap(e->md, x.data())},
                                   {DNNL_ARG_DST, detail::wrap(e->md, y.data())}});
  });
  return y;
}
}  // namespace

Tensor gelu(const Tensor& x) { return eltwise("ops::gelu", algorithm::eltwise_gelu_erf, x); }
Tensor tanh(const Tensor& x) { return eltwise("ops::tanh", algorithm::eltwise_tanh, x); }
Tensor sigmoid(const Tensor& x) { return eltwise("ops::sigmoid", algorithm::eltwise_logistic, x); }

}  // namespace attnviz::ops
