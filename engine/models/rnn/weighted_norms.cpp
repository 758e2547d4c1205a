#include "engine/models/rnn/weighted_norms.h"

#include <cmath>
#include <vector>

#include "engine/core/error.h"

namespace attnviz {

Tensor weightedNorms(const Tensor& attention, const Tensor& states) {
  const std::int64_t s = attention.rank() >= 1 ? attention.dim(-1) : 0;
  if (attention.rank() < 1 || attention.rank() > 2 || states.rank() != 2 || states.dim(0) != s)
    throw InternalError("weightedNorms", "attention " + shapeString(attention.shape()) + " over states " +
                                            shapeString(states.shape()));
  const std::int64_t k = states.dim(1);
  std::vector<float> norms(static_cast<std::size_t>(s));
  for (std::int64_t j = 0; j < s; ++j) {
    const float* h = states.data() + j * k;
    double squares = 0;
    for (std::int64_t c = 0; c < k; ++c) squares += static_cast<double>(h[c]) * h[c];
    norms[static_cast<std::size_t>(j)] = static_cast<float>(std::sqrt(squares));
  }
  Tensor out = attention.clone();
  float* a = out.data();
  for (std::int64_t i = 0; i < out.numel(); ++i) a[i] *= norms[static_cast<std::size_t>(i % s)];
  return out;
}

}  // namespace attnviz
