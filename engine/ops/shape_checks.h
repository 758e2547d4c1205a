// Internal to engine/ops: argument checks shared by the oneDNN ops and their references, so both accept and
// reject exactly the same shapes with the same messages. Broken shapes are InternalError (a caller bug) naming
// the op and every shape involved; an embedding id outside the vocabulary is InputError.
//
//   auto d = detail::linearDims("ops::linear", x.shape(), w.shape(), b ? &b->shape() : nullptr);
//   // d.rows x d.in -> d.rows x d.out, result shaped d.outShape
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "engine/core/tensor.h"
#include "engine/ops/ops.h"

namespace attnviz::ops::detail {

[[noreturn]] void shapeError(std::string_view op, const std::string& what);

// axis in [-rank, rank) -> [0, rank)
int normalizeAxis(std::string_view op, int axis, const Shape& shape);

// x: [..., in], weight: [out, in], bias: [out] -> [..., out], seen as rows x in.
struct LinearDims {
  std::int64_t rows = 0, in = 0, out = 0;
  Shape outShape;
};
LinearDims linearDims(std::string_view op, const Shape& x, const Shape& weight, const Shape* bias);

// a: [Ba, M, K] or [M, K]; b: [Bb, K, N] ([Bb, N, K] transposed) or rank 2; Ba, Bb equal or 1 (broadcast).
struct MatmulDims {
  std::int64_t batchA = 1, batchB = 1, batch = 1, m = 0, k = 0, n = 0;
  Shape outShape;  // [batch, M, N], or [M, N] when both inputs are rank 2
};
MatmulDims matmulDims(std::string_view op, const Shape& a, const Shape& b, bool transposeB);

// x: [..., n] seen as rows x n (rank >= 1).
struct RowsDims {
  std::int64_t rows = 0, n = 0;
};
RowsDims lastAxisRows(std::string_view op, const Shape& x);
// gamma, beta: [n] for x: [..., n].
RowsDims layerNormDims(std::string_view op, const Shape& x, const Shape& gamma, const Shape& beta);
// b's shape is a suffix of a's ([.., n] with [n], or equal): a is rows x n with n = numel(b).
RowsDims broadcastDims(std::string_view op, const Shape& a, const Shape& b);

// table: [vocab, dim]; every id in [0, vocab) or InputError naming the id and the vocabulary size.
void checkEmbedding(std::string_view op, const Shape& table, std::span<const std::int64_t> ids);

// The concatenated shape; axis normalised in place.
Shape concatShape(std::string_view op, std::span<const Tensor> parts, int& axis);
// sizes >= 0 summing to x.dim(axis); axis normalised in place.
void checkSplit(std::string_view op, const Shape& x, int& axis, std::span<const std::int64_t> sizes);
// out.dim(i) = x.dim(order[i]); order must be a permutation of [0, rank).
Shape permuteShape(std::string_view op, const Shape& x, std::span<const int> order);

// Positive sizes, layer count, and every layer's weights against rnnWeightNames(spec).
void checkRnnWeights(std::string_view op, const RnnSpec& spec, std::span<const RnnLayerWeights> layers);
// x: [T, batch, inputSize]; initial h (and c for LSTM): [layers * directions, batch, hidden], or empty.
struct RnnDims {
  std::int64_t steps = 0, batch = 0;
  bool hasH = false, hasC = false;
};
RnnDims rnnInputDims(std::string_view op, const RnnSpec& spec, const Shape& x, const RnnState* initial);

}  // namespace attnviz::ops::detail
