// Threading: setThreadCount/threadCount, and ops run from two threads at once (the UI's inference worker
// plus anything else) give the same answers as the references and do not crash.
#include <gtest/gtest.h>

#include <thread>

#include "engine/ops/ops.h"
#include "engine/ops/reference.h"
#include "tests/unit/test_ops_util.h"

namespace {
using attnviz::Tensor;
namespace ops = attnviz::ops;
namespace ref = attnviz::ref;
using opstest::random;

TEST(OpsThreads, ThreadCount) {
  ops::setThreadCount(1);
  EXPECT_EQ(ops::threadCount(), 1);
  ops::setThreadCount(0);  // all cores
  EXPECT_GE(ops::threadCount(), 1);
  ops::setThreadCount(2);
  EXPECT_EQ(ops::threadCount(), 2);
}

// Within tolerance of the reference, counted rather than asserted so worker threads stay gtest-safe.
int countOff(const Tensor& got, const Tensor& want) {
  if (got.shape() != want.shape()) return 1;
  int off = 0;
  for (std::int64_t i = 0; i < got.numel(); ++i)
    off += std::fabs(got.data()[i] - want.data()[i]) > opstest::kRelTol * std::max(1.0f, std::fabs(want.data()[i]));
  return off;
}

// Primitives are cached per thread count: changing it between calls (CLI --threads, a settings dialog) gets
// primitives made for the new count.
TEST(OpsThreads, ChangingThreadCountBetweenCalls) {
  std::mt19937 rng(33);
  Tensor w = random({40, 30}, rng), x = random({17, 30}, rng);
  const ops::Linear linear(w, std::nullopt);
  const Tensor want = ref::linear(x, w, nullptr);
  for (int threads : {1, 2, 3, 1}) {
    ops::setThreadCount(threads);
    EXPECT_EQ(countOff(linear(x), want), 0) << threads << " threads";
    EXPECT_EQ(countOff(ops::softmax(x), ref::softmax(x)), 0) << threads << " threads";
  }
}

// Regression: with oneDNN's default (library) scratchpad, a primitive cached by one thread and run by another
// overran the runner's scratchpad. The UI builds models on one thread and runs them on its worker.
TEST(OpsThreads, PrimitivesMadeOnOneThreadRunOnAnother) {
  std::mt19937 rng(32);
  ops::RnnSpec spec{ops::RnnCell::GRU, 6, 5, 2, true, true};
  std::vector<ops::RnnLayerWeights> layers;
  const auto names = ops::rnnWeightNames(spec);
  for (std::size_t i = 0; i < names.size(); i += 4)
    layers.push_back({random(names[i].second, rng), random(names[i + 1].second, rng), random(names[i + 2].second, rng),
                      random(names[i + 3].second, rng)});
  const ops::Rnn rnn(spec, layers);
  Tensor x = random({7, 3, 6}, rng);
  const Tensor want = ref::rnn(spec, layers, x).output;
  ASSERT_EQ(countOff(rnn(x).output, want), 0);  // made (and cached) on this thread
  int off = -1;
  std::string failure;
  std::thread worker([&] {
    try {
      for (int i = 0; i < 5; ++i) off = countOff(rnn(x).output, want);  // the cached primitives, another thread
    } catch (const std::exception& e) {
      failure = e.what();
    }
  });
  worker.join();
  EXPECT_EQ(failure, "");
  EXPECT_EQ(off, 0);
}

TEST(OpsThreads, ConcurrentCallsFromTwoThreads) {
  ops::setThreadCount(1);  // set on this thread, applied by the ops on the workers too
  std::mt19937 rng(31);
  Tensor w = random({24, 16}, rng), b = random({24}, rng);
  const ops::Linear linear(w, b);
  ops::RnnSpec spec{ops::RnnCell::GRU, 16, 8, 2, true, true};
  std::vector<ops::RnnLayerWeights> layers;
  const auto names = ops::rnnWeightNames(spec);  // w_ih, w_hh, b_ih, b_hh per layer and direction
  for (std::size_t i = 0; i < names.size(); i += 4)
    layers.push_back({random(names[i].second, rng, -0.5f, 0.5f), random(names[i + 1].second, rng, -0.5f, 0.5f),
                      random(names[i + 2].second, rng, -0.5f, 0.5f), random(names[i + 3].second, rng, -0.5f, 0.5f)});
  const ops::Rnn rnn(spec, layers);

  std::vector<Tensor> inputs;
  for (int i = 0; i < 2; ++i) inputs.push_back(random({5 + i, 3, 16}, rng));
  int off[2] = {0, 0};
  auto rounds = [&](int id) {
    for (int round = 0; round < 20; ++round) {
      const Tensor& x = inputs[static_cast<std::size_t>((id + round) % 2)];
      off[id] += countOff(linear(x), ref::linear(x, w, &b));
      const Tensor scores = ops::softmax(ops::matmul(x, x, 0.25f, true));
      off[id] += countOff(scores, ref::softmax(ref::matmul(x, x, 0.25f, true)));
      off[id] += countOff(rnn(x).output, ref::rnn(spec, layers, x).output);
    }
  };
  std::string failure[2];
  auto work = [&](int id) {
    try {
      rounds(id);
    } catch (const std::exception& e) {
      failure[id] = e.what();
    }
  };
  std::thread a(work, 0), c(work, 1);
  a.join();
  c.join();
  EXPECT_EQ(failure[0], "");
  EXPECT_EQ(failure[1], "");
  EXPECT_EQ(off[0], 0);
  EXPECT_EQ(off[1], 0);
  EXPECT_EQ(ops::threadCount(), 1);
}

}  // namespace
