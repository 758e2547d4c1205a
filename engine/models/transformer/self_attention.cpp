#include "engine/models/transformer/self_attention.h"

#include <cmath>
#include <vector>

#include "engine/io/weight_set.h"

namespace attnviz {

Tensor selfAttention(const ops::Linear& qkv, const Tensor& x, std::int64_t heads, Tensor probs) {
  const std::int64_t d = x.dim(1) / heads;
  return ops::multiHeadAttention(qkv(x), heads, 1.0f / std::sqrt(static_cast<float>(d)), probs);
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
