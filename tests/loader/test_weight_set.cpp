// WeightSet: take() checks name, exact shape and that every value is finite, finish() names every tensor never
// taken; messages name the file, the tensor, expected vs found, and the fix.
#include <gtest/gtest.h>

#include <limits>

#include "engine/io/weight_set.h"
#include "tests/loader/loader_test_util.h"

namespace attnviz {
namespace {

using test::failsWith;
using test::loaderData;

WeightSet validSet() { return WeightSet(readSafetensors(loaderData("valid/f32.safetensors"))); }

TEST(WeightSet, TakesEveryTensorAndFinishes) {
  WeightSet w = validSet();
  EXPECT_EQ(w.source(), loaderData("valid/f32.safetensors"));
  EXPECT_EQ(w.parameterCount(), 10);
  EXPECT_TRUE(w.has("a"));
  EXPECT_FALSE(w.has("c"));
  EXPECT_EQ(w.shapeOf("b"), (Shape{4}));
  test::expectValues(w.take("a", {2, 3}), {2, 3}, test::kA);
  EXPECT_FALSE(w.takeOptional("c", {1}).has_value());
  ASSERT_TRUE(w.takeOptional("b", {4}).has_value());
  EXPECT_NO_THROW(w.take("a", {2, 3}));  // tied weights take a tensor twice
  EXPECT_NO_THROW(w.finish());
}

TEST(WeightSet, WrongShape) {
  WeightSet w = validSet();
  EXPECT_TRUE(failsWith([&] { w.take("a", {3, 2}); },
                        {"f32.safetensors: tensor 'a'", "expected shape [3, 2], found [2, 3]", "models/export.py"}));
  EXPECT_TRUE(failsWith([&] { w.takeOptional("b", {5}); }, {"tensor 'b'", "expected shape [5], found [4]"}));
}

TEST(WeightSet, MissingTensorSuggestsTheNearestName) {
  WeightSet w(NamedTensors{"model.safetensors", {{"bert.embeddings.word_embeddings.weight", Tensor({2, 3})},
                                                  {"bert.pooler.dense.bias", Tensor({3})}}});
  EXPECT_TRUE(failsWith([&] { w.take("embeddings.word_embeddings.weight", {2, 3}); },
                        {"tensor 'embeddings.word_embeddings.weight'", "is missing from the file",
                         "the file has 'bert.embeddings.word_embeddings.weight' [2, 3]", "models/export.py"}));
  EXPECT_TRUE(failsWith([&] { w.shapeOf("zzz"); }, {"tensor 'zzz'", "is missing"}));
}

TEST(WeightSet, ExtraTensorsAreListed) {
  WeightSet w = validSet();
  w.take("a", {2, 3});
  EXPECT_TRUE(failsWith([&] { w.finish(); }, {"f32.safetensors", "1 tensor is in the file but not used by the model: 'b' [4]",
                                              "another architecture or configuration"}));
}

TEST(WeightSet, CustomFixHintAndDuplicates) {
  NamedTensors n{"mem.npz", {{"x", Tensor({2})}, {"x", Tensor({3})}}};
  EXPECT_TRUE(failsWith([&] { WeightSet w(n, "convert it again"); }, {"mem.npz: tensor 'x'", "appears twice", "convert it again"}));
  WeightSet w(NamedTensors{"mem.npz", {{"x", Tensor({2})}}}, "convert it again");
  EXPECT_TRUE(failsWith([&] { w.take("x", {3}); }, {"convert it again"}));
}

TEST(WeightSet, NanAndInfiniteWeightsAreNamed) {
  Tensor bad({2, 3});
  bad.data()[4] = std::numeric_limits<float>::quiet_NaN();
  bad.data()[5] = -std::numeric_limits<float>::infinity();
  WeightSet w(NamedTensors{"model.safetensors", {{"encoder.layer.3.output.dense.weight", bad}, {"ok", Tensor({2})}}});
  EXPECT_TRUE(failsWith([&] { w.take("encoder.layer.3.output.dense.weight", {2, 3}); },
                        {"model.safetensors: tensor 'encoder.layer.3.output.dense.weight'",
                         "2 of its 6 values are NaN or infinite (the first at flat index 4)"}));
  EXPECT_NO_THROW(w.take("ok", {2}));
}

}  // namespace
}  // namespace attnviz
