// Internal to engine/ops: the candidate ways of computing one Linear's product (product_path.h names them),
// each with the Linear's weights prepared once in the layout it reads. linear.cpp times them and runs the chosen.
//
//   auto runner = detail::makeProductRunner(ProductPath::OnednnStored, spec);
//   runner->run(x /*[rows, in]*/, rows, residual /*[rows, out] or null*/, y /*[rows, out]*/);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "engine/core/tensor.h"
#include "engine/ops/ops.h"
#include "engine/ops/product_path.h"

namespace attnviz::ops::detail {

// What every runner of one Linear shares: W [out, in] f32 as PyTorch stores it, b [out] (optional), the options.
struct ProductSpec {
  std::int64_t in = 0, out = 0;
  Tensor weight;               // [out, in], f32
  std::optional<Tensor> bias;  // [out]
  LinearOptions options;
};

class ProductRunner {
 public:
  virtual ~ProductRunner() = default;
  // y[rows, out] = act(x[rows, in] · W^T + b) (+ residual[rows, out]); x, y, residual contiguous f32.
  virtual void run(const Tensor& x, std::int64_t rows, const Tensor* residual, Tensor& y) const = 0;
};

// Prepares the weights for `path` (a reorder for the packed layouts, nothing for the stored ones). Throws
// dnnl::error (or BackendError) when this CPU or oneDNN cannot build it; Precision::BF16 only on OnednnPacked.
std::unique_ptr<const ProductRunner> makeProductRunner(ProductPath path, const ProductSpec& spec);

}  // namespace attnviz::ops::detail
