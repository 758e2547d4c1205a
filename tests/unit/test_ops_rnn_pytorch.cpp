// ref::rnn and ops::Rnn against PyTorch nn.GRU / nn.LSTM outputs saved by tests/data/rnn/make_rnn_fixtures.py
// (one .npz per case: spec, state-dict weights, x, h0/c0, expected output and h_n/c_n).
#include <gtest/gtest.h>

#include <map>

#include "engine/io/tensor_files.h"
#include "engine/ops/ops.h"
#include "engine/ops/reference.h"
#include "tests/unit/test_ops_util.h"

namespace {
using attnviz::Tensor;
namespace ops = attnviz::ops;
namespace ref = attnviz::ref;
using opstest::expectClose;

struct Fixture {
  ops::RnnSpec spec;
  std::vector<ops::RnnLayerWeights> layers;
  Tensor x;
  ops::RnnState initial;
  bool hasInitial = false;
  ops::RnnOutput expected;
};

Fixture load(const std::string& name) {
  const auto file = attnviz::readNpz(std::string(ATTNVIZ_TEST_DATA) + "/rnn/" + name + ".npz");
  std::map<std::string, Tensor> t(file.tensors.begin(), file.tensors.end());
  const auto get = [&](const std::string& key) {
    auto it = t.find(key);
    if (it == t.end()) throw std::runtime_error(name + ".npz has no '" + key + "'");
    return it->second;
  };
  Fixture f;
  const std::vector<float> spec = get("spec").toVector();  // cell, input, hidden, layers, bidirectional, bias, initial
  f.spec.cell = spec.at(0) == 0.0f ? ops::RnnCell::GRU : ops::RnnCell::LSTM;
  f.spec.inputSize = static_cast<std::int64_t>(spec.at(1));
  f.spec.hiddenSize = static_cast<std::int64_t>(spec.at(2));
  f.spec.numLayers = static_cast<int>(spec.at(3));
  f.spec.bidirectional = spec.at(4) != 0.0f;
  f.spec.bias = spec.at(5) != 0.0f;
  f.hasInitial = spec.at(6) != 0.0f;
  // Weights by their state-dict names, in the order rnnWeightNames() gives.
  const auto names = ops::rnnWeightNames(f.spec);
  const std::size_t perEntry = f.spec.bias ? 4 : 2;
  for (std::size_t i = 0; i < names.size(); i += perEntry) {
    ops::RnnLayerWeights w{get(names[i].first), get(names[i + 1].first), Tensor(), Tensor()};
    if (f.spec.bias) {
      w.bIh = get(names[i + 2].first);
      w.bHh = get(names[i + 3].first);
    }
    f.layers.push_back(std::move(w));
  }
  f.x = get("x");
  const bool lstm = f.spec.cell == ops::RnnCell::LSTM;
  if (f.hasInitial) {
    f.initial.h = get("h0");
    if (lstm) f.initial.c = get("c0");
  }
  f.expected.output = get("output");
  f.expected.final.h = get("h_n");
  if (lstm) f.expected.final.c = get("c_n");
  return f;
}

void check(const std::string& label, const ops::RnnOutput& got, const ops::RnnOutput& want, bool lstm) {
  expectClose(label + " output", got.output, want.output);
  expectClose(label + " h_n", got.final.h, want.final.h);
  if (lstm) expectClose(label + " c_n", got.final.c, want.final.c);
}

class RnnPyTorch : public ::testing::TestWithParam<const char*> {};

TEST_P(RnnPyTorch, ReferenceAndOpsMatchPyTorch) {
  const std::string name = GetParam();
  const Fixture f = load(name);
  const ops::RnnState* initial = f.hasInitial ? &f.initial : nullptr;
  const bool lstm = f.spec.cell == ops::RnnCell::LSTM;
  check("ref::rnn vs torch " + name, ref::rnn(f.spec, f.layers, f.x, initial), f.expected, lstm);
  check("ops::Rnn vs torch " + name, ops::Rnn(f.spec, f.layers)(f.x, initial), f.expected, lstm);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RnnPyTorch,
                         ::testing::Values("gru_uni_l1", "gru_bi_l2", "gru_uni_l2_nobias_zero_state", "lstm_uni_l1",
                                           "lstm_bi_l2", "lstm_bi_l1_zero_state"));

}  // namespace
