// ops::matmul: oneDNN matmul, c[b] = scale * a[b] · (b[b] or b[b]^T), batch broadcast when one side has B = 1.
#include <oneapi/dnnl/dnnl.hpp>

#include <bit>
#include <cstdint>

#include "engine/ops/dnnl_context.h"
#include "engine/ops/ops.h"
#include "engine/ops/primitive_cache.h"
#include "engine/ops/product_path.h"
#include "engine/ops/shape_checks.h"

namespace attnviz::ops {
namespace {
using dnnl::memory;

struct MatmulEntry {
  dnnl::matmul primitive;
  memory::desc a, b, c;
};

// a: [Ba, M, K]; b: [Bb, K, N], or [Bb, N, K] read through transposed strides; c: [B, M, N]
MatmulEntry makeMatmul(const detail::MatmulDims& d, bool transposeB, float scale) {
  MatmulEntry e;
  e.a = detail::plainDesc({d.batchA, d.m, d.k});
  e.b = transposeB ? memory::desc({d.batchB, d.k, d.n}, memory::data_type::f32, memory::dims{d.n * d.k, 1, d.k})
                   : detail::plainDesc({d.batchB, d.k, d.n});
  e.c = detail::plainDesc({d.batch, d.m, d.n});
  dnnl::primitive_attr attr = detail::defaultAttr();
  if (scale != 1.0f) attr.set_output_scales(0, {scale});
  e.primitive = dnnl::matmul(dnnl::matmul::primitive_desc(dnnl::matmul::desc(e.a, e.b, e.c), attr, detail::cpuEngine()));
  return e;
}
}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, float scale, bool transposeB) {
  constexpr std::string_view kOp = "ops::matmul";
  const auto d = detail::matmulDims(kOp, a.shape(), b.shape(), transposeB);
  if (d.k == 0) return Tensor(d.outShape);  // an empty sum: zeros
  Tensor c = Tensor::uninitialized(d.outShape);
  if (c.empty()) return c;
  static detail::PrimitiveCache<MatmulEntry> cache;
  const auto shapes = [&] {
    return "a " + shapeString(a.shape()) + ", b " + shapeString(b.shape()) + (transposeB ? " (transposed)" : "");
  };
  detail::backendCall(kOp, shapes, [&] {
    const detail::CacheKey key{d.batchA, d.batchB, d.m, d.k, d.n, transposeB, std::bit_cast<std::uint32_t>(scale)};
    auto e = cache.get(key, [&] { return makeMatmul(d, transposeB, scale); });
    const auto run = [&] {
      detail::execute(e->primitive, {{DNNL_ARG_SRC, detail::wrap(e->a, a.data())},
                                     {DNNL_ARG_WEIGHTS, detail::wrap(e->b, b.data())},
                                     {DNNL_ARG_DST, detail::wrap(e->c, c.data())}});
    };
    runProduct(run, [&] { return "matmul " + shapes(); });
    detail::countProductFlops(2 * d.batch * d.m * d.k * d.n);
  });
  return c;
}

}  // namespace attnviz::ops
