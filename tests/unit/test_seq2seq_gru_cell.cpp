// seq2seq::GruCell (two ops::Linear + gate math) against ops::Rnn with T = 1, the exact PyTorch nn.GRU port,
// on random weights and several batch sizes: the fast decoder cell and its reference agree.
#include <gtest/gtest.h>

#include <random>

#include "engine/models/seq2seq/gru_cell.h"
#include "engine/ops/ops.h"

using attnviz::Tensor;

namespace {
Tensor random(const attnviz::Shape& shape, std::mt19937& rng, float scale = 0.5f) {
  std::uniform_real_distribution<float> u(-scale, scale);
  Tensor t(shape);
  for (float& v : t.values()) v = u(rng);
  return t;
}
}  // namespace

TEST(Seq2seqGruCell, MatchesRnnWithOneStep) {
  std::mt19937 rng(7);
  for (auto [in, hidden] : {std::pair<std::int64_t, std::int64_t>{5, 3}, {40, 16}, {384, 256}}) {
    const Tensor wIh = random({3 * hidden, in}, rng), wHh = random({3 * hidden, hidden}, rng);
    const Tensor bIh = random({3 * hidden}, rng), bHh = random({3 * hidden}, rng);
    const attnviz::seq2seq::GruCell cell(wIh, wHh, bIh, bHh);
    attnviz::ops::RnnSpec spec;
    spec.inputSize = in;
    spec.hiddenSize = hidden;
    const attnviz::ops::Rnn rnn(spec, {{wIh, wHh, bIh, bHh}});
    for (std::int64_t batch : {1, 3, 5}) {
      const Tensor x = random({batch, in}, rng, 1.0f), h = random({batch, hidden}, rng, 1.0f);
      const Tensor got = cell(x, h);
      attnviz::ops::RnnState initial{h.reshape({1, batch, hidden}), {}};
      const Tensor expected = rnn(x.reshape({1, batch, in}), &initial).output.reshape({batch, hidden});
      ASSERT_EQ(got.shape(), expected.shape());
      double diff = 0;
      for (std::int64_t i = 0; i < got.numel(); ++i)
        diff = std::max(diff, static_cast<double>(std::abs(got.data()[i] - expected.data()[i])));
      EXPECT_LE(diff, 1e-5) << "in " << in << ", hidden " << hidden << ", batch " << batch;
    }
  }
}
