// Product paths (product_path.h): every path forced in turn matches the plain reference (bias, GELU, residual,
// odd and BERT-size shapes); a Linear that is not forced times the candidates once per shape and logs the
// choice with each candidate's time; the recording for `bench` sees every product; names round-trip.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "engine/core/error.h"
#include "engine/ops/ops.h"
#include "engine/ops/product_path.h"
#include "engine/ops/reference.h"
#include "tests/unit/test_ops_util.h"

namespace {
using attnviz::Shape;
using attnviz::Tensor;
namespace ops = attnviz::ops;
namespace ref = attnviz::ref;
using opstest::expectClose;
using opstest::random;

// Sets the forced path for one scope, then back to the timed choice.
struct ForcedPathScope {
  explicit ForcedPathScope(std::optional<ops::ProductPath> path) { ops::forceProductPath(path); }
  ~ForcedPathScope() { ops::forceProductPath(std::nullopt); }
};

class EveryPath : public ::testing::TestWithParam<ops::ProductPath> {};

TEST_P(EveryPath, MatchesTheReference) {
  const ForcedPathScope scope(GetParam());
  const std::string path(ops::productPathName(GetParam()));
  struct Case {
    std::int64_t rows, in, out;
  };
  std::mt19937 rng(11);
  for (const Case c : {Case{1, 1, 1}, Case{7, 13, 5}, Case{130, 96, 40}, Case{128, 768, 2304}, Case{3, 3072, 768}}) {
    const float bound = 1.0f / std::sqrt(float(c.in));
    Tensor x = random({c.rows, c.in}, rng);
    Tensor w = random({c.out, c.in}, rng, -bound, bound);
    Tensor b = random({c.out}, rng, -bound, bound);
    Tensor residual = random({c.rows, c.out}, rng);
    const std::string label = path + " [" + std::to_string(c.rows) + "x" + std::to_string(c.in) + "->" +
                              std::to_string(c.out) + "]";
    const Tensor plain = ref::linear(x, w, &b);
    expectClose(label, ops::Linear(w, b)(x), plain);
    expectClose(label + " no bias", ops::Linear(w, std::nullopt)(x), ref::linear(x, w, nullptr));
    const ops::Linear gelu(w, b, {ops::Activation::Gelu});
    expectClose(label + " +gelu", gelu(x), ref::gelu(plain));
    expectClose(label + " +gelu +residual", gelu(x, residual), ref::add(ref::gelu(plain), residual));
    expectClose(label + " +residual", ops::Linear(w, b)(x, residual), ref::add(plain, residual));
  }
  EXPECT_EQ(ops::Linear(random({4, 6}, rng), std::nullopt)(Tensor({0, 6})).shape(), (Shape{0, 4}));  // no rows
}

INSTANTIATE_TEST_SUITE_P(ProductPath, EveryPath, ::testing::ValuesIn(ops::kProductPaths),
                         [](const auto& info) {
                           std::string name(ops::productPathName(info.param));
                           for (char& ch : name)
                             if (ch == '-') ch = '_';
                           return name;
                         });

TEST(ProductPath, AShapeIsTimedOnceAndTheFastestCandidateKept) {
  if (std::getenv("ATTNVIZ_PRODUCT_PATH")) GTEST_SKIP() << "ATTNVIZ_PRODUCT_PATH forces a path here";
  std::mt19937 rng(3);
  // 64 x 777 -> 389: 39 MFLOP at the bucket's 64 rows, above the untimed 32; a shape no other test uses
  const float bound = 1.0f / std::sqrt(777.0f);  // nn.Linear's init range
  const Tensor w = random({389, 777}, rng, -bound, bound), x = random({40, 777}, rng);
  const auto before = ops::productChoices().size();
  const ops::Linear a(w, std::nullopt), b(w, std::nullopt);
  expectClose("timed choice", a(x), ref::linear(x, w, nullptr));
  b(random({64, 777}, rng));  // another Linear, rows in the same power-of-two bucket: no new timing
  const auto choices = ops::productChoices();
  ASSERT_EQ(choices.size(), before + 1);
  const ops::ProductChoice& c = choices.back();
  EXPECT_NE(c.shape.find("rows<=64 777->389"), std::string::npos) << c.shape;
  const double chosen = c.candidateMs[static_cast<std::size_t>(c.path)];
  ASSERT_GE(chosen, 0.0);
  for (double ms : c.candidateMs)
    if (ms >= 0) EXPECT_LE(chosen, ms);
  a(random({65, 777}, rng));  // the next bucket (<= 128) is timed anew
  EXPECT_EQ(ops::productChoices().size(), before + 2);
  ops::Linear(random({37, 29}, rng), std::nullopt)(random({21, 29}, rng));  // 30 KFLOP: packed, untimed
  EXPECT_EQ(ops::productChoices().size(), before + 2);
}

TEST(ProductPath, ARecordingSeesEveryProductWithItsTimeAlone) {
  std::mt19937 rng(4);
  const ops::Linear layer(random({8, 16}, rng), random({8}, rng));
  const Tensor x = random({5, 16}, rng);
  for (const auto mode : {ops::ProductRecording::Mode::InRun, ops::ProductRecording::Mode::Alone}) {
    ops::ProductRecording recording(mode);
    EXPECT_EQ(ops::productRecordingMode(), mode);
    layer(x);
    ops::matmul(random({2, 5, 8}, rng), random({2, 8, 3}, rng));
    ASSERT_EQ(recording.products().size(), 2u);
    EXPECT_NE(recording.products()[0].shape.find("16->8"), std::string::npos);
    EXPECT_NE(recording.products()[1].shape.find("matmul"), std::string::npos);
    EXPECT_GT(recording.totalMs(), 0.0);
  }
  EXPECT_FALSE(ops::productRecordingMode().has_value());
}

TEST(ProductPath, NamesRoundTrip) {
  for (ops::ProductPath p : ops::kProductPaths) EXPECT_EQ(ops::productPathNamed(ops::productPathName(p)), p);
  EXPECT_FALSE(ops::productPathNamed("mkl").has_value());
}

// Run by ctest with ATTNVIZ_PRODUCT_PATH=mkl (unit_test_product_path_unknown_name); skipped otherwise.
TEST(ProductPath, AnUnknownNameInTheEnvironmentIsOneClearError) {
  const char* value = std::getenv("ATTNVIZ_PRODUCT_PATH");
  if (!value || ops::productPathNamed(value)) GTEST_SKIP() << "needs ATTNVIZ_PRODUCT_PATH set to an unknown name";
  try {
    ops::forcedProductPath();
    FAIL() << "no error";
  } catch (const attnviz::UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("onednn-stored"), std::string::npos) << e.what();
    EXPECT_EQ(e.where(), "ATTNVIZ_PRODUCT_PATH");
  }
}

}  // namespace
