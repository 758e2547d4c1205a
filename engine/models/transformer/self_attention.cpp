#include "engine/models/transformer/self_attention.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/io/weight_set.h"

namespace attnviz {

Tensor selfAttention(const Tensor& projected, std::int64_t heads, Tensor probs) {
  const std::int64_t d = projected.dim(1) / 3 / heads;
  return ops::multiHeadAttention(projected, heads, 1.0f / std::sqrt(static_cast<float>(d)), probs);
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

}  // namespace attnviz
