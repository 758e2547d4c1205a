// ref::rnn: PyTorch nn.GRU / nn.LSTM, equation by equation, in double precision.
//   GRU  (gates r, z, n):  r = σ(W_ir x + b_ir + W_hr h + b_hr)      z = σ(W_iz x + b_iz + W_hz h + b_hz)
//                          n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))      h' = (1 - z) ⊙ n + z ⊙ h
//   LSTM (gates i, f, g, o): i, f, o = σ(W_i* x + b_i* + W_h* h + b_h*), g = tanh(...)
//                          c' = f ⊙ c + i ⊙ g      h' = o ⊙ tanh(c')
// The reverse direction reads the sequence from t = T-1 down to 0. Layer k > 0 reads layer k-1's output.
#include <cmath>

#include "engine/ops/reference.h"
#include "engine/ops/shape_checks.h"

namespace attnviz::ref {
namespace {
using ops::RnnCell;
using ops::RnnLayerWeights;
using ops::RnnSpec;
using Vec = std::vector<double>;

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

// W: [rows, cols] (float, PyTorch layout) times v: [cols] plus optional b: [rows] -> [rows]
Vec affine(const Tensor& W, const Vec& v, const Tensor* b) {
  const std::int64_t rows = W.dim(0), cols = W.dim(1);
  Vec out(static_cast<std::size_t>(rows), 0.0);
  for (std::int64_t r = 0; r < rows; ++r) {
    double sum = b ? double(b->data()[r]) : 0.0;
    for (std::int64_t c = 0; c < cols; ++c) sum += double(W.data()[r * cols + c]) * v[static_cast<std::size_t>(c)];
    out[static_cast<std::size_t>(r)] = sum;
  }
  return out;
}

// One step of one cell for one batch row. gi = W_ih x + b_ih, gh = W_hh h + b_hh, both [gates * H].
void step(const RnnSpec& spec, const Vec& gi, const Vec& gh, Vec& h, Vec& c) {
  const auto H = static_cast<std::size_t>(spec.hiddenSize);
  for (std::size_t j = 0; j < H; ++j) {
    if (spec.cell == RnnCell::GRU) {
      const double r = sigmoid(gi[j] + gh[j]);
      const double z = sigmoid(gi[H + j] + gh[H + j]);
      const double n = std::tanh(gi[2 * H + j] + r * gh[2 * H + j]);
      h[j] = (1.0 - z) * n + z * h[j];
    } else {
      const double i = sigmoid(gi[j] + gh[j]);
      const double f = sigmoid(gi[H + j] + gh[H + j]);
      const double g = std::tanh(gi[2 * H + j] + gh[2 * H + j]);
      const double o = sigmoid(gi[3 * H + j] + gh[3 * H + j]);
      c[j] = f * c[j] + i * g;
      h[j] = o * std::tanh(c[j]);
    }
  }
}

// Value of a [.., .., n] tensor row as doubles.
Vec row(const Tensor& t, std::int64_t a, std::int64_t b) {
  const std::int64_t n = t.dim(2);
  const float* p = t.data() + (a * t.dim(1) + b) * n;
  return Vec(p, p + n);
}
}  // namespace

ops::RnnOutput rnn(const RnnSpec& spec, std::span<const RnnLayerWeights> layers, const Tensor& x,
                   const ops::RnnState* initial) {
  constexpr std::string_view kOp = "ref::rnn";
  ops::detail::checkRnnWeights(kOp, spec, layers);
  const auto d = ops::detail::rnnInputDims(kOp, spec, x.shape(), initial);
  const std::int64_t T = d.steps, B = d.batch, H = spec.hiddenSize, D = spec.directions();
  const bool lstm = spec.cell == RnnCell::LSTM;

  ops::RnnOutput result;
  result.final.h = Tensor({spec.numLayers * D, B, H});
  if (lstm) result.final.c = Tensor({spec.numLayers * D, B, H});
  // seq[t][b]: the current layer's input at step t for batch row b
  std::vector<std::vector<Vec>> seq(static_cast<std::size_t>(T), std::vector<Vec>(static_cast<std::size_t>(B)));
  for (std::int64_t t = 0; t < T; ++t)
    for (std::int64_t b = 0; b < B; ++b) seq[t][b] = row(x, t, b);

  for (int layer = 0; layer < spec.numLayers; ++layer) {
    std::vector<std::vector<Vec>> next(static_cast<std::size_t>(T),
                                       std::vector<Vec>(static_cast<std::size_t>(B), Vec(static_cast<std::size_t>(D * H))));
    for (int dir = 0; dir < D; ++dir) {
      const std::int64_t s = layer * D + dir;  // index into layers and into the state's first axis
      const RnnLayerWeights& w = layers[static_cast<std::size_t>(s)];
      const Tensor* bIh = spec.bias ? &w.bIh : nullptr;
      const Tensor* bHh = spec.bias ? &w.bHh : nullptr;
      for (std::int64_t b = 0; b < B; ++b) {
        Vec h = d.hasH ? row(initial->h, s, b) : Vec(static_cast<std::size_t>(H), 0.0);
        Vec c = d.hasC ? row(initial->c, s, b) : Vec(static_cast<std::size_t>(H), 0.0);
        for (std::int64_t k = 0; k < T; ++k) {
          const std::int64_t t = dir == 0 ? k : T - 1 - k;
          step(spec, affine(w.wIh, seq[t][b], bIh), affine(w.wHh, h, bHh), h, c);
          for (std::int64_t j = 0; j < H; ++j) next[t][b][dir * H + j] = h[j];
        }
        for (std::int64_t j = 0; j < H; ++j) {
          result.final.h.data()[(s * B + b) * H + j] = static_cast<float>(h[j]);
          if (lstm) result.final.c.data()[(s * B + b) * H + j] = static_cast<float>(c[j]);
        }
      }
    }
    seq = std::move(next);
  }
  result.output = Tensor({T, B, D * H});
  for (std::int64_t t = 0; t < T; ++t)
    for (std::int64_t b = 0; b < B; ++b)
      for (std::int64_t j = 0; j < D * H; ++j) result.output.data()[(t * B + b) * D * H + j] = static_cast<float>(seq[t][b][j]);
  return result;
}

}  // namespace attnviz::ref
