// .safetensors reader: F32 as a view into the mapping when aligned (copied when not), F16/BF16 converted
// exactly, path vs memory, and broken headers and offsets refused with messages naming file and tensor.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/io/tensor_files.h"
#include "tests/loader/loader_test_util.h"

namespace attnviz {
namespace {

using test::BrokenCase;
using test::brokenCaseName;
using test::expectRefusedBothWays;
using test::failsWith;
using test::fileBytes;
using test::kA;
using test::kB;
using test::loaderData;

const Tensor& tensorNamed(const NamedTensors& n, const std::string& name) {
  for (const auto& [key, t] : n.tensors)
    if (key == name) return t;
  throw std::runtime_error("no tensor " + name);
}

TEST(Safetensors, ReadsF32InFileOrder) {
  const NamedTensors n = readSafetensors(loaderData("valid/f32.safetensors"));
  EXPECT_EQ(n.source, loaderData("valid/f32.safetensors"));
  ASSERT_EQ(n.tensors.size(), 2u);  // __metadata__ is not a tensor
  EXPECT_EQ(n.tensors[0].first, "a");
  EXPECT_EQ(n.tensors[1].first, "b");
  test::expectValues(n.tensors[0].second, {2, 3}, kA);
  test::expectValues(n.tensors[1].second, {4}, kB);
}

TEST(Safetensors, AlignedF32IsViewedUnalignedIsCopied) {
  const Bytes aligned = fileBytes(loaderData("valid/f32.safetensors"));
  const NamedTensors a = readSafetensors(aligned);
  EXPECT_TRUE(test::viewsInto(a.tensors[0].second, aligned));

  const Bytes unaligned = fileBytes(loaderData("valid/f32_unaligned.safetensors"));
  const NamedTensors u = readSafetensors(unaligned);
  EXPECT_FALSE(test::viewsInto(u.tensors[0].second, unaligned));
  test::expectValues(u.tensors[0].second, {2, 3}, kA);
  test::expectValues(u.tensors[1].second, {4}, kB);
}

TEST(Safetensors, ViewOutlivesTheMapping) {
  Tensor t;
  { t = readSafetensors(loaderData("valid/f32.safetensors")).tensors[1].second; }
  test::expectValues(t, {4}, kB);
  t.data()[0] = 42.0f;  // MAP_PRIVATE: writable, copy-on-write, the file is untouched
  test::expectValues(readSafetensors(loaderData("valid/f32.safetensors")).tensors[1].second, {4}, kB);
}

TEST(Safetensors, ConvertsF16Exactly) {
  const NamedTensors n = readSafetensors(loaderData("valid/f16.safetensors"));
  ASSERT_EQ(n.tensors.size(), 1u);
  const Tensor& h = tensorNamed(n, "h");
  test::expectValues(h, {2, 4}, {1.0f, -2.5f, 0.5f, 65504.0f, 6.103515625e-05f, 5.960464477539063e-08f, 0.0f, -0.0f});
  EXPECT_TRUE(std::signbit(h.values()[7]));
}

TEST(Safetensors, ConvertsBF16Exactly) {
  const NamedTensors n = readSafetensors(loaderData("valid/bf16.safetensors"));
  test::expectValues(tensorNamed(n, "g"), {6}, {1.0f, -2.5f, 3.140625f, -0.001953125f, 3.3895313892515355e+38f, 0.0f});
  test::expectValues(tensorNamed(n, "b"), {4}, kB);
}

TEST(Safetensors, PathAndBytesGiveTheSameTensors) {
  for (const char* name : {"valid/f32.safetensors", "valid/f32_unaligned.safetensors", "valid/f16.safetensors",
                           "valid/bf16.safetensors"}) {
    SCOPED_TRACE(name);
    const NamedTensors p = readSafetensors(loaderData(name));
    const NamedTensors b = readTensorFile(fileBytes(loaderData(name)));
    ASSERT_EQ(p.tensors.size(), b.tensors.size());
    for (std::size_t i = 0; i < p.tensors.size(); ++i) {
      EXPECT_EQ(p.tensors[i].first, b.tensors[i].first);
      EXPECT_EQ(p.tensors[i].second.shape(), b.tensors[i].second.shape());
      EXPECT_EQ(p.tensors[i].second.toVector(), b.tensors[i].second.toVector());
    }
  }
}

class BrokenSafetensors : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenSafetensors, IsRefusedWithAClearMessage) {
  expectRefusedBothWays(GetParam(), [](const auto& source) { readSafetensors(source); });
}

INSTANTIATE_TEST_SUITE_P(
    Files, BrokenSafetensors,
    ::testing::Values(
        BrokenCase{"broken/truncated.safetensors",
                   {"tensor 'b': data [24, 40) is not within the file bounds (30 bytes", "re-export with models/export.py"}},
        BrokenCase{"broken/tiny.safetensors", {"the file is 5 bytes, too short for a safetensors header"}},
        BrokenCase{"broken/header_too_large.safetensors", {"header size 1000000 is larger than the file (120 bytes)"}},
        BrokenCase{"broken/not_json.safetensors", {"the header is not valid JSON", "line 1, column"}},
        BrokenCase{"broken/json_array.safetensors", {"the header holds a JSON array, expected a JSON object"}},
        BrokenCase{"broken/reversed_offsets.safetensors", {"tensor 'encoder.w': data [24, 0) ends before it begins"}},
        BrokenCase{"broken/wrong_byte_size.safetensors",
                   {"tensor 'encoder.w': data [0, 24) holds 24 bytes, but shape [2, 2] of F32 needs 16 bytes"}},
        BrokenCase{"broken/shape_overflow.safetensors", {"tensor 'encoder.w'", "[2147483648, 2147483648, 2147483648]", "64-bit"}},
        BrokenCase{"broken/negative_dim.safetensors", {"tensor 'encoder.w'", "shape holds a number -2"}},
        BrokenCase{"broken/i64.safetensors",
                   {"tensor 'position_ids'", "dtype I64 is not supported", "F32, F16 and BF16", "models/export.py"}},
        BrokenCase{"broken/unknown_dtype.safetensors", {"tensor 'encoder.w'", "unknown dtype 'F128'"}},
        BrokenCase{"broken/entry_not_object.safetensors", {"tensor 'encoder.w'", "header entry is an array"}}),
    brokenCaseName);

TEST(Safetensors, EveryTruncationIsRefused) {
  const Bytes whole = fileBytes(loaderData("valid/bf16.safetensors"));
  for (std::size_t n = 0; n < whole.size(); ++n) {
    std::vector<std::uint8_t> prefix(whole.data(), whole.data() + n);
    EXPECT_THROW(readSafetensors(Bytes::fromVector(std::move(prefix), "cut.safetensors")), ModelFileError)
        << "length " << n;
  }
}

}  // namespace
}  // namespace attnviz
