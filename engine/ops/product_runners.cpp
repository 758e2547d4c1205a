#include "engine/ops/product_runners.h"

#include <oneapi/dnnl/dnnl.hpp>

#include "engine/ops/dnnl_context.h"
#include "engine/ops/eigen_gemm.h"
#include "engine/ops/primitive_cache.h"

namespace attnviz::ops::detail {
namespace {
using dnnl::memory;

// Rows of the shape whose packed weight layout is made up front (a typical token count). oneDNN 2.6 picks the
// same layout for every row count on the CPUs we know; a row count that does not gets its own copy.
constexpr std::int64_t kNominalRows = 64;

memory::data_type typeOf(Precision p) { return p == Precision::BF16 ? memory::data_type::bf16 : memory::data_type::f32; }

// What one product computes besides x · W^T + b: the activation, then the residual (post-ops in that order).
dnnl::primitive_attr epilogueAttr(Activation activation, bool residual, const memory::desc& dst) {
  dnnl::primitive_attr attr = defaultAttr();
  dnnl::post_ops postOps;
  if (activation == Activation::Gelu) postOps.append_eltwise(1.0f, dnnl::algorithm::eltwise_gelu_erf, 0.0f, 0.0f);
  if (residual) postOps.append_binary(dnnl::algorithm::binary_add, dst);
  attr.set_post_ops(postOps);
  return attr;
}
int residualPostOp(Activation activation) { return activation == Activation::None ? 0 : 1; }

// One primitive for one row count, with the weights in the layout it reads.
struct Entry {
  dnnl::primitive primitive;
  memory weights;
  std::optional<dnnl::reorder> toBf16;  // Precision::BF16: x f32 -> bf16 [rows, in]
  memory::desc src;
};

// oneDNN matmul or inner product; `weightsFor(rows)` is the weights descriptor the primitive is made with
// (format any for the packed kinds, W as stored otherwise).
class DnnlRunner final : public ProductRunner {
 public:
  DnnlRunner(ProductPath path, const ProductSpec& spec) : path_(path), spec_(spec) {
    // Packed kinds: reorder once into the layout oneDNN picks at the nominal row count.
    const auto pd = makePrimitiveDesc(kNominalRows, false);
    weights_ = path_ == ProductPath::OnednnStored ? storedWeights() : reorderTo(storedWeights(), weightsDesc(pd));
  }

  void run(const Tensor& x, std::int64_t rows, const Tensor* residual, Tensor& y) const override {
    auto entry = cache_.get({rows, residual != nullptr}, [&] { return makeEntry(rows, residual != nullptr); });
    memory src = wrap(plainDesc({rows, spec_.in}), x.data());
    if (entry->toBf16) {
      memory converted(entry->src, cpuEngine());
      execute(*entry->toBf16, {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, converted}});
      src = converted;
    }
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, src},
                                         {DNNL_ARG_WEIGHTS, entry->weights},
                                         {DNNL_ARG_DST, wrap(plainDesc({rows, spec_.out}), y.data())}};
    if (spec_.bias) args.emplace(DNNL_ARG_BIAS, wrap(plainDesc({spec_.out}), spec_.bias->data()));
    if (residual)
      args.emplace(DNNL_ARG_ATTR_MULTIPLE_POST_OP(residualPostOp(spec_.options.activation)) | DNNL_ARG_SRC_1,
                   wrap(plainDesc({rows, spec_.out}), residual->data()));
    execute(entry->primitive, args);
  }

 private:
  bool innerProduct() const { return path_ == ProductPath::InnerProduct; }
  Precision precision() const { return spec_.options.precision; }

  // W [out, in] as stored: the matmul's [in, out] weights with transposed strides, or inner product's oi.
  memory storedWeights() const {
    const memory::desc md = innerProduct() ? memory::desc({spec_.out, spec_.in}, memory::data_type::f32, memory::format_tag::oi)
                                           : memory::desc({spec_.in, spec_.out}, memory::data_type::f32, memory::format_tag::ba);
    return wrap(md, spec_.weight.data());
  }

  memory::desc requestedWeights() const {
    if (path_ == ProductPath::OnednnStored) return storedWeights().get_desc();
    const memory::dims dims = innerProduct() ? memory::dims{spec_.out, spec_.in} : memory::dims{spec_.in, spec_.out};
    return {dims, typeOf(precision()), memory::format_tag::any};
  }

  // src: [rows, in] (f32, or bf16 for Precision::BF16), dst: [rows, out] f32, bias [out].
  dnnl::primitive_desc makePrimitiveDesc(std::int64_t rows, bool residual) const {
    const memory::desc src({rows, spec_.in}, typeOf(precision()), memory::format_tag::ab);
    const memory::desc dst = plainDesc({rows, spec_.out});
    const auto attr = epilogueAttr(spec_.options.activation, residual, dst);
    const auto& eng = cpuEngine();
    if (innerProduct()) {
      const memory::desc bias = spec_.bias ? plainDesc({spec_.out}) : memory::desc();
      return dnnl::inner_product_forward::primitive_desc(
          dnnl::inner_product_forward::desc(dnnl::prop_kind::forward_inference, src, requestedWeights(), bias, dst),
          attr, eng);
    }
    if (spec_.bias)
      return dnnl::matmul::primitive_desc(dnnl::matmul::desc(src, requestedWeights(), plainDesc({1, spec_.out}), dst),
                                          attr, eng);
    return dnnl::matmul::primitive_desc(dnnl::matmul::desc(src, requestedWeights(), dst), attr, eng);
  }

  static memory::desc weightsDesc(const dnnl::primitive_desc& pd) { return pd.weights_desc(); }

  Entry makeEntry(std::int64_t rows, bool residual) const {
    const auto pd = makePrimitiveDesc(rows, residual);
    Entry e;
    e.primitive = dnnl::primitive(pd);
    // Another layout for this row count: convert once, kept with this entry.
    e.weights = weightsDesc(pd) == weights_.get_desc() ? weights_ : reorderTo(weights_, weightsDesc(pd));
    e.src = pd.src_desc();
    if (precision() == Precision::BF16)
      e.toBf16 = dnnl::reorder(dnnl::reorder::primitive_desc(cpuEngine(), plainDesc({rows, spec_.in}), cpuEngine(),
                                                             pd.src_desc(), defaultAttr()));
    return e;
  }

  const ProductPath path_;
  const ProductSpec spec_;
  memory weights_;
  mutable PrimitiveCache<Entry> cache_;  // by rows and residual
};

// Eigen's GEMM on W as stored (eigen_gemm.h: the variant for this CPU, output columns split across threads).
class EigenRunner final : public ProductRunner {
 public:
  explicit EigenRunner(const ProductSpec& spec) : spec_(spec) {}
  void run(const Tensor& x, std::int64_t rows, const Tensor* residual, Tensor& y) const override {
    eigenLinear(x.data(), rows, spec_.in, spec_.weight.data(), spec_.out, spec_.bias ? spec_.bias->data() : nullptr,
                y.data(), {spec_.options.activation == Activation::Gelu, residual ? residual->data() : nullptr});
  }

 private:
  const ProductSpec spec_;
};

}  // namespace

std::unique_ptr<const ProductRunner> makeProductRunner(ProductPath path, const ProductSpec& spec) {
  if (spec.options.precision == Precision::BF16 && path != ProductPath::OnednnPacked)
    throw BackendError("ops::Linear", std::string(productPathName(path)) + " has no bf16 form; bf16 uses onednn-packed");
  switch (path) {
    case ProductPath::OnednnPacked:
    case ProductPath::OnednnStored:
    case ProductPath::InnerProduct: return std::make_unique<DnnlRunner>(path, spec);
    case ProductPath::Eigen: return std::make_unique<EigenRunner>(spec);
  }
  throw InternalError("ops::Linear", "unknown product path");
}

}  // namespace attnviz::ops::detail
