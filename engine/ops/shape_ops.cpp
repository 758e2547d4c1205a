// ops::embedding, ops::concat, ops::split, ops::permute: data movement. concat and permute go through oneDNN
// (concat and reorder primitives); embedding and split are row copies.
#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <cstring>

#include "engine/ops/dnnl_context.h"
#include "engine/ops/ops.h"
#include "engine/ops/primitive_cache.h"
#include "engine/ops/shape_checks.h"

namespace attnviz::ops {
namespace {
using dnnl::memory;

std::string listShapes(std::span<const Tensor> parts) {
  std::string s;
  for (const Tensor& p : parts) s += (s.empty() ? "" : ", ") + shapeString(p.shape());
  return s;
}

std::int64_t product(const Shape& s, std::size_t from, std::size_t to) {
  return shapeNumel(Shape(s.begin() + static_cast<std::ptrdiff_t>(from), s.begin() + static_cast<std::ptrdiff_t>(to)));
}

struct ConcatEntry {
  dnnl::concat primitive;
  std::vector<memory::desc> parts;
  memory::desc out;
};

struct ReorderEntry {
  dnnl::reorder primitive;
  memory::desc from, to;
};
}  // namespace

Tensor embedding(const Tensor& table, std::span<const std::int64_t> ids) {
  detail::checkEmbedding("ops::embedding", table.shape(), ids);
  const std::int64_t dim = table.dim(1);
  Tensor out = Tensor::uninitialized({static_cast<std::int64_t>(ids.size()), dim});
  if (dim == 0) return out;
  // out[i, :] = table[ids[i], :]
  for (std::size_t i = 0; i < ids.size(); ++i)
    std::memcpy(out.data() + static_cast<std::int64_t>(i) * dim, table.data() + ids[i] * dim,
                static_cast<std::size_t>(dim) * sizeof(float));
  return out;
}

Tensor concat(std::span<const Tensor> parts, int axis) {
  constexpr std::string_view kOp = "ops::concat";
  const Shape outShape = detail::concatShape(kOp, parts, axis);
  Tensor out = Tensor::uninitialized(outShape);  // every element written below (empty parts add none)
  // oneDNN wants no zero-sized inputs: leave out parts that add nothing.
  std::vector<const Tensor*> used;
  for (const Tensor& p : parts)
    if (!p.empty()) used.push_back(&p);
  if (used.empty()) return out;
  static detail::PrimitiveCache<ConcatEntry> cache;  // by axis and every part's shape
  detail::backendCall(kOp, [&] { return "parts " + listShapes(parts) + ", axis " + std::to_string(axis); }, [&] {
    detail::CacheKey key{axis, static_cast<std::int64_t>(outShape.size()), static_cast<std::int64_t>(used.size())};
    for (const Tensor* p : used) key.insert(key.end(), p->shape().begin(), p->shape().end());
    const ThreadsForThisRun light(detail::lightOpThreads(shapeNumel(outShape)));
    auto e = cache.get(key, [&] {
      ConcatEntry entry;
      for (const Tensor* p : used) entry.parts.push_back(detail::plainDesc(detail::toDims(p->shape())));
      entry.out = detail::plainDesc(detail::toDims(outShape));
      entry.primitive = dnnl::concat(dnnl::concat::primitive_desc(entry.out, axis, entry.parts, detail::cpuEngine(), detail::defaultAttr()));
      return entry;
    });
    std::unordered_map<int, memory> args{{DNNL_ARG_DST, detail::wrap(e->out, out.data())}};
    for (std::size_t i = 0; i < used.size(); ++i)
      args.emplace(DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i), detail::wrap(e->parts[i], used[i]->data()));
    detail::execute(e->primitive, args);
  });
  return out;
}

std::vector<Tensor> split(const Tensor& x, int axis, std::span<const std::int64_t> sizes) {
  detail::checkSplit("ops::split", x.shape(), axis, sizes);
  const Shape& s = x.shape();
  const auto a = static_cast<std::size_t>(axis);
  const std::int64_t outer = product(s, 0, a);           // x: [outer, dim(axis), inner]
  const std::int64_t inner = product(s, a + 1, s.size());
  std::vector<Tensor> out;
  std::int64_t offset = 0;
  for (std::int64_t size : sizes) {
    Shape partShape = s;
    partShape[a] = size;
    Tensor part = Tensor::uninitialized(partShape);  // [outer, size, inner]
    const std::int64_t chunk = size * inner;
    for (std::int64_t o = 0; o < outer && chunk > 0; ++o)
      std::memcpy(part.data() + o * chunk, x.data() + (o * s[a] + offset) * inner,
                  static_cast<std::size_t>(chunk) * sizeof(float));
    out.push_back(std::move(part));
    offset += size;
  }
  return out;
}

Tensor permute(const Tensor& x, std::span<const int> order) {
  constexpr std::string_view kOp = "ops::permute";
  const Shape outShape = detail::permuteShape(kOp, x.shape(), order);
  if (x.rank() == 0) return x.empty() ? Tensor() : x.clone();
  Tensor out = Tensor::uninitialized(outShape);
  if (out.empty()) return out;
  static detail::PrimitiveCache<ReorderEntry> cache;  // by shape and order
  detail::backendCall(kOp, [&] { return "x " + shapeString(x.shape()); }, [&] {
    detail::CacheKey key(x.shape().begin(), x.shape().end());
    key.insert(key.end(), order.begin(), order.end());
    const ThreadsForThisRun light(detail::lightOpThreads(out.numel()));
    auto e = cache.get(key, [&] {
      // Read x through permuted strides: element out[i0, i1, ..] lives at sum(i_k * xStride[order[k]]).
      const Shape& s = x.shape();
      memory::dims xStrides(s.size(), 1);
      for (std::size_t i = s.size(); i-- > 1;) xStrides[i - 1] = xStrides[i] * s[i];
      memory::dims strides(s.size());
      for (std::size_t k = 0; k < order.size(); ++k) strides[k] = xStrides[static_cast<std::size_t>(order[k])];
      const memory::desc from(detail::toDims(outShape), memory::data_type::f32, strides);
      const memory::desc to = detail::plainDesc(detail::toDims(outShape));
      const auto& eng = detail::cpuEngine();
      return ReorderEntry{dnnl::reorder(dnnl::reorder::primitive_desc(eng, from, eng, to, detail::defaultAttr())), from, to};
    });
    detail::execute(e->primitive, {{DNNL_ARG_FROM, detail::wrap(e->from, x.data())},
                                   {DNNL_ARG_TO, detail::wrap(e->to, out.data())}});
  });
  return out;
}

}  // namespace attnviz::ops
