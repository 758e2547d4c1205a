// ops::add, ops::mul: oneDNN binary, a: [rows, n] with b: [1, n] broadcast over rows (n = numel(b)).
#include <oneapi/dnnl/dnnl.hpp>

#include "engine/ops/dnnl_context.h"
#include "engine/ops/ops.h"
#include "engine/ops/primitive_cache.h"
#include "engine/ops/shape_checks.h"

namespace attnviz::ops {
namespace {
using dnnl::algorithm;

struct BinaryEntry {
  dnnl::binary primitive;
  dnnl::memory::desc a, b;  // a and the result: [rows, n]; b: [1, n]
};

Tensor binary(std::string_view op, algorithm alg, const Tensor& a, const Tensor& b) {
  const auto d = detail::broadcastDims(op, a.shape(), b.shape());
  if (a.empty()) return detail::zerosLike(a.shape());
  Tensor c(a.shape());
  static detail::PrimitiveCache<BinaryEntry> cache;  // by algorithm, rows, n
  const auto shapes = [&] { return "a " + shapeString(a.shape()) + ", b " + shapeString(b.shape()); };
  detail::backendCall(op, shapes, [&] {
    const ThreadsForThisRun light(detail::lightOpThreads(d.rows * d.n));
    auto e = cache.get({static_cast<std::int64_t>(alg), d.rows, d.n}, [&] {
      const auto mdA = detail::plainDesc({d.rows, d.n});
      const auto mdB = detail::plainDesc({1, d.n});
      dnnl::binary::desc desc(alg, mdA, mdB, mdA);
      return BinaryEntry{dnnl::binary({desc, detail::defaultAttr(), detail::cpuEngine()}), mdA, mdB};
    });
    detail::execute(e->primitive, {{DNNL_ARG_SRC_0, detail::wrap(e->a, a.data())},
                                   {DNNL_ARG_SRC_1, detail::wrap(e->b, b.data())},
                                   {DNNL_ARG_DST, detail::wrap(e->a, c.data())}});
  });
  return c;
}
}  // namespace

Tensor add(const Tensor& a, const Tensor& b) { return binary("ops::add", algorithm::binary_add, a, b); }
Tensor mul(const Tensor& a, const Tensor& b) { return binary("ops::mul", algorithm::binary_mul, a, b); }

}  // namespace attnviz::ops
