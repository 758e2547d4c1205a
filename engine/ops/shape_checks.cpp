#include "engine/ops/shape_checks.h"

#include <algorithm>
#include <numeric>

#include "engine/core/error.h"

namespace attnviz::ops::detail {

void shapeError(std::string_view op, const std::string& what) { throw InternalError(std::string(op), what); }

int normalizeAxis(std::string_view op, int axis, const Shape& shape) {
  const int rank = static_cast<int>(shape.size());
  const int a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    shapeError(op, "axis " + std::to_string(axis) + " is out of range for shape " + shapeString(shape));
  return a;
}

LinearDims linearDims(std::string_view op, const Shape& x, const Shape& weight, const Shape* bias) {
  if (weight.size() != 2) shapeError(op, "weight must be [out, in], got " + shapeString(weight));
  LinearDims d;
  d.out = weight[0];
  d.in = weight[1];
  if (x.empty() || x.back() != d.in)
    shapeError(op, "x " + shapeString(x) + " does not end in the weight's in-features: weight " +
                       shapeString(weight));
  if (bias && (bias->size() != 1 || (*bias)[0] != d.out))
    shapeError(op, "bias " + shapeString(*bias) + " does not match weight " + shapeString(weight) +
                       " (expected [" + std::to_string(d.out) + "])");
  d.rows = shapeNumel(Shape(x.begin(), x.end() - 1));
  d.outShape = x;
  d.outShape.back() = d.out;
  return d;
}

MatmulDims matmulDims(std::string_view op, const Shape& a, const Shape& b, bool transposeB) {
  const auto both = [&] { return "a " + shapeString(a) + ", b " + shapeString(b) + (transposeB ? " (b transposed)" : ""); };
  if (a.size() < 2 || a.size() > 3 || b.size() < 2 || b.size() > 3)
    shapeError(op, "inputs must be rank 2 or 3: " + both());
  MatmulDims d;
  d.batchA = a.size() == 3 ? a[0] : 1;
  d.batchB = b.size() == 3 ? b[0] : 1;
  d.m = a[a.size() - 2];
  d.k = a[a.size() - 1];
  const std::int64_t bk = transposeB ? b[b.size() - 1] : b[b.size() - 2];
  d.n = transposeB ? b[b.size() - 2] : b[b.size() - 1];
  if (bk != d.k) shapeError(op, "inner dimensions differ (" + std::to_string(d.k) + " vs " + std::to_string(bk) + "): " + both());
  if (d.batchA != d.batchB && d.batchA != 1 && d.batchB != 1)
    shapeError(op, "batch dimensions differ: " + both());
  d.batch = std::max(d.batchA, d.batchB);
  if (d.batchA == 0 || d.batchB == 0) d.batch = 0;
  d.outShape = (a.size() == 2 && b.size() == 2) ? Shape{d.m, d.n} : Shape{d.batch, d.m, d.n};
  return d;
}

RowsDims lastAxisRows(std::string_view op, const Shape& x) {
  if (x.empty()) shapeError(op, "input must have at least one dimension, got " + shapeString(x));
  RowsDims d;
  d.n = x.back();
  d.rows = shapeNumel(Shape(x.begin(), x.end() - 1));
  return d;
}

RowsDims layerNormDims(std::string_view op, const Shape& x, const Shape& gamma, const Shape& beta) {
  const RowsDims d = lastAxisRows(op, x);
  if (gamma != Shape{d.n} || beta != Shape{d.n})
    shapeError(op, "gamma " + shapeString(gamma) + " and beta " + shapeString(beta) + " must be [" +
                       std::to_string(d.n) + "] for x " + shapeString(x));
  return d;
}

RowsDims broadcastDims(std::string_view op, const Shape& a, const Shape& b) {
  if (b.empty() || b.size() > a.size() || !std::equal(b.begin(), b.end(), a.end() - static_cast<std::ptrdiff_t>(b.size())))
    shapeError(op, "b " + shapeString(b) + " must equal a " + shapeString(a) + " or its trailing dimensions");
  RowsDims d;
  d.n = shapeNumel(b);
  d.rows = shapeNumel(Shape(a.begin(), a.end() - static_cast<std::ptrdiff_t>(b.size())));
  return d;
}

void checkEmbedding(std::string_view op, const Shape& table, std::span<const std::int64_t> ids) {
  if (table.size() != 2) shapeError(op, "table must be [vocab, dim], got " + shapeString(table));
  const std::int64_t vocab = table[0];
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (ids[i] < 0 || ids[i] >= vocab)
      throw InputError(std::string(op), "token id " + std::to_string(ids[i]) + " (position " + std::to_string(i) +
                                            ") is outside the vocabulary of size " + std::to_string(vocab));
}

Shape concatShape(std::string_view op, std::span<const Tensor> parts, int& axis) {
  if (parts.empty()) shapeError(op, "nothing to concatenate");
  const Shape& first = parts[0].shape();
  axis = normalizeAxis(op, axis, first);
  Shape out = first;
  out[static_cast<std::size_t>(axis)] = 0;
  for (const Tensor& part : parts) {
    const Shape& s = part.shape();
    bool same = s.size() == first.size();
    for (std::size_t i = 0; same && i < s.size(); ++i) same = (static_cast<int>(i) == axis || s[i] == first[i]);
    if (!same) {
      std::string all;
      for (const Tensor& p : parts) all += (all.empty() ? "" : ", ") + shapeString(p.shape());
      shapeError(op, "parts differ outside axis " + std::to_string(axis) + ": " + all);
    }
    out[static_cast<std::size_t>(axis)] += s[static_cast<std::size_t>(axis)];
  }
  return out;
}

void checkSplit(std::string_view op, const Shape& x, int& axis, std::span<const std::int64_t> sizes) {
  axis = normalizeAxis(op, axis, x);
  std::int64_t total = 0;
  std::string list;
  for (std::int64_t s : sizes) {
    list += (list.empty() ? "" : ", ") + std::to_string(s);
    if (s < 0) total = -1;
    if (total >= 0) total += s;
  }
  if (total != x[static_cast<std::size_t>(axis)])
    shapeError(op, "sizes [" + list + "] do not add up to dimension " + std::to_string(axis) + " of " + shapeString(x));
}

Shape permuteShape(std::string_view op, const Shape& x, std::span<const int> order) {
  std::vector<int> sorted(order.begin(), order.end());
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> identity(x.size());
  std::iota(identity.begin(), identity.end(), 0);
  if (sorted != identity) {
    std::string list;
    for (int o : order) list += (list.empty() ? "" : ", ") + std::to_string(o);
    shapeError(op, "order [" + list + "] is not a permutation of the axes of " + shapeString(x));
  }
  Shape out(x.size());
  for (std::size_t i = 0; i < order.size(); ++i) out[i] = x[static_cast<std::size_t>(order[i])];
  return out;
}

void checkRnnWeights(std::string_view op, const RnnSpec& spec, std::span<const RnnLayerWeights> layers) {
  if (spec.inputSize <= 0 || spec.hiddenSize <= 0 || spec.numLayers <= 0)
    shapeError(op, "input size " + std::to_string(spec.inputSize) + ", hidden size " + std::to_string(spec.hiddenSize) +
                       " and layer count " + std::to_string(spec.numLayers) + " must be positive");
  const std::size_t entries = static_cast<std::size_t>(spec.numLayers * spec.directions());
  if (layers.size() != entries)
    shapeError(op, "expected " + std::to_string(entries) + " layer weight sets (layers x directions), got " +
                       std::to_string(layers.size()));
  const auto names = rnnWeightNames(spec);
  const std::size_t perEntry = names.size() / entries;
  for (std::size_t i = 0; i < entries; ++i) {
    const Tensor* tensors[] = {&layers[i].wIh, &layers[i].wHh, &layers[i].bIh, &layers[i].bHh};
    for (std::size_t j = 0; j < perEntry; ++j) {
      const auto& [name, shape] = names[i * perEntry + j];
      if (tensors[j]->shape() != shape)
        shapeError(op, name + ": expected " + shapeString(shape) + ", got " + shapeString(tensors[j]->shape()));
    }
  }
}

RnnDims rnnInputDims(std::string_view op, const RnnSpec& spec, const Shape& x, const RnnState* initial) {
  if (x.size() != 3 || x[2] != spec.inputSize)
    shapeError(op, "x must be [T, batch, " + std::to_string(spec.inputSize) + "], got " + shapeString(x));
  RnnDims d;
  d.steps = x[0];
  d.batch = x[1];
  if (!initial) return d;
  const Shape state{spec.numLayers * spec.directions(), d.batch, spec.hiddenSize};
  d.hasH = !initial->h.empty() || initial->h.rank() > 0;
  d.hasC = spec.cell == RnnCell::LSTM && (!initial->c.empty() || initial->c.rank() > 0);
  if (d.hasH && initial->h.shape() != state)
    shapeError(op, "initial h must be " + shapeString(state) + " for x " + shapeString(x) + ", got " +
                       shapeString(initial->h.shape()));
  if (d.hasC && initial->c.shape() != state)
    shapeError(op, "initial c must be " + shapeString(state) + " for x " + shapeString(x) + ", got " +
                       shapeString(initial->c.shape()));
  return d;
}

}  // namespace attnviz::ops::detail
