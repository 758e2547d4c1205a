// ops::Linear and ops::linear: oneDNN matmul, y[rows, out] = act(x[rows, in] · W^T + b) (+ residual), the
// activation and residual as post-ops of the same primitive; bf16 weights and input when asked. matmul rather
// than inner_product: at ViT/BERT shapes (rows 128-512 not a multiple of the blocking) oneDNN 2.6's matmul is
// 10-25% faster (197 x 768 -> 2304: 3.1 vs 3.9 ms on 2 cores) and never slower at small row counts.
#include <oneapi/dnnl/dnnl.hpp>

#include "engine/ops/cpu_capabilities.h"
#include "engine/ops/dnnl_context.h"
#include "engine/ops/ops.h"
#include "engine/ops/primitive_cache.h"
#include "engine/ops/shape_checks.h"

namespace attnviz::ops {
namespace {
using dnnl::memory;
using MatMul = dnnl::matmul;
// Rows of the shape whose weight layout is made at construction (a typical token count). oneDNN 2.6 picks
// the same layout for every row count on the CPUs we know; another row count that does not gets its own copy.
constexpr std::int64_t kNominalRows = 64;

memory::data_type typeOf(Precision p) { return p == Precision::BF16 ? memory::data_type::bf16 : memory::data_type::f32; }

// PyTorch's W [out, in] seen as the matmul's weights [in, out] (column-major over [in, out]).
memory::desc transposedPlain(std::int64_t in, std::int64_t out) {
  return {{in, out}, memory::data_type::f32, memory::format_tag::ba};
}

// What one product computes besides x · W^T + b.
struct Epilogue {
  Activation activation = Activation::None;
  bool residual = false;  // post-op 1 (or 0 without activation): dst += residual [rows, out]
  int residualPostOp() const { return activation == Activation::None ? 0 : 1; }
};

// src: [rows, in] (f32, or bf16 for Precision::BF16), weights: [in, out] in `weights`' layout, bias: [1, out]
// (optional) -> dst: [rows, out] f32.
MatMul::primitive_desc makeProduct(std::int64_t rows, std::int64_t in, std::int64_t out, bool hasBias,
                                   const memory::desc& weights, Precision precision = Precision::F32,
                                   Epilogue epilogue = {}) {
  const memory::desc src({rows, in}, typeOf(precision), memory::format_tag::ab);
  const memory::desc dst = detail::plainDesc({rows, out});
  const auto& eng = detail::cpuEngine();
  dnnl::primitive_attr attr = detail::defaultAttr();
  dnnl::post_ops postOps;
  if (epilogue.activation == Activation::Gelu) postOps.append_eltwise(1.0f, dnnl::algorithm::eltwise_gelu_erf, 0.0f, 0.0f);
  if (epilogue.residual) postOps.append_binary(dnnl::algorithm::binary_add, dst);
  attr.set_post_ops(postOps);
  if (hasBias) return {MatMul::desc(src, weights, detail::plainDesc({1, out}), dst), attr, eng};
  return {MatMul::desc(src, weights, dst), attr, eng};
}

struct ProductEntry {
  MatMul primitive;
  memory weights;  // weights in the layout this primitive wants (shared with Linear::Impl when the same)
  std::optional<dnnl::reorder> toBf16;  // Precision::BF16: x f32 -> bf16 [rows, in]
};

// src: x as the primitive wants it (f32 wrapped, or a bf16 copy); residual only with an Epilogue that has one.
void runProduct(const ProductEntry& entry, const memory& src, const Tensor* bias, Tensor& y, std::int64_t rows,
                     std::int64_t out, const Tensor* residual = nullptr, int residualPostOp = 0) {
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src},
                                       {DNNL_ARG_WEIGHTS, entry.weights},
                                       {DNNL_ARG_DST, detail::wrap(detail::plainDesc({rows, out}), y.data())}};
  if (bias) args.emplace(DNNL_ARG_BIAS, detail::wrap(detail::plainDesc({out}), bias->data()));
  if (residual)
    args.emplace(DNNL_ARG_ATTR_MULTIPLE_POST_OP(residualPostOp) | DNNL_ARG_SRC_1,
                 detail::wrap(detail::plainDesc({rows, out}), residual->data()));
  detail::execute(entry.primitive, args);
}

void runProduct(const ProductEntry& entry, const Tensor& x, const Tensor* bias, Tensor& y, std::int64_t rows,
                     std::int64_t in, std::int64_t out) {
  runProduct(entry, detail::wrap(detail::plainDesc({rows, in}), x.data()), bias, y, rows, out);
}

void checkFeatures(std::string_view op, const Shape& weight) {
  if (weight.size() == 2 && (weight[0] <= 0 || weight[1] <= 0))
    detail::shapeError(op, "weight " + shapeString(weight) + " must have positive in- and out-features");
}
}  // namespace

struct Linear::Impl {
  std::int64_t in = 0, out = 0;
  std::optional<Tensor> bias;  // [out]
  LinearOptions options;
  memory weights;              // [out, in], reordered once into the type and layout oneDNN picked
  mutable detail::PrimitiveCache<ProductEntry> cache;  // by rows and residual

  memory::desc anyWeights() const { return {{in, out}, typeOf(options.precision), memory::format_tag::any}; }
  Tensor run(const Tensor& x, const Tensor* residual) const;
};

Linear::Linear(Tensor weight, std::optional<Tensor> bias, LinearOptions options) {
  constexpr std::string_view kOp = "ops::Linear";
  const Shape& ws = weight.shape();
  if (ws.size() != 2) detail::shapeError(kOp, "weight must be [out, in], got " + shapeString(ws));
  checkFeatures(kOp, ws);
  if (options.precision == Precision::BF16) requireBf16(kOp);  // the reason, not oneDNN's "unimplemented"
  detail::linearDims(kOp, Shape{ws[1]}, ws, bias ? &bias->shape() : nullptr);
  auto impl = std::make_shared<Impl>();
  impl->out = ws[0];
  impl->in = ws[1];
  impl->bias = std::move(bias);
  impl->options = options;
  detail::backendCall(kOp, [&] { return "weight " + shapeString(ws); }, [&] {
    // The type and layout oneDNN wants for this weight in forward inference.
    const auto pd = makeProduct(kNominalRows, impl->in, impl->out, impl->bias.has_value(), impl->anyWeights(),
                                options.precision);
    impl->weights = detail::reorderTo(detail::wrap(transposedPlain(impl->in, impl->out), weight.data()), pd.weights_desc());
  });
  impl_ = std::move(impl);
}

Linear Linear::withPrecision(Precision precision) const {
  if (!impl_) return {};
  if (precision == Precision::BF16) requireBf16("ops::Linear");
  auto impl = std::make_shared<Impl>();
  impl->in = impl_->in;
  impl->out = impl_->out;
  impl->bias = impl_->bias;
  impl->options = impl_->options;
  impl->options.precision = precision;
  detail::backendCall("ops::Linear", [&] { return "weight " + shapeString({impl->out, impl->in}); }, [&] {
    const auto pd = makeProduct(kNominalRows, impl->in, impl->out, impl->bias.has_value(), impl->anyWeights(), precision);
    impl->weights = detail::reorderTo(impl_->weights, pd.weights_desc());
  });
  Linear out;
  out.impl_ = std::move(impl);
  return out;
}

std::int64_t Linear::inFeatures() const { return impl_ ? impl_->in : 0; }
std::int64_t Linear::outFeatures() const { return impl_ ? impl_->out : 0; }

Tensor Linear::operator()(const Tensor& x) const {
  if (!impl_) detail::shapeError("ops::Linear", "called on an empty Linear");
  return impl_->run(x, nullptr);
}

Tensor Linear::operator()(const Tensor& x, const Tensor& residual) const {
  if (!impl_) detail::shapeError("ops::Linear", "called on an empty Linear");
  return impl_->run(x, &residual);
}

Tensor Linear::Impl::run(const Tensor& x, const Tensor* residual) const {
  constexpr std::string_view kOp = "ops::Linear";
  const Shape weightShape{out, in};
  const Tensor* b = bias ? &*bias : nullptr;
  const auto d = detail::linearDims(kOp, x.shape(), weightShape, b ? &b->shape() : nullptr);
  if (residual && residual->shape() != d.outShape)
    detail::shapeError(kOp, "residual " + shapeString(residual->shape()) + " must have the output's shape " +
                                shapeString(d.outShape));
  Tensor y = Tensor::uninitialized(d.outShape);
  if (d.rows == 0) return y;
  const Epilogue epilogue{options.activation, residual != nullptr};
  const auto shapes = [&] { return "x " + shapeString(x.shape()) + ", weight " + shapeString(weightShape); };
  detail::backendCall(kOp, shapes, [&] {
    auto entry = cache.get({d.rows, residual != nullptr}, [&] {
      const auto pd = makeProduct(d.rows, in, out, b != nullptr, anyWeights(), options.precision, epilogue);
      // Another layout for this row count: convert once, kept with this entry.
      memory w = pd.weights_desc() == weights.get_desc() ? weights : detail::reorderTo(weights, pd.weights_desc());
      ProductEntry e{MatMul(pd), w, std::nullopt};
      if (options.precision == Precision::BF16)
        e.toBf16 = dnnl::reorder(dnnl::reorder::primitive_desc(detail::cpuEngine(), detail::plainDesc({d.rows, in}),
                                                               detail::cpuEngine(), pd.src_desc(), detail::defaultAttr()));
      return e;
    });
    memory src = detail::wrap(detail::plainDesc({d.rows, in}), x.data());
    if (entry->toBf16) {
      memory converted(memory::desc({d.rows, in}, memory::data_type::bf16, memory::format_tag::ab), detail::cpuEngine());
      detail::execute(*entry->toBf16, {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, converted}});
      src = converted;
    }
    runProduct(*entry, src, b, y, d.rows, out, residual, epilogue.residualPostOp());
  });
  return y;
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor* bias) {
  constexpr std::string_view kOp = "ops::linear";
  const auto d = detail::linearDims(kOp, x.shape(), weight.shape(), bias ? &bias->shape() : nullptr);
  checkFeatures(kOp, weight.shape());
  Tensor y = Tensor::uninitialized(d.outShape);
  if (d.rows == 0) return y;
  static detail::PrimitiveCache<ProductEntry> cache;  // by rows, in, out, bias; weights used as given ([out, in])
  const auto shapes = [&] { return "x " + shapeString(x.shape()) + ", weight " + shapeString(weight.shape()); };
  detail::backendCall(kOp, shapes, [&] {
    const memory::desc plain = transposedPlain(d.in, d.out);
    auto entry = cache.get({d.rows, d.in, d.out, bias != nullptr}, [&] {
      return ProductEntry{MatMul(makeProduct(d.rows, d.in, d.out, bias != nullptr, plain)), memory(), std::nullopt};
    });
    ProductEntry call{entry->primitive, detail::wrap(plain, weight.data()), std::nullopt};
    runProduct(call, x, bias, y, d.rows, d.in, d.out);
  });
  return y;
}

}  // namespace attnviz::ops
