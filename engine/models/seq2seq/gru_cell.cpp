#include "engine/models/seq2seq/gru_cell.h"

#include <string>
#include <utility>
#include <vector>

#include "engine/core/error.h"

namespace attnviz::seq2seq {

namespace {
ops::RnnSpec cellSpec(const Tensor& weightIh, const Tensor& weightHh) {
  if (weightIh.rank() != 2 || weightHh.rank() != 2 || weightHh.dim(0) != 3 * weightHh.dim(1) ||
      weightIh.dim(0) != weightHh.dim(0))
    throw InternalError("seq2seq::GruCell", "weights must be [3D, in] and [3D, D], got " + shapeString(weightIh.shape()) +
                                               " and " + shapeString(weightHh.shape()));
  ops::RnnSpec spec;
  spec.cell = ops::RnnCell::GRU;
  spec.inputSize = weightIh.dim(1);
  spec.hiddenSize = weightHh.dim(1);
  return spec;
}
}  // namespace

GruCell::GruCell(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
  const ops::RnnSpec spec = cellSpec(weightIh, weightHh);
  std::vector<ops::RnnLayerWeights> layers;
  layers.push_back({std::move(weightIh), std::move(weightHh), std::move(biasIh), std::move(biasHh)});
  rnn_ = ops::Rnn(spec, std::move(layers));
}

Tensor GruCell::operator()(const Tensor& x, const Tensor& h) const {
  const std::int64_t in = inputSize(), d = hiddenSize();
  if (h.rank() != 2 || h.dim(1) != d || x.rank() != 2 || x.dim(1) != in || x.dim(0) != h.dim(0))
    throw InternalError("seq2seq::GruCell", "x " + shapeString(x.shape()) + " and h " + shapeString(h.shape()) +
                                               " do not fit a cell of input " + std::to_string(in) + ", hidden " +
                                               std::to_string(d));
  const std::int64_t batch = h.dim(0);
  const ops::RnnState initial{h.reshape({1, batch, d}), {}};
  return rnn_(x.reshape({1, batch, in}), &initial).output.reshape({batch, d});  // output: [T = 1, B, D]
}

}  // namespace attnviz::seq2seq
