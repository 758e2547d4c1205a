// Plain references for every op in ops.h: loops in double precision, no oneDNN, written to be read, not to be
// fast. Same signatures and the same shape checks (shape_checks.h) as the ops, so a test can run both on the
// same inputs and compare (tests/unit/test_ops*.cpp). ref::rnn follows PyTorch's nn.GRU / nn.LSTM equations
// gate by gate, in PyTorch's own gate order, and is itself checked against PyTorch (tests/data/rnn).
//
//   attnviz::Tensor want = attnviz::ref::linear(x, w, &b);        // x: [tokens, in], w: [out, in], b: [out]
//   attnviz::Tensor got = attnviz::ops::Linear(w, b)(x);
//   attnviz::ops::RnnOutput r = attnviz::ref::rnn(spec, layers, x); // x: [T, batch, in]
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/ops/ops.h"

namespace attnviz::ref {

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor* bias);  // [..., in] -> [..., out]
Tensor matmul(const Tensor& a, const Tensor& b, float scale = 1.0f, bool transposeB = false);

Tensor softmax(const Tensor& x);
Tensor multiHeadAttention(const Tensor& qkv, std::int64_t heads, float scale, Tensor& probs);
Tensor layerNorm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps);
Tensor gelu(const Tensor& x);  // 0.5 x (1 + erf(x / sqrt 2))
Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor add(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);

Tensor embedding(const Tensor& table, std::span<const std::int64_t> ids);
Tensor concat(std::span<const Tensor> parts, int axis);
std::vector<Tensor> split(const Tensor& x, int axis, std::span<const std::int64_t> sizes);
Tensor permute(const Tensor& x, std::span<const int> order);

// layers: numLayers * directions entries in PyTorch layout (index layer * directions + direction);
// x: [T, batch, inputSize]; initial: zeros when null.
ops::RnnOutput rnn(const ops::RnnSpec& spec, std::span<const ops::RnnLayerWeights> layers, const Tensor& x,
                   const ops::RnnState* initial = nullptr);

}  // namespace attnviz::ref
