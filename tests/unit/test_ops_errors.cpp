// Error cases of engine/ops: broken shapes are InternalError naming both shapes, an embedding id outside the
// vocabulary is InputError naming the id and the vocabulary size, oneDNN failures become BackendError.
#include <gtest/gtest.h>

#include "engine/core/error.h"
#include "engine/ops/dnnl_context.h"
#include "engine/ops/ops.h"
#include "engine/ops/reference.h"

namespace {
using attnviz::Shape;
using attnviz::Tensor;
namespace ops = attnviz::ops;
namespace ref = attnviz::ref;

// Runs f, expecting an attnviz error of type E whose message contains every one of `parts`.
template <class E, class F>
void expectError(F f, std::initializer_list<std::string> parts) {
  try {
    f();
    ADD_FAILURE() << "no exception";
  } catch (const E& e) {
    const std::string message = e.message();
    for (const auto& part : parts) EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception: " << e.what();
  }
}

TEST(OpsErrors, LinearShapeMismatch) {
  Tensor x({7, 32}), w({19, 33}), b({19}), badBias({20});
  using attnviz::InternalError;
  expectError<InternalError>([&] { ops::linear(x, w, &b); }, {"ops::linear", "[7, 32]", "[19, 33]"});
  expectError<InternalError>([&] { ref::linear(x, w, &b); }, {"ref::linear", "[7, 32]", "[19, 33]"});
  expectError<InternalError>([&] { ops::Linear(w, badBias); }, {"ops::Linear", "[20]", "[19, 33]"});
  expectError<InternalError>([&] { ops::Linear(Tensor({19}), std::nullopt); }, {"[19]"});
  ops::Linear layer(w, b);
  expectError<InternalError>([&] { layer(x); }, {"ops::Linear", "[7, 32]", "[19, 33]"});
  expectError<InternalError>([&] { ops::Linear()(x); }, {"empty Linear"});
}

TEST(OpsErrors, MatmulShapeMismatch) {
  using attnviz::InternalError;
  expectError<InternalError>([] { ops::matmul(Tensor({2, 3, 4}), Tensor({2, 5, 6})); }, {"[2, 3, 4]", "[2, 5, 6]"});
  expectError<InternalError>([] { ops::matmul(Tensor({2, 3, 4}), Tensor({3, 4, 6})); }, {"batch", "[2, 3, 4]", "[3, 4, 6]"});
  expectError<InternalError>([] { ops::matmul(Tensor({2, 3, 4}), Tensor({2, 4, 6}), 1.0f, true); }, {"transposed"});
  expectError<InternalError>([] { ops::matmul(Tensor({4}), Tensor({4, 2})); }, {"rank"});
}

TEST(OpsErrors, ElementwiseAndNormShapeMismatch) {
  using attnviz::InternalError;
  expectError<InternalError>([] { ops::add(Tensor({2, 3}), Tensor({2})); }, {"ops::add", "[2, 3]", "[2]"});
  expectError<InternalError>([] { ops::mul(Tensor({2, 3}), Tensor({2, 2, 3})); }, {"ops::mul", "[2, 3]", "[2, 2, 3]"});
  expectError<InternalError>([] { ref::add(Tensor({2, 3}), Tensor({3, 3})); }, {"ref::add"});
  expectError<InternalError>([] { ops::layerNorm(Tensor({2, 8}), Tensor({8}), Tensor({7}), 1e-5f); },
                             {"ops::layerNorm", "[2, 8]", "[7]"});
  expectError<InternalError>([] { ops::softmax(Tensor()); }, {"ops::softmax"});
}

TEST(OpsErrors, ShapeOpsMismatch) {
  using attnviz::InternalError;
  std::vector<Tensor> parts{Tensor({2, 3}), Tensor({3, 3})};
  expectError<InternalError>([&] { ops::concat(parts, 1); }, {"ops::concat", "[2, 3]", "[3, 3]"});
  expectError<InternalError>([&] { ops::concat(parts, 2); }, {"axis 2"});
  expectError<InternalError>([&] { ops::concat(std::span<const Tensor>(), 0); }, {"nothing"});
  const std::vector<std::int64_t> sizes{1, 1};
  expectError<InternalError>([&] { ops::split(Tensor({3, 4}), 0, sizes); }, {"ops::split", "[3, 4]"});
  const std::vector<int> order{0, 0, 1};
  expectError<InternalError>([&] { ops::permute(Tensor({2, 3, 4}), order); }, {"ops::permute", "[2, 3, 4]"});
}

TEST(OpsErrors, EmbeddingIdOutsideVocabularyIsInputError) {
  Tensor table({30, 4});
  const std::vector<std::int64_t> ids{1, 30};
  expectError<attnviz::InputError>([&] { ops::embedding(table, ids); }, {"30", "vocabulary of size 30"});
  const std::vector<std::int64_t> negative{-1};
  expectError<attnviz::InputError>([&] { ops::embedding(table, negative); }, {"-1", "30"});
  expectError<attnviz::InputError>([&] { ref::embedding(table, negative); }, {"-1", "30"});
  expectError<attnviz::InternalError>([&] { ops::embedding(Tensor({30}), ids); }, {"[30]"});
}

TEST(OpsErrors, RnnShapeMismatch) {
  using attnviz::InternalError;
  ops::RnnSpec spec;
  spec.cell = ops::RnnCell::LSTM;
  spec.inputSize = 3;
  spec.hiddenSize = 2;
  std::vector<ops::RnnLayerWeights> layers{{Tensor({8, 3}), Tensor({8, 2}), Tensor({8}), Tensor({8})}};
  ops::Rnn rnn(spec, layers);
  expectError<InternalError>([&] { rnn(Tensor({4, 1, 5})); }, {"ops::Rnn", "[4, 1, 5]"});
  ops::RnnState bad{Tensor({1, 2, 2}), Tensor({1, 1, 2})};
  expectError<InternalError>([&] { rnn(Tensor({4, 1, 3}), &bad); }, {"initial h", "[1, 1, 2]", "[1, 2, 2]"});
  layers[0].wHh = Tensor({8, 3});
  expectError<InternalError>([&] { ops::Rnn(spec, layers); }, {"weight_hh_l0", "[8, 2]", "[8, 3]"});
  spec.bidirectional = true;
  expectError<InternalError>([&] { ops::Rnn(spec, layers); }, {"expected 2"});
}

TEST(OpsErrors, DnnlErrorBecomesBackendError) {
  auto fail = [] {
    ops::detail::backendCall("ops::test", [] { return std::string("x [2, 3]"); },
                             [] { throw dnnl::error(dnnl_unimplemented, "could not create a primitive"); });
  };
  expectError<attnviz::BackendError>(fail, {"ops::test", "could not create a primitive", "unimplemented", "x [2, 3]"});
}

}  // namespace
