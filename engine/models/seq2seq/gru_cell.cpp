#include "engine/models/seq2seq/gru_cell.h"

#include <cmath>
#include <string>

#include "engine/core/error.h"

namespace attnviz::seq2seq {

namespace {
float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
}  // namespace

GruCell::GruCell(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh)
    : ih_(std::move(weightIh), std::move(biasIh)), hh_(std::move(weightHh), std::move(biasHh)) {
  if (ih_.outFeatures() != 3 * hh_.inFeatures() || hh_.outFeatures() != 3 * hh_.inFeatures())
    throw InternalError("seq2seq::GruCell", "weights must be [3D, in] and [3D, D], got [" +
                                               std::to_string(ih_.outFeatures()) + ", " + std::to_string(ih_.inFeatures()) +
                                               "] and [" + std::to_string(hh_.outFeatures()) + ", " +
                                               std::to_string(hh_.inFeatures()) + "]");
}

Tensor GruCell::operator()(const Tensor& x, const Tensor& h) const {
  const std::int64_t batch = h.dim(0), d = hh_.inFeatures();
  if (h.rank() != 2 || h.dim(1) != d || x.rank() != 2 || x.dim(0) != batch)
    throw InternalError("seq2seq::GruCell", "x " + shapeString(x.shape()) + " and h " + shapeString(h.shape()) +
                                               " do not fit a cell of hidden size " + std::to_string(d));
  const Tensor gi = ih_(x);  // [B, 3D]
  const Tensor gh = hh_(h);  // [B, 3D]
  Tensor out({batch, d});
  for (std::int64_t b = 0; b < batch; ++b) {
    const float* i = gi.data() + b * 3 * d;
    const float* g = gh.data() + b * 3 * d;
    const float* hp = h.data() + b * d;
    float* o = out.data() + b * d;
    for (std::int64_t k = 0; k < d; ++k) {
      const float r = sigmoid(i[k] + g[k]);
      const float z = sigmoid(i[d + k] + g[d + k]);
      const float n = std::tanh(i[2 * d + k] + r * g[2 * d + k]);
      o[k] = (hp[k] - n) * z + n;
    }
  }
  return out;
}

}  // namespace attnviz::seq2seq
