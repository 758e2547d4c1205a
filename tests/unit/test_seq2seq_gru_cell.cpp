// seq2seq::GruCell (nn.GRUCell run as ops::Rnn with one step) against the plain reference ref::rnn and against
// ATen's GRUCell equations written out here, on random weights and several sizes and batch sizes.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "engine/core/error.h"
#include "engine/models/seq2seq/gru_cell.h"
#include "engine/ops/ops.h"
#include "engine/ops/reference.h"

using attnviz::Tensor;

namespace {

Tensor random(const attnviz::Shape& shape, std::mt19937& rng, float scale = 0.5f) {
  std::uniform_real_distribution<float> u(-scale, scale);
  Tensor t(shape);
  for (float& v : t.values()) v = u(rng);
  return t;
}

// ATen's GRUCell: gi = W_ih x + b_ih, gh = W_hh h + b_hh, gates [r, z, n]; h' = (h - n) * z + n. In double.
Tensor gruCellEquations(const Tensor& x, const Tensor& h, const Tensor& wIh, const Tensor& wHh, const Tensor& bIh,
                        const Tensor& bHh) {
  const std::int64_t batch = h.dim(0), d = h.dim(1), in = x.dim(1);
  Tensor out({batch, d});
  for (std::int64_t b = 0; b < batch; ++b) {
    std::vector<double> gi(static_cast<std::size_t>(3 * d)), gh(gi.size());
    for (std::int64_t g = 0; g < 3 * d; ++g) {
      double si = bIh.data()[g], sh = bHh.data()[g];
      for (std::int64_t k = 0; k < in; ++k) si += static_cast<double>(wIh.data()[g * in + k]) * x.data()[b * in + k];
      for (std::int64_t k = 0; k < d; ++k) sh += static_cast<double>(wHh.data()[g * d + k]) * h.data()[b * d + k];
      gi[static_cast<std::size_t>(g)] = si;
      gh[static_cast<std::size_t>(g)] = sh;
    }
    for (std::int64_t k = 0; k < d; ++k) {
      const auto at = [&](const std::vector<double>& v, std::int64_t i) { return v[static_cast<std::size_t>(i)]; };
      const double r = 1 / (1 + std::exp(-(at(gi, k) + at(gh, k))));
      const double z = 1 / (1 + std::exp(-(at(gi, d + k) + at(gh, d + k))));
      const double n = std::tanh(at(gi, 2 * d + k) + r * at(gh, 2 * d + k));
      out.data()[b * d + k] = static_cast<float>((h.data()[b * d + k] - n) * z + n);
    }
  }
  return out;
}

double maxDiff(const Tensor& a, const Tensor& b) {
  EXPECT_EQ(a.shape(), b.shape());
  double diff = 0;
  for (std::int64_t i = 0; i < a.numel(); ++i) diff = std::max(diff, static_cast<double>(std::abs(a.data()[i] - b.data()[i])));
  return diff;
}

}  // namespace

TEST(Seq2seqGruCell, MatchesReferenceRnnAndTheGruCellEquations) {
  std::mt19937 rng(7);
  for (auto [in, hidden] : {std::pair<std::int64_t, std::int64_t>{5, 3}, {40, 16}, {384, 256}}) {
    const Tensor wIh = random({3 * hidden, in}, rng), wHh = random({3 * hidden, hidden}, rng);
    const Tensor bIh = random({3 * hidden}, rng), bHh = random({3 * hidden}, rng);
    const attnviz::seq2seq::GruCell cell(wIh, wHh, bIh, bHh);
    EXPECT_EQ(cell.inputSize(), in);
    EXPECT_EQ(cell.hiddenSize(), hidden);
    attnviz::ops::RnnSpec spec;
    spec.inputSize = in;
    spec.hiddenSize = hidden;
    const std::vector<attnviz::ops::RnnLayerWeights> layers{{wIh, wHh, bIh, bHh}};
    for (std::int64_t batch : {1, 3, 5}) {
      const Tensor x = random({batch, in}, rng, 1.0f), h = random({batch, hidden}, rng, 1.0f);
      const Tensor got = cell(x, h);
      const attnviz::ops::RnnState initial{h.reshape({1, batch, hidden}), {}};
      const Tensor reference = attnviz::ref::rnn(spec, layers, x.reshape({1, batch, in}), &initial).output.reshape({batch, hidden});
      const std::string what = "in " + std::to_string(in) + ", hidden " + std::to_string(hidden) + ", batch " + std::to_string(batch);
      EXPECT_LE(maxDiff(got, reference), 1e-5) << what;
      EXPECT_LE(maxDiff(got, gruCellEquations(x, h, wIh, wHh, bIh, bHh)), 1e-5) << what;
    }
  }
}

TEST(Seq2seqGruCell, ShapeMismatchIsAnInternalError) {
  std::mt19937 rng(1);
  const attnviz::seq2seq::GruCell cell(random({12, 5}, rng), random({12, 4}, rng), random({12}, rng), random({12}, rng));
  EXPECT_THROW(cell(Tensor({1, 4}), Tensor({1, 4})), attnviz::InternalError);
  EXPECT_THROW(cell(Tensor({2, 5}), Tensor({1, 4})), attnviz::InternalError);
}
