// GruCell: PyTorch nn.GRUCell for the decoder, run as ops::Rnn (nn.GRU semantics, weights reordered once at
// load) with one time step. nn.GRUCell and one step of a one-layer nn.GRU compute the same function:
//   r = sigmoid(W_ir x + b_ir + W_hr h + b_hr),  z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),  h' = (1 - z) * n + z * h
// Measured against two ops::Linear plus the gate math in C++ (1 thread, the trained models' 384 -> 256 cell):
// 30 us against 33 us a step, so the Rnn form is used. tests/unit/test_seq2seq_gru_cell.cpp checks it against
// the plain reference ref::rnn and against the gate equations above.
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
  std::int64_t inputSize() const { return rnn_.spec().inputSize; }
  std::int64_t hiddenSize() const { return rnn_.spec().hiddenSize; }

 private:
  ops::Rnn rnn_;  // one layer, one direction, GRU
};

}  // namespace attnviz::seq2seq
