// GruCell: PyTorch nn.GRUCell for the decoder, as two ops::Linear (weights reordered once at load) plus the
// gate math, which follows ATen's GRUCell term for term:
//   gi = W_ih x + b_ih,  gh = W_hh h + b_hh   (both [B, 3D], gates [r, z, n])
//   r = sigmoid(gi_r + gh_r),  z = sigmoid(gi_z + gh_z),  n = tanh(gi_n + r * gh_n),  h' = (h - n) * z + n
// Faster than ops::Rnn with T = 1 per step and exact to float rounding (tests/unit/test_seq2seq_gru_cell.cpp
// compares the two on random weights).
//
//   attnviz::seq2seq::GruCell cell(wIh /*[3D, in]*/, wHh /*[3D, D]*/, bIh /*[3D]*/, bHh /*[3D]*/);
//   attnviz::Tensor h1 = cell(x /*[B, in]*/, h0 /*[B, D]*/);      // [B, D]
#pragma once

#include <cstdint>

#include "engine/core/tensor.h"
#include "engine/ops/ops.h"

namespace attnviz::seq2seq {

class GruCell {
 public:
  GruCell() = default;
  GruCell(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh);
  // x: [B, in], h: [B, D] -> [B, D]
  Tensor operator()(const Tensor& x, const Tensor& h) const;
  std::int64_t inputSize() const { return ih_.inFeatures(); }
  std::int64_t hiddenSize() const { return hh_.inFeatures(); }

 private:
  ops::Linear ih_;  // [in -> 3D]
  ops::Linear hh_;  // [D -> 3D]
};

}  // namespace attnviz::seq2seq
