// ops::Linear and ops::linear: oneDNN inner product, y[rows, out] = x[rows, in] · W^T + b.
#include <oneapi/dnnl/dnnl.hpp>

#include "engine/ops/dnnl_context.h"
#include "engine/ops/ops.h"
#include "engine/ops/primitive_cache.h"
#include "engine/ops/shape_checks.h"

namespace attnviz::ops {
namespace {
using dnnl::memory;
using IpForward = dnnl::inner_product_forward;
// Rows of the shape whose weight layout is made at construction (a typical token count). oneDNN 2.6 picks
// the same layout for every row count on the CPUs we know; another row count that does not gets its own copy.
constexpr std::int64_t kNominalRows = 64;

// src: [rows, in], weights: [out, in] in `weights`' layout, bias: [out] (optional) -> dst: [rows, out]
IpForward::primitive_desc makeInnerProduct(std::int64_t rows, std::int64_t in, std::int64_t out, bool hasBias,
                                           const memory::desc& weights) {
  const memory::desc src = detail::plainDesc({rows, in});
  const memory::desc dst = detail::plainDesc({rows, out});
  const auto kind = dnnl::prop_kind::forward_inference;
  const auto& eng = detail::cpuEngine();
  if (hasBias) return {IpForward::desc(kind, src, weights, detail::plainDesc({out}), dst), detail::defaultAttr(), eng};
  return {IpForward::desc(kind, src, weights, dst), detail::defaultAttr(), eng};
}

struct IpEntry {
  IpForward primitive;
  memory weights;  // weights in the layout this primitive wants (shared with Linear::Impl when the same)
};

void runInnerProduct(const IpEntry& entry, const Tensor& x, const Tensor* bias, Tensor& y, std::int64_t rows,
                     std::int64_t in, std::int64_t out) {
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, detail::wrap(detail::plainDesc({rows, in}), x.data())},
                                       {DNNL_ARG_WEIGHTS, entry.weights},
                                       {DNNL_ARG_DST, detail::wrap(detail::plainDesc({rows, out}), y.data())}};
  if (bias) args.emplace(DNNL_ARG_BIAS, detail::wrap(detail::plainDesc({out}), bias->data()));
  detail::execute(entry.primitive, args);
}

void checkFeatures(std::string_view op, const Shape& weight) {
  if (weight.size() == 2 && (weight[0] <= 0 || weight[1] <= 0))
    detail::shapeError(op, "weight " + shapeString(weight) + " must have positive in- and out-features");
}
}  // namespace

struct Linear::Impl {
  std::int64_t in = 0, out = 0;
  std::optional<Tensor> bias;  // [out]
  memory weights;              // [out, in], reordered once into the layout oneDNN picked for forward inference
  mutable detail::PrimitiveCache<IpEntry> cache;  // by rows
};

Linear::Linear(Tensor weight, std::optional<Tensor> bias) {
  constexpr std::string_view kOp = "ops::Linear";
  const Shape& ws = weight.shape();
  if (ws.size() != 2) detail::shapeError(kOp, "weight must be [out, in], got " + shapeString(ws));
  checkFeatures(kOp, ws);
  detail::linearDims(kOp, Shape{ws[1]}, ws, bias ? &bias->shape() : nullptr);
  auto impl = std::make_shared<Impl>();
  impl->out = ws[0];
  impl->in = ws[1];
  impl->bias = std::move(bias);
  detail::backendCall(kOp, [&] { return "weight " + shapeString(ws); }, [&] {
    // The layout oneDNN wants for this weight in forward inference.
    const memory::desc any({impl->out, impl->in}, memory::data_type::f32, memory::format_tag::any);
    const auto pd = makeInnerProduct(kNominalRows, impl->in, impl->out, impl->bias.has_value(), any);
    impl->weights = detail::reorderTo(detail::wrap(detail::plainDesc({impl->out, impl->in}), weight.data()),
                                      pd.weights_desc());
  });
  impl_ = std::move(impl);
}

std::int64_t Linear::inFeatures() const { return impl_ ? impl_->in : 0; }
std::int64_t Linear::outFeatures() const { return impl_ ? impl_->out : 0; }

Tensor Linear::operator()(const Tensor& x) const {
  constexpr std::string_view kOp = "ops::Linear";
  if (!impl_) detail::shapeError(kOp, "called on an empty Linear");
  const Impl& impl = *impl_;
  const Shape weightShape{impl.out, impl.in};
  const Tensor* bias = impl.bias ? &*impl.bias : nullptr;
  const auto d = detail::linearDims(kOp, x.shape(), weightShape, bias ? &bias->shape() : nullptr);
  Tensor y(d.outShape);
  if (d.rows == 0) return y;
  const auto shapes = [&] { return "x " + shapeString(x.shape()) + ", weight " + shapeString(weightShape); };
  detail::backendCall(kOp, shapes, [&] {
    auto entry = impl.cache.get({d.rows}, [&] {
      const memory::desc any({impl.out, impl.in}, memory::data_type::f32, memory::format_tag::any);
      const auto pd = makeInnerProduct(d.rows, impl.in, impl.out, bias != nullptr, any);
      // Another layout for this row count: convert once, kept with this entry.
      memory weights = pd.weights_desc() == impl.weights.get_desc()
                           ? impl.weights
                           : detail::reorderTo(impl.weights, pd.weights_desc());
      return IpEntry{IpForward(pd), weights};
    });
    runInnerProduct(*entry, x, bias, y, d.rows, impl.in, impl.out);
  });
  return y;
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor* bias) {
  constexpr std::string_view kOp = "ops::linear";
  const auto d = detail::linearDims(kOp, x.shape(), weight.shape(), bias ? &bias->shape() : nullptr);
  checkFeatures(kOp, weight.shape());
  Tensor y(d.outShape);
  if (d.rows == 0) return y;
  static detail::PrimitiveCache<IpEntry> cache;  // by rows, in, out, bias; weights used as given ([out, in])
  const auto shapes = [&] { return "x " + shapeString(x.shape()) + ", weight " + shapeString(weight.shape()); };
  detail::backendCall(kOp, shapes, [&] {
    const memory::desc plain = detail::plainDesc({d.out, d.in});
    auto entry = cache.get({d.rows, d.in, d.out, bias != nullptr}, [&] {
      return IpEntry{IpForward(makeInnerProduct(d.rows, d.in, d.out, bias != nullptr, plain)), memory()};
    });
    IpEntry call{entry->primitive, detail::wrap(plain, weight.data())};
    runInnerProduct(call, x, bias, y, d.rows, d.in, d.out);
  });
  return y;
}

}  // namespace attnviz::ops
