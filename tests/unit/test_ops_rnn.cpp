// ops::Rnn (oneDNN lbr_gru / lstm primitives) against ref::rnn (PyTorch's equations) on random shapes:
// GRU and LSTM, uni- and bidirectional, 1 to 3 layers, with and without initial state, batch 1 and 3.
#include <gtest/gtest.h>

#include "engine/ops/ops.h"
#include "engine/ops/reference.h"
#include "tests/unit/test_ops_util.h"

namespace {
using attnviz::Shape;
using attnviz::Tensor;
namespace ops = attnviz::ops;
namespace ref = attnviz::ref;
using opstest::expectClose;
using opstest::random;

// Random weights in the PyTorch layout rnnWeightNames() describes, in nn.GRU/nn.LSTM's init range (scaled up
// so the gates leave their linear region).
std::vector<ops::RnnLayerWeights> randomWeights(const ops::RnnSpec& spec, std::mt19937& rng) {
  const float bound = 2.0f / std::sqrt(float(spec.hiddenSize));
  const auto names = ops::rnnWeightNames(spec);
  const std::size_t perEntry = spec.bias ? 4 : 2;
  std::vector<ops::RnnLayerWeights> layers;
  for (std::size_t i = 0; i < names.size(); i += perEntry) {
    ops::RnnLayerWeights w;
    w.wIh = random(names[i].second, rng, -bound, bound);
    w.wHh = random(names[i + 1].second, rng, -bound, bound);
    if (spec.bias) {
      w.bIh = random(names[i + 2].second, rng, -bound, bound);
      w.bHh = random(names[i + 3].second, rng, -bound, bound);
    }
    layers.push_back(std::move(w));
  }
  return layers;
}

std::string describe(const ops::RnnSpec& spec, std::int64_t steps, std::int64_t batch, bool initial) {
  return std::string(spec.cell == ops::RnnCell::GRU ? "gru" : "lstm") + (spec.bidirectional ? " bi" : " uni") + " L" +
         std::to_string(spec.numLayers) + " in " + std::to_string(spec.inputSize) + " H " +
         std::to_string(spec.hiddenSize) + " T " + std::to_string(steps) + " B " + std::to_string(batch) +
         (initial ? " h0" : "") + (spec.bias ? "" : " no bias");
}

void compare(const ops::Rnn& rnn, const std::vector<ops::RnnLayerWeights>& layers, std::int64_t steps,
             std::int64_t batch, bool initial, std::mt19937& rng) {
  const ops::RnnSpec& spec = rnn.spec();
  const Shape stateShape{spec.numLayers * spec.directions(), batch, spec.hiddenSize};
  Tensor x = random({steps, batch, spec.inputSize}, rng, -2.0f, 2.0f);
  ops::RnnState state;
  if (initial) {
    state.h = random(stateShape, rng);
    if (spec.cell == ops::RnnCell::LSTM) state.c = random(stateShape, rng);
  }
  const ops::RnnState* init = initial ? &state : nullptr;
  const ops::RnnOutput got = rnn(x, init);
  const ops::RnnOutput want = ref::rnn(spec, layers, x, init);
  const std::string label = describe(spec, steps, batch, initial);
  expectClose(label + " output", got.output, want.output);
  expectClose(label + " h_n", got.final.h, want.final.h);
  if (spec.cell == ops::RnnCell::LSTM) expectClose(label + " c_n", got.final.c, want.final.c);
  else EXPECT_TRUE(got.final.c.empty());
}

TEST(OpsRnn, MatchesReferenceOnRandomShapes) {
  std::mt19937 rng(21);
  int n = 0;
  for (auto cell : {ops::RnnCell::GRU, ops::RnnCell::LSTM})
    for (bool bidirectional : {false, true})
      for (int numLayers : {1, 2, 3}) {
        ops::RnnSpec spec;
        spec.cell = cell;
        spec.bidirectional = bidirectional;
        spec.numLayers = numLayers;
        spec.inputSize = 3 + (n % 4) * 5;   // 3, 8, 13, 18
        spec.hiddenSize = 4 + (n % 3) * 6;  // 4, 10, 16
        ++n;
        const auto layers = randomWeights(spec, rng);
        const ops::Rnn rnn(spec, layers);
        for (bool initial : {false, true})
          for (std::int64_t batch : {1, 3}) compare(rnn, layers, 2 + (n + batch) % 6, batch, initial, rng);
      }
}

TEST(OpsRnn, WithoutBias) {
  std::mt19937 rng(22);
  for (auto cell : {ops::RnnCell::GRU, ops::RnnCell::LSTM}) {
    ops::RnnSpec spec{cell, 6, 5, 2, true, false};
    const auto layers = randomWeights(spec, rng);
    compare(ops::Rnn(spec, layers), layers, 4, 2, true, rng);
  }
}

// Several lengths on one Rnn, back and forth: cached primitives, and T = 1, for which oneDNN 2.6 picks
// another (packed) weight layout than for the other lengths, so that entry converts its own copy.
TEST(OpsRnn, ReusesPrimitivesAcrossLengths) {
  std::mt19937 rng(23);
  for (auto cell : {ops::RnnCell::GRU, ops::RnnCell::LSTM})
    for (std::int64_t in : {3, 7}) {
      ops::RnnSpec spec{cell, in, 4 + in, 2, true, true};
      const auto layers = randomWeights(spec, rng);
      const ops::Rnn rnn(spec, layers);
      for (std::int64_t steps : {5, 1, 12, 5, 1}) compare(rnn, layers, steps, 2, true, rng);
    }
}

TEST(OpsRnn, LongerSequenceAndLargerHidden) {
  std::mt19937 rng(24);
  for (auto cell : {ops::RnnCell::GRU, ops::RnnCell::LSTM}) {
    ops::RnnSpec spec{cell, 32, 64, 2, true, true};
    const auto layers = randomWeights(spec, rng);
    compare(ops::Rnn(spec, layers), layers, 40, 3, true, rng);
  }
}

TEST(OpsRnn, LstmWithOnlyInitialHidden) {
  std::mt19937 rng(25);
  ops::RnnSpec spec{ops::RnnCell::LSTM, 4, 3, 1, false, true};
  const auto layers = randomWeights(spec, rng);
  ops::RnnState state{random({1, 2, 3}, rng), Tensor()};  // c0 left empty: zeros
  Tensor x = random({3, 2, 4}, rng);
  expectClose("lstm h0 only output", ops::Rnn(spec, layers)(x, &state).output, ref::rnn(spec, layers, x, &state).output);
}

TEST(OpsRnn, EmptySequencePassesStateThrough) {
  std::mt19937 rng(26);
  ops::RnnSpec spec{ops::RnnCell::GRU, 4, 3, 2, true, true};
  const auto layers = randomWeights(spec, rng);
  ops::RnnState state{random({4, 2, 3}, rng), Tensor()};
  const auto out = ops::Rnn(spec, layers)(Tensor({0, 2, 4}), &state);
  EXPECT_EQ(out.output.shape(), (Shape{0, 2, 6}));
  EXPECT_EQ(out.final.h.toVector(), state.h.toVector());
}

TEST(OpsRnn, WeightNamesFollowPyTorch) {
  ops::RnnSpec spec{ops::RnnCell::GRU, 10, 4, 2, true, true};
  const auto names = ops::rnnWeightNames(spec);
  ASSERT_EQ(names.size(), 16u);
  EXPECT_EQ(names[0].first, "weight_ih_l0");
  EXPECT_EQ(names[0].second, (Shape{12, 10}));
  EXPECT_EQ(names[5].first, "weight_hh_l0_reverse");
  EXPECT_EQ(names[8].first, "weight_ih_l1");
  EXPECT_EQ(names[8].second, (Shape{12, 8}));
  EXPECT_EQ(names[15].first, "bias_hh_l1_reverse");
  EXPECT_EQ(names[15].second, (Shape{12}));
  spec.cell = ops::RnnCell::LSTM;
  spec.bias = false;
  spec.bidirectional = false;
  const auto lstm = ops::rnnWeightNames(spec);
  ASSERT_EQ(lstm.size(), 4u);
  EXPECT_EQ(lstm[3].first, "weight_hh_l1");
  EXPECT_EQ(lstm[3].second, (Shape{16, 4}));
}

}  // namespace
