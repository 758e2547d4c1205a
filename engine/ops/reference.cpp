// Plain references for the dense and data-movement ops (ref::rnn is in reference_rnn.cpp).
#include "engine/ops/reference.h"

#include <cmath>

#include "engine/ops/shape_checks.h"

namespace attnviz::ref {
namespace {
// Row-major strides of a shape.
std::vector<std::int64_t> stridesOf(const Shape& shape) {
  std::vector<std::int64_t> strides(shape.size(), 1);
  for (std::size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  return strides;
}

Tensor like(const Shape& shape) { return shape.empty() ? Tensor() : Tensor(shape); }

template <class F>
Tensor map(const Tensor& x, F f) {
  Tensor y = like(x.shape());
  for (std::int64_t i = 0; i < x.numel(); ++i) y.data()[i] = static_cast<float>(f(static_cast<double>(x.data()[i])));
  return y;
}

template <class F>
Tensor broadcast(std::string_view op, const Tensor& a, const Tensor& b, F f) {
  const auto d = ops::detail::broadcastDims(op, a.shape(), b.shape());
  Tensor c = like(a.shape());
  for (std::int64_t r = 0; r < d.rows; ++r)
    for (std::int64_t j = 0; j < d.n; ++j)
      c.data()[r * d.n + j] = static_cast<float>(f(double(a.data()[r * d.n + j]), double(b.data()[j])));
  return c;
}
}  // namespace

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor* bias) {
  const auto d = ops::detail::linearDims("ref::linear", x.shape(), weight.shape(), bias ? &bias->shape() : nullptr);
  Tensor y(d.outShape);
  for (std::int64_t r = 0; r < d.rows; ++r)
    for (std::int64_t o = 0; o < d.out; ++o) {
      double sum = bias ? bias->data()[o] : 0.0;
      for (std::int64_t i = 0; i < d.in; ++i) sum += double(x.data()[r * d.in + i]) * weight.data()[o * d.in + i];
      y.data()[r * d.out + o] = static_cast<float>(sum);
    }
  return y;
}

Tensor matmul(const Tensor& a, const Tensor& b, float scale, bool transposeB) {
  const auto d = ops::detail::matmulDims("ref::matmul", a.shape(), b.shape(), transposeB);
  Tensor c(d.outShape);
  for (std::int64_t batch = 0; batch < d.batch; ++batch) {
    const float* A = a.data() + (d.batchA == 1 ? 0 : batch) * d.m * d.k;  // [M, K]
    const float* B = b.data() + (d.batchB == 1 ? 0 : batch) * d.k * d.n;  // [K, N] or [N, K]
    float* C = c.data() + batch * d.m * d.n;
    for (std::int64_t i = 0; i < d.m; ++i)
      for (std::int64_t j = 0; j < d.n; ++j) {
        double sum = 0.0;
        for (std::int64_t k = 0; k < d.k; ++k) sum += double(A[i * d.k + k]) * (transposeB ? B[j * d.k + k] : B[k * d.n + j]);
        C[i * d.n + j] = static_cast<float>(scale * sum);
      }
  }
  return c;
}

Tensor softmax(const Tensor& x) {
  const auto d = ops::detail::lastAxisRows("ref::softmax", x.shape());
  Tensor y = like(x.shape());
  for (std::int64_t r = 0; r < d.rows; ++r) {
    const float* in = x.data() + r * d.n;
    double top = -INFINITY, sum = 0.0;
    for (std::int64_t j = 0; j < d.n; ++j) top = std::max(top, double(in[j]));
    for (std::int64_t j = 0; j < d.n; ++j) sum += std::exp(in[j] - top);
    for (std::int64_t j = 0; j < d.n; ++j) y.data()[r * d.n + j] = static_cast<float>(std::exp(in[j] - top) / sum);
  }
  return y;
}

// Head by head with plain loops, in double: scores, softmax, weighted sum of v.
Tensor multiHeadAttention(const Tensor& qkv, std::int64_t heads, float scale, Tensor& probs) {
  const std::int64_t n = qkv.dim(0), hidden = qkv.dim(1) / 3, d = hidden / heads;
  const float* base = qkv.data();
  Tensor context({n, hidden});
  for (std::int64_t h = 0; h < heads; ++h) {
    const auto at = [&](std::int64_t part, std::int64_t token, std::int64_t j) {
      return double(base[token * 3 * hidden + part * hidden + h * d + j]);
    };
    float* p = probs.data() + h * n * n;
    for (std::int64_t i = 0; i < n; ++i) {
      std::vector<double> row(static_cast<std::size_t>(n));
      double top = -INFINITY, sum = 0.0;
      for (std::int64_t j = 0; j < n; ++j) {
        double dot = 0.0;
        for (std::int64_t c = 0; c < d; ++c) dot += at(0, i, c) * at(1, j, c);
        row[static_cast<std::size_t>(j)] = scale * dot;
        top = std::max(top, row[static_cast<std::size_t>(j)]);
      }
      for (double& v : row) sum += (v = std::exp(v - top));
      for (std::int64_t j = 0; j < n; ++j) p[i * n + j] = static_cast<float>(row[static_cast<std::size_t>(j)] / sum);
      for (std::int64_t c = 0; c < d; ++c) {
        double out = 0.0;
        for (std::int64_t j = 0; j < n; ++j) out += row[static_cast<std::size_t>(j)] / sum * at(2, j, c);
        context.data()[i * hidden + h * d + c] = static_cast<float>(out);
      }
    }
  }
  return context;
}

Tensor layerNorm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps) {
  const auto d = ops::detail::layerNormDims("ref::layerNorm", x.shape(), gamma.shape(), beta.shape());
  Tensor y = like(x.shape());
  for (std::int64_t r = 0; r < d.rows; ++r) {
    const float* in = x.data() + r * d.n;
    double mean = 0.0, variance = 0.0;
    for (std::int64_t j = 0; j < d.n; ++j) mean += in[j];
    mean /= double(d.n);
    for (std::int64_t j = 0; j < d.n; ++j) variance += (in[j] - mean) * (in[j] - mean);
    variance /= double(d.n);  // biased, as torch.nn.LayerNorm
    const double inv = 1.0 / std::sqrt(variance + eps);
    for (std::int64_t j = 0; j < d.n; ++j)
      y.data()[r * d.n + j] = static_cast<float>((in[j] - mean) * inv * gamma.data()[j] + beta.data()[j]);
  }
  return y;
}

Tensor gelu(const Tensor& x) {
  return map(x, [](double v) { return 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0))); });
}
Tensor tanh(const Tensor& x) {
  return map(x, [](double v) { return std::tanh(v); });
}
Tensor sigmoid(const Tensor& x) {
  return map(x, [](double v) { return 1.0 / (1.0 + std::exp(-v)); });
}
Tensor add(const Tensor& a, const Tensor& b) {
  return broadcast("ref::add", a, b, [](double p, double q) { return p + q; });
}
Tensor mul(const Tensor& a, const Tensor& b) {
  return broadcast("ref::mul", a, b, [](double p, double q) { return p * q; });
}

Tensor embedding(const Tensor& table, std::span<const std::int64_t> ids) {
  ops::detail::checkEmbedding("ref::embedding", table.shape(), ids);
  const std::int64_t dim = table.dim(1);
  Tensor out({static_cast<std::int64_t>(ids.size()), dim});
  for (std::size_t i = 0; i < ids.size(); ++i)
    for (std::int64_t j = 0; j < dim; ++j) out.data()[static_cast<std::int64_t>(i) * dim + j] = table.data()[ids[i] * dim + j];
  return out;
}

// Every output element is copied from the part whose range along `axis` holds it.
Tensor concat(std::span<const Tensor> parts, int axis) {
  const Shape outShape = ops::detail::concatShape("ref::concat", parts, axis);
  Tensor out(outShape);
  const auto outStrides = stridesOf(outShape);
  const auto a = static_cast<std::size_t>(axis);
  for (std::int64_t flat = 0; flat < out.numel(); ++flat) {
    std::vector<std::int64_t> index(outShape.size());
    for (std::size_t k = 0; k < outShape.size(); ++k) index[k] = flat / outStrides[k] % outShape[k];
    std::size_t p = 0;
    while (index[a] >= parts[p].shape()[a]) index[a] -= parts[p++].shape()[a];
    const auto partStrides = stridesOf(parts[p].shape());
    std::int64_t src = 0;
    for (std::size_t k = 0; k < index.size(); ++k) src += index[k] * partStrides[k];
    out.data()[flat] = parts[p].data()[src];
  }
  return out;
}

// Every element of part p is x's element at the same index, shifted by the sizes before p along `axis`.
std::vector<Tensor> split(const Tensor& x, int axis, std::span<const std::int64_t> sizes) {
  ops::detail::checkSplit("ref::split", x.shape(), axis, sizes);
  const auto a = static_cast<std::size_t>(axis);
  const auto xStrides = stridesOf(x.shape());
  std::vector<Tensor> out;
  std::int64_t offset = 0;
  for (std::int64_t size : sizes) {
    Shape partShape = x.shape();
    partShape[a] = size;
    Tensor part(partShape);
    const auto strides = stridesOf(partShape);
    for (std::int64_t flat = 0; flat < part.numel(); ++flat) {
      std::int64_t src = 0;
      for (std::size_t k = 0; k < partShape.size(); ++k)
        src += (flat / strides[k] % partShape[k] + (k == a ? offset : 0)) * xStrides[k];
      part.data()[flat] = x.data()[src];
    }
    out.push_back(std::move(part));
    offset += size;
  }
  return out;
}

// out[i_0, .., i_r] = x[j] with j[order[k]] = i_k.
Tensor permute(const Tensor& x, std::span<const int> order) {
  const Shape outShape = ops::detail::permuteShape("ref::permute", x.shape(), order);
  if (x.rank() == 0) return x.empty() ? Tensor() : x.clone();
  Tensor out(outShape);
  const auto outStrides = stridesOf(outShape);
  const auto xStrides = stridesOf(x.shape());
  for (std::int64_t flat = 0; flat < out.numel(); ++flat) {
    std::int64_t src = 0;
    for (std::size_t k = 0; k < outShape.size(); ++k)
      src += (flat / outStrides[k] % outShape[k]) * xStrides[static_cast<std::size_t>(order[k])];
    out.data()[flat] = x.data()[src];
  }
  return out;
}

}  // namespace attnviz::ref
