// Data-movement ops (embedding, concat, split, permute) against the references, plus exact small cases.
#include <gtest/gtest.h>

#include <numeric>

#include "engine/ops/ops.h"
#include "engine/ops/reference.h"
#include "tests/unit/test_ops_util.h"

namespace {
using attnviz::Shape;
using attnviz::Tensor;
namespace ops = attnviz::ops;
namespace ref = attnviz::ref;
using opstest::dims;
using opstest::expectClose;
using opstest::random;

Tensor iota(Shape shape) {
  Tensor t(std::move(shape));
  std::iota(t.values().begin(), t.values().end(), 0.0f);
  return t;
}

TEST(OpsShape, EmbeddingCopiesRows) {
  std::mt19937 rng(11);
  Tensor table = random({50, 12}, rng);
  const std::vector<std::int64_t> ids{0, 49, 7, 7, 3};
  Tensor got = ops::embedding(table, ids);
  expectClose("embedding [50x12] 5 ids", got, ref::embedding(table, ids), 0.0);
  EXPECT_EQ(got.at({1, 11}), table.at({49, 11}));
  EXPECT_EQ(ops::embedding(table, {}).shape(), (Shape{0, 12}));
}

TEST(OpsShape, ConcatMatchesReference) {
  struct Case {
    std::vector<Shape> parts;
    int axis;
  };
  const Case cases[] = {{{{2, 3}, {4, 3}}, 0},
                        {{{2, 3}, {2, 5}, {2, 1}}, 1},
                        {{{2, 3, 4}, {2, 3, 6}}, -1},
                        {{{2, 3, 4}, {2, 1, 4}, {2, 2, 4}}, 1},
                        {{{3, 4}, {0, 4}, {1, 4}}, 0},  // an empty part
                        {{{5}}, 0}};
  std::mt19937 rng(12);
  for (const auto& c : cases) {
    std::vector<Tensor> parts;
    std::string label = "concat axis " + std::to_string(c.axis);
    for (const auto& s : c.parts) {
      parts.push_back(random(s, rng));
      label += " [" + dims(s) + "]";
    }
    expectClose(label, ops::concat(parts, c.axis), ref::concat(parts, c.axis), 0.0);
  }
}

TEST(OpsShape, ConcatExact) {
  std::vector<Tensor> parts{Tensor({2, 1}, {1, 2}), Tensor({2, 2}, {3, 4, 5, 6})};
  EXPECT_EQ(ops::concat(parts, 1).toVector(), (std::vector<float>{1, 3, 4, 2, 5, 6}));
}

TEST(OpsShape, SplitMatchesReferenceAndInvertsConcat) {
  std::mt19937 rng(13);
  Tensor x = random({4, 9, 3}, rng);
  const std::vector<std::int64_t> sizes{2, 0, 4, 3};
  auto got = ops::split(x, 1, sizes);
  auto want = ref::split(x, 1, sizes);
  ASSERT_EQ(got.size(), 4u);
  for (std::size_t i = 0; i < got.size(); ++i)
    expectClose("split [4x9x3] axis 1 part " + std::to_string(i), got[i], want[i], 0.0);
  expectClose("concat(split) [4x9x3]", ops::concat(got, 1), x, 0.0);
  auto rows = ops::split(x, -3, std::vector<std::int64_t>{1, 3});
  EXPECT_EQ(rows[1].shape(), (Shape{3, 9, 3}));
  EXPECT_EQ(rows[1].at({0, 0, 0}), x.at({1, 0, 0}));
}

TEST(OpsShape, PermuteMatchesReference) {
  struct Case {
    Shape x;
    std::vector<int> order;
  };
  const Case cases[] = {{{3, 5}, {1, 0}},
                        {{2, 3, 4}, {1, 0, 2}},           // [T, heads, d] -> [heads, T, d]
                        {{2, 3, 4, 5}, {0, 2, 1, 3}},     // [B, T, heads, d] -> [B, heads, T, d]
                        {{2, 3, 4, 5}, {3, 2, 1, 0}},
                        {{7}, {0}},
                        {{2, 3, 4}, {0, 1, 2}}};
  std::mt19937 rng(14);
  for (const auto& c : cases) {
    Tensor x = random(c.x, rng);
    std::string order;
    for (int o : c.order) order += std::to_string(o);
    expectClose("permute [" + dims(c.x) + "] order " + order, ops::permute(x, c.order), ref::permute(x, c.order), 0.0);
  }
}

TEST(OpsShape, PermuteExact) {
  Tensor x = iota({2, 3});  // [[0 1 2] [3 4 5]]
  std::vector<int> order{1, 0};
  EXPECT_EQ(ops::permute(x, order).toVector(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
}

}  // namespace
