#include "engine/models/transformer/self_attention.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <vector>

#include "engine/core/error.h"
#include "engine/io/weight_set.h"

namespace attnviz {

Tensor selfAttention(const Tensor& projected, std::int64_t heads, Tensor probs) {
  const std::int64_t d = projected.dim(1) / 3 / heads;
  return ops::multiHeadAttention(projected, heads, 1.0f / std::sqrt(static_cast<float>(d)), probs);
}

namespace {

// RunOptions::blockedEdges of one layer (see applyInterventions).
void blockEdges(const Tensor& projected, std::int64_t heads, std::int64_t layers, std::int64_t layer,
                const std::vector<BlockedEdge>& edges, Tensor probs, Tensor& context) {
  const std::int64_t n = projected.dim(0), hidden = projected.dim(1) / 3, d = hidden / heads;
  std::map<std::int64_t, std::vector<bool>> blockedKeys;  // query row -> its blocked keys in this layer
  for (const BlockedEdge& e : edges) {
    if (e.layer < 0 || e.layer >= layers || e.from < 0 || e.from >= n || e.to < 0 || e.to >= n)
      throw UsageError("--block-edges", "layer " + std::to_string(e.layer) + ", edge " + std::to_string(e.from) + " -> " +
                                            std::to_string(e.to) + " is outside the model's " + std::to_string(layers) +
                                            " layers and the input's " + std::to_string(n) + " tokens (0-based)");
    if (e.layer != layer) continue;
    std::vector<bool>& keys = blockedKeys[e.from];
    keys.resize(static_cast<std::size_t>(n), false);
    keys[static_cast<std::size_t>(e.to)] = true;
  }
  const double scale = 1.0 / std::sqrt(static_cast<double>(d));
  const auto at = [&](std::int64_t token, int part, std::int64_t head) {  // part 0: query, 1: key, 2: value
    return projected.data() + token * 3 * hidden + part * hidden + head * d;
  };
  for (const auto& [i, blocked] : blockedKeys) {
    if (std::all_of(blocked.begin(), blocked.end(), [](bool b) { return b; }))
      throw UsageError("--block-edges", "blocks every key of token " + std::to_string(i) + " in layer " +
                                            std::to_string(layer) + ": its attention would have nothing to attend to; "
                                            "leave it at least one key");
    std::vector<double> p(static_cast<std::size_t>(n));
    for (std::int64_t h = 0; h < heads; ++h) {
      double top = -std::numeric_limits<double>::infinity();
      for (std::int64_t k = 0; k < n; ++k) {
        if (blocked[static_cast<std::size_t>(k)]) continue;
        double s = 0;
        for (std::int64_t c = 0; c < d; ++c) s += static_cast<double>(at(i, 0, h)[c]) * at(k, 1, h)[c];
        p[static_cast<std::size_t>(k)] = s * scale;
        top = std::max(top, s * scale);
      }
      double total = 0;
      for (std::int64_t k = 0; k < n; ++k) {
        double& v = p[static_cast<std::size_t>(k)];
        v = blocked[static_cast<std::size_t>(k)] ? 0.0 : std::exp(v - top);
        total += v;
      }
      float* row = probs.data() + (h * n + i) * n;
      std::vector<double> out(static_cast<std::size_t>(d), 0.0);
      for (std::int64_t k = 0; k < n; ++k) {
        const double w = p[static_cast<std::size_t>(k)] / total;
        row[k] = static_cast<float>(w);
        for (std::int64_t c = 0; c < d; ++c) out[static_cast<std::size_t>(c)] += w * at(k, 2, h)[c];
      }
      std::copy(out.begin(), out.end(), context.data() + i * hidden + h * d);  // double -> float
    }
  }
}

}  // namespace

void applyInterventions(const Tensor& projected, std::int64_t heads, std::int64_t layers, std::int64_t layer,
                        const RunOptions& options, Tensor probs, Tensor& context) {
  if (!options.blockedEdges.empty()) blockEdges(projected, heads, layers, layer, options.blockedEdges, probs, context);
  if (!options.knockedOutHeads.empty()) knockOutHeads(context, heads, layers, layer, options.knockedOutHeads);
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
