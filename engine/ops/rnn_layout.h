// Internal to engine/ops: PyTorch nn.GRU / nn.LSTM weights rearranged into oneDNN's RNN layouts, for one layer
// (both directions). Done once, when an ops::Rnn is built.
//
// oneDNN gate orders: LSTM [i, f, c~, o] = PyTorch [i, f, g, o]; GRU (linear-before-reset) [u, r, o] where
// u = PyTorch z and r = PyTorch r, so PyTorch's first two gate blocks swap. Biases:
//   LSTM  ldgo [1, D, 4, H]: b_ih + b_hh per gate
//   GRU   ldgo [1, D, 4, H]: [b_iz + b_hz, b_ir + b_hr, b_in, b_hn]   (b_hn stays inside r * (W_hn h + b_hn))
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/ops/ops.h"

namespace attnviz::ops::detail {

struct RnnLayerLayout {
  std::int64_t inSize = 0;          // in_l: inputSize for layer 0, directions * hidden after
  std::vector<float> weightsLayer;  // ldigo [1, D, in_l, G, H]
  std::vector<float> weightsIter;   // ldigo [1, D, H, G, H]
  std::vector<float> bias;          // ldgo  [1, D, biasGates, H]
};

// Gate blocks in oneDNN's bias: 4 for both cells (GRU's extra one is b_hn).
int dnnlBiasGates(const RnnSpec& spec);

// layers: all numLayers * directions entries (already checked); returns layer `layer`, both directions.
RnnLayerLayout toDnnlLayout(const RnnSpec& spec, std::span<const RnnLayerWeights> layers, int layer);

}  // namespace attnviz::ops::detail
