#include "engine/models/transformer/self_attention.h"

#include <cmath>
#include <vector>

#include "engine/io/weight_set.h"

namespace attnviz {

Tensor selfAttention(const ops::Linear& qkv, const Tensor& x, std::int64_t heads, Tensor& probs) {
  const std::int64_t n = x.dim(0), hidden = x.dim(1), d = hidden / heads;
  // [N, 3 * hidden] -> [3, heads, N, d]: q, k and v split into heads by one reorder.
  static constexpr int kTokensPartsHeadsToPartsHeadsTokens[] = {1, 2, 0, 3};
  const Tensor parts = ops::permute(qkv(x).reshape({n, 3, heads, d}), kTokensPartsHeadsToPartsHeadsTokens);
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  probs = ops::softmax(ops::matmul(parts.slice(0), parts.slice(1), scale, /*transposeB=*/true));  // [heads, N, N]
  static constexpr int kHeadsTokensToTokensHeads[] = {1, 0, 2};
  return ops::permute(ops::matmul(probs, parts.slice(2)), kHeadsTokensToTokensHeads).reshape({n, hidden});
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
