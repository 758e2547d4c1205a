// ops::Linear and ops::linear: y[rows, out] = act(x[rows, in] · W^T + b) (+ residual). Linear computes its product
// on the path timed fastest for its shape (product_path.h; the candidates in product_runners.cpp), with the
// activation and residual fused into the same call; bf16 weights and input when asked (oneDNN packed only).
// ops::linear, the one-shot form, is a oneDNN matmul on W as stored.
#include <oneapi/dnnl/dnnl.hpp>

#include <map>
#include <mutex>

#include "engine/ops/cpu_capabilities.h"
#include "engine/ops/dnnl_context.h"
#include "engine/ops/ops.h"
#include "engine/ops/primitive_cache.h"
#include "engine/ops/product_runners.h"
#include "engine/ops/shape_checks.h"

namespace attnviz::ops {
namespace {
using dnnl::memory;
using MatMul = dnnl::matmul;

// PyTorch's W [out, in] seen as the matmul's weights [in, out] (column-major over [in, out]).
memory::desc transposedPlain(std::int64_t in, std::int64_t out) {
  return {{in, out}, memory::data_type::f32, memory::format_tag::ba};
}

void checkFeatures(std::string_view op, const Shape& weight) {
  if (weight.size() == 2 && (weight[0] <= 0 || weight[1] <= 0))
    detail::shapeError(op, "weight " + shapeString(weight) + " must have positive in- and out-features");
}

// Row counts share a choice up to the next power of two: typing a word must not time the candidates again.
std::int64_t rowsBucket(std::int64_t rows) {
  std::int64_t bucket = 1;
  while (bucket < rows) bucket *= 2;
  return bucket;
}

// The choice key in words, as `bench --json` prints it.
std::string shapeKey(std::int64_t rows, const detail::ProductSpec& spec, bool residual, int threads) {
  std::string key = "rows<=" + std::to_string(rowsBucket(rows)) + " " + std::to_string(spec.in) + "->" +
                    std::to_string(spec.out);
  if (spec.bias) key += " +bias";
  if (spec.options.activation == Activation::Gelu) key += " +gelu";
  if (residual) key += " +residual";
  key += spec.options.precision == Precision::BF16 ? " bf16" : " f32";
  return key + " " + std::to_string(threads) + (threads == 1 ? " thread" : " threads");
}

// Products smaller than this (FLOPs at the bucket's row count) take onednn-packed without timing: they last tens of
// microseconds, where timing measures noise, and a choice that varies from process to process would change the
// last bits of small models' results between two runs of the same input.
constexpr std::int64_t kTimedProductFlops = 32'000'000;

// Paths chosen so far, by shape key; shared by every Linear of the process.
struct ChoiceTable {
  std::mutex mutex;
  std::map<std::string, ProductPath> chosen;
};
ChoiceTable& choiceTable() {
  static ChoiceTable table;
  return table;
}
}  // namespace

struct Linear::Impl {
  detail::ProductSpec spec;
  // The runners made so far, by path. After a timing only the chosen one stays (the others' weights are freed).
  mutable std::mutex mutex;
  mutable std::array<std::shared_ptr<const detail::ProductRunner>, kProductPaths.size()> runners;

  std::shared_ptr<const detail::ProductRunner> runner(ProductPath path) const;
  ProductPath choosePath(const Tensor& x, std::int64_t rows, const Tensor* residual, Tensor& y) const;
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
  impl->spec = {ws[1], ws[0], std::move(weight), std::move(bias), options};
  impl_ = std::move(impl);
}

Linear Linear::withPrecision(Precision precision) const {
  if (!impl_) return {};
  if (precision == Precision::BF16) requireBf16("ops::Linear");
  auto impl = std::make_shared<Impl>();
  impl->spec = impl_->spec;
  impl->spec.options.precision = precision;
  if (precision == Precision::BF16)  // convert now: a failure belongs to the switch, not to the next run
    detail::backendCall("ops::Linear", [&] { return "weight " + shapeString(impl->spec.weight.shape()); },
                        [&] { impl->runner(ProductPath::OnednnPacked); });
  Linear out;
  out.impl_ = std::move(impl);
  return out;
}

std::int64_t Linear::inFeatures() const { return impl_ ? impl_->spec.in : 0; }
std::int64_t Linear::outFeatures() const { return impl_ ? impl_->spec.out : 0; }

const Tensor& Linear::weight() const {
  if (!impl_) detail::shapeError("ops::Linear", "weight() of an empty Linear");
  return impl_->spec.weight;
}

const std::optional<Tensor>& Linear::bias() const {
  if (!impl_) detail::shapeError("ops::Linear", "bias() of an empty Linear");
  return impl_->spec.bias;
}

Tensor Linear::operator()(const Tensor& x) const {
  if (!impl_) detail::shapeError("ops::Linear", "called on an empty Linear");
  return impl_->run(x, nullptr);
}

Tensor Linear::operator()(const Tensor& x, const Tensor& residual) const {
  if (!impl_) detail::shapeError("ops::Linear", "called on an empty Linear");
  return impl_->run(x, &residual);
}

std::shared_ptr<const detail::ProductRunner> Linear::Impl::runner(ProductPath path) const {
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = runners[static_cast<std::size_t>(path)];
  if (!slot) slot = detail::makeProductRunner(path, spec);
  return slot;
}

// The path for this shape: the table's, or every candidate timed on this input (y receives a correct result
// from each) and the fastest kept. A candidate that cannot be built on this CPU is left out.
ProductPath Linear::Impl::choosePath(const Tensor& x, std::int64_t rows, const Tensor* residual, Tensor& y) const {
  if (spec.options.precision == Precision::BF16) return ProductPath::OnednnPacked;
  if (auto forced = forcedProductPath()) return *forced;
  if (2 * rowsBucket(rows) * spec.in * spec.out < kTimedProductFlops) return ProductPath::OnednnPacked;
  const int threads = detail::applyThreadCount();
  const std::string key = shapeKey(rows, spec, residual != nullptr, threads);
  ChoiceTable& table = choiceTable();
  const auto known = [&]() -> std::optional<ProductPath> {
    std::lock_guard<std::mutex> lock(table.mutex);
    if (auto it = table.chosen.find(key); it != table.chosen.end()) return it->second;
    return std::nullopt;
  };
  if (auto path = known()) return *path;
  static std::mutex timing;  // one timing at a time: two would time each other
  std::lock_guard<std::mutex> timingLock(timing);
  if (auto path = known()) return *path;  // timed by another thread meanwhile
  ProductChoice choice{key, ProductPath::OnednnPacked, {}};
  double best = 1e300;
  for (ProductPath path : kProductPaths) {
    double& ms = choice.candidateMs[static_cast<std::size_t>(path)];
    try {
      const auto r = runner(path);
      ms = bestRunMs([&] { r->run(x, rows, residual, y); });
    } catch (const dnnl::error&) {
      ms = -1;
    } catch (const BackendError&) {
      ms = -1;
    }
    if (ms >= 0 && ms < best) best = ms, choice.path = path;
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    for (ProductPath path : kProductPaths)
      if (path != choice.path) runners[static_cast<std::size_t>(path)].reset();
  }
  std::lock_guard<std::mutex> lock(table.mutex);
  table.chosen.emplace(key, choice.path);
  detail::logProductChoice(choice);
  return choice.path;
}

Tensor Linear::Impl::run(const Tensor& x, const Tensor* residual) const {
  constexpr std::string_view kOp = "ops::Linear";
  const Shape weightShape{spec.out, spec.in};
  const Tensor* b = spec.bias ? &*spec.bias : nullptr;
  const auto d = detail::linearDims(kOp, x.shape(), weightShape, b ? &b->shape() : nullptr);
  if (residual && residual->shape() != d.outShape)
    detail::shapeError(kOp, "residual " + shapeString(residual->shape()) + " must have the output's shape " +
                                shapeString(d.outShape));
  Tensor y = Tensor::uninitialized(d.outShape);
  if (d.rows == 0) return y;
  const auto shapes = [&] { return "x " + shapeString(x.shape()) + ", weight " + shapeString(weightShape); };
  detail::backendCall(kOp, shapes, [&] {
    const ProductPath path = choosePath(x, d.rows, residual, y);
    const auto chosen = runner(path);
    runProduct([&] { chosen->run(x, d.rows, residual, y); }, [&] {
      return shapeKey(d.rows, spec, residual != nullptr, detail::applyThreadCount()) + " " +
             std::string(productPathName(path));
    });
    detail::countProductFlops(2 * d.rows * spec.in * spec.out);
  });
  return y;
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor* bias) {
  constexpr std::string_view kOp = "ops::linear";
  const auto d = detail::linearDims(kOp, x.shape(), weight.shape(), bias ? &bias->shape() : nullptr);
  checkFeatures(kOp, weight.shape());
  Tensor y = Tensor::uninitialized(d.outShape);
  if (d.rows == 0) return y;
  static detail::PrimitiveCache<MatMul> cache;  // by rows, in, out, bias; weights used as given ([out, in])
  const auto shapes = [&] { return "x " + shapeString(x.shape()) + ", weight " + shapeString(weight.shape()); };
  detail::backendCall(kOp, shapes, [&] {
    const memory::desc plain = transposedPlain(d.in, d.out);
    const memory::desc src = detail::plainDesc({d.rows, d.in}), dst = detail::plainDesc({d.rows, d.out});
    auto product = cache.get({d.rows, d.in, d.out, bias != nullptr}, [&] {
      const auto& eng = detail::cpuEngine();
      if (bias) return MatMul({MatMul::desc(src, plain, detail::plainDesc({1, d.out}), dst), detail::defaultAttr(), eng});
      return MatMul({MatMul::desc(src, plain, dst), detail::defaultAttr(), eng});
    });
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, detail::wrap(src, x.data())},
                                         {DNNL_ARG_WEIGHTS, detail::wrap(plain, weight.data())},
                                         {DNNL_ARG_DST, detail::wrap(dst, y.data())}};
    if (bias) args.emplace(DNNL_ARG_BIAS, detail::wrap(detail::plainDesc({d.out}), bias->data()));
    detail::execute(*product, args);
  });
  return y;
}

}  // namespace attnviz::ops
