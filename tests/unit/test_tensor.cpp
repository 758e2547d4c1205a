// Tensor: shapes, views, reshape and slice share storage; bad shapes and indexes are InternalError.
#include <gtest/gtest.h>

#include "engine/core/error.h"
#include "engine/core/tensor.h"

using attnviz::InternalError;
using attnviz::Tensor;

TEST(Tensor, OwnedIsZeroInitialised) {
  Tensor t({2, 3});
  EXPECT_EQ(t.numel(), 6);
  EXPECT_EQ(t.rank(), 2);
  EXPECT_EQ(t.dim(-1), 3);
  for (float v : t.values()) EXPECT_EQ(v, 0.0f);
}

TEST(Tensor, AtIsRowMajorAndBoundsChecked) {
  Tensor t({2, 3}, {0, 1, 2, 3, 4, 5});
  EXPECT_EQ(t.at({1, 2}), 5.0f);
  EXPECT_EQ(t.at({0, 1}), 1.0f);
  EXPECT_THROW(t.at({2, 0}), InternalError);
  EXPECT_THROW(t.at({0}), InternalError);
}

TEST(Tensor, SliceAndReshapeShareStorage) {
  Tensor t({2, 3}, {0, 1, 2, 3, 4, 5});
  Tensor row = t.slice(1);
  ASSERT_EQ(row.shape(), (attnviz::Shape{3}));
  row.at({0}) = 42.0f;
  EXPECT_EQ(t.at({1, 0}), 42.0f);
  Tensor flat = t.reshape({-1});
  EXPECT_EQ(flat.shape(), (attnviz::Shape{6}));
  EXPECT_EQ(flat.at({3}), 42.0f);
  Tensor copy = t.clone();
  copy.at({0, 0}) = -1.0f;
  EXPECT_EQ(t.at({0, 0}), 0.0f);
}

TEST(Tensor, ViewKeepsOwnerAlive) {
  auto storage = std::make_shared<std::vector<float>>(std::vector<float>{1, 2, 3, 4});
  Tensor v = Tensor::view(storage->data(), {2, 2}, storage);
  std::weak_ptr<std::vector<float>> weak = storage;
  storage.reset();
  EXPECT_FALSE(weak.expired());
  EXPECT_EQ(v.at({1, 1}), 4.0f);
}

TEST(Tensor, BadShapesAreRefused) {
  EXPECT_THROW(Tensor({-1, 2}), InternalError);
  EXPECT_THROW(Tensor({2, 2}, {1, 2, 3}), InternalError);
  EXPECT_THROW(attnviz::shapeNumel({1LL << 40, 1LL << 40}), InternalError);
  Tensor t({2, 3});
  EXPECT_THROW(t.reshape({4, 2}), InternalError);
  EXPECT_THROW(t.reshape({-1, -1}), InternalError);
  EXPECT_THROW(t.slice(2), InternalError);
}
