#include "engine/models/transformer/self_attention.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/core/error.h"
#include "engine/io/weight_set.h"

namespace attnviz {

Tensor selfAttention(const Tensor& projected, std::int64_t heads, Tensor probs) {
  const std::int64_t d = projected.dim(1) / 3 / heads;
  return ops::multiHeadAttention(projected, heads, 1.0f / std::sqrt(static_cast<float>(d)), probs);
}

void knockOutHeads(Tensor& context, std::int64_t heads, std::int64_t layers, std::int64_t layer,
                   const std::vector<std::pair<int, int>>& knockedOut) {
  const std::int64_t n = context.dim(0), d = context.dim(1) / heads;
  for (const auto& [l, h] : knockedOut) {
    if (l < 0 || l >= layers || h < 0 || h >= heads)
      throw UsageError("--knockout", "layer " + std::to_string(l) + ", head " + std::to_string(h) +
                                         " is outside the model's " + std::to_string(layers) + " layers and " +
                                         std::to_string(heads) + " heads (0-based)");
    if (l != layer) continue;
    for (std::int64_t i = 0; i < n; ++i) std::fill_n(context.data() + i * context.dim(1) + h * d, d, 0.0f);
  }
}

Tensor stackedValues(const Tensor& projected) {
  const std::int64_t n = projected.dim(0), hidden = projected.dim(1) / 3;
  Tensor values = Tensor::uninitialized({n, hidden});
  for (std::int64_t i = 0; i < n; ++i)
    std::copy_n(projected.data() + i * 3 * hidden + 2 * hidden, hidden, values.data() + i * hidden);
  return values;
}

ops::Linear takeStackedQkv(WeightSet& w, const std::string& prefix, std::int64_t hidden) {
  std::vector<Tensor> weights, biases;
  for (const char* part : {"query", "key", "value"}) {
    weights.push_back(w.take(prefix + "." + part + ".weight", {hidden, hidden}));
    biases.push_back(w.take(prefix + "." + part + ".bias", {hidden}));
  }
  return ops::Linear(ops::concat(weights, 0), ops::concat(biases, 0));
}

Tensor repeatRows(const Tensor& x, std::int64_t copies) {
  Tensor out = Tensor::uninitialized({copies * x.dim(0), x.dim(1)});
  for (std::int64_t c = 0; c < copies; ++c) std::copy(x.data(), x.data() + x.numel(), out.data() + c * x.numel());
  return out;
}

}  // namespace attnviz
