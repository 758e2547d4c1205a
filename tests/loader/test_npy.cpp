// .npy reader: every accepted dtype and header version against known values, path vs memory, and each broken
// file in tests/data/loader/broken refused with its own message (make_loader_data.py writes them).
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
using test::loaderData;

TEST(Npy, ReadsF32InAllHeaderVersions) {
  for (const char* name : {"valid/f32.npy", "valid/f32_v2.npy", "valid/f32_v3.npy"}) {
    SCOPED_TRACE(name);
    test::expectValues(readNpy(loaderData(name)), {2, 3}, kA);
  }
}

TEST(Npy, ConvertsOtherDTypesToF32) {
  test::expectValues(readNpy(loaderData("valid/f64.npy")), {2, 3}, kA);
  test::expectValues(readNpy(loaderData("valid/i4.npy")), {2, 2}, {-3.0f, 0.0f, 7.0f, 16777216.0f});
  test::expectValues(readNpy(loaderData("valid/i8.npy")), {2}, {-1099511627776.0f, 5.0f});
  test::expectValues(readNpy(loaderData("valid/u1.npy")), {3}, {0.0f, 1.0f, 255.0f});
  test::expectValues(readNpy(loaderData("valid/bool.npy")), {3}, {1.0f, 0.0f, 1.0f});
}

TEST(Npy, ConvertsHalfExactlyIncludingSubnormals) {
  const Tensor t = readNpy(loaderData("valid/f16.npy"));
  test::expectValues(t, {8}, {1.0f, -2.5f, 0.5f, 65504.0f, 6.103515625e-05f, 5.960464477539063e-08f, 0.0f, -0.0f});
  EXPECT_TRUE(std::signbit(t.values()[7]));
}

TEST(Npy, ScalarAndEmptyShapes) {
  test::expectValues(readNpy(loaderData("valid/scalar.npy")), {}, {2.5f});
  const Tensor empty = readNpy(loaderData("valid/empty.npy"));
  EXPECT_EQ(empty.shape(), (Shape{0, 3}));
  EXPECT_EQ(empty.numel(), 0);
}

TEST(Npy, PathAndBytesGiveTheSameTensor) {
  for (const char* name : {"valid/f32.npy", "valid/f16.npy", "valid/i8.npy", "valid/f32_v3.npy"}) {
    SCOPED_TRACE(name);
    const Tensor fromPath = readNpy(loaderData(name));
    const Tensor fromBytes = readNpy(fileBytes(loaderData(name)));
    EXPECT_EQ(fromPath.shape(), fromBytes.shape());
    EXPECT_EQ(fromPath.toVector(), fromBytes.toVector());
  }
}

TEST(Npy, F32IsAViewThatKeepsItsBufferAlive) {
  Tensor t;
  {
    const Bytes b = fileBytes(loaderData("valid/f32.npy"));
    t = readNpy(b);
    EXPECT_TRUE(test::viewsInto(t, b));
  }
  test::expectValues(t, {2, 3}, kA);  // the Bytes are gone; the tensor's owner keeps the storage
}

class BrokenNpy : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenNpy, IsRefusedWithAClearMessage) {
  expectRefusedBothWays(GetParam(), [](const auto& source) { readNpy(source); });
}

INSTANTIATE_TEST_SUITE_P(
    Files, BrokenNpy,
    ::testing::Values(
        BrokenCase{"broken/bad_magic.npy", {"not a .npy file", "\\x93NUMPY"}},
        BrokenCase{"broken/truncated.npy", {"needs 24 bytes of data, the file holds 20 bytes", "truncated"}},
        BrokenCase{"broken/trailing.npy", {"needs 24 bytes of data, the file holds 28 bytes", "trailing"}},
        BrokenCase{"broken/header_too_large.npy", {"header size 60000 is larger than the file"}},
        BrokenCase{"broken/version9.npy", {".npy format version 9.0 is not supported"}},
        BrokenCase{"broken/fortran.npy", {"Fortran", "C order only", "np.ascontiguousarray"}},
        BrokenCase{"broken/big_endian.npy", {"dtype '>f4' (big-endian) is not supported"}},
        BrokenCase{"broken/complex.npy", {"dtype '<c8' is not supported"}},
        BrokenCase{"broken/structured.npy", {"a structured dtype (a list of fields) is not supported"}},
        BrokenCase{"broken/object.npy", {"Python objects", "'|O'", "unpickling, which attnviz never does"}},
        BrokenCase{"broken/code_in_header.npy", {"header is malformed", "expected a string, True, False or a tuple"}},
        BrokenCase{"broken/missing_key.npy", {"lacks the key 'shape'"}},
        BrokenCase{"broken/shape_overflow.npy", {"[4294967296, 4294967296, 4294967296]", "64-bit"}}),
    brokenCaseName);

TEST(Npy, EmptyAndMissingFiles) {
  EXPECT_TRUE(failsWith([] { readNpy(Bytes::fromVector({}, "empty.npy")); }, {"empty.npy", "not a .npy file"}));
  EXPECT_TRUE(failsWith([] { readNpy(loaderData("valid/does_not_exist.npy")); },
                        {"does_not_exist.npy", "cannot open the file: No such file or directory"}));
  EXPECT_TRUE(failsWith([] { readNpy(loaderData("valid")); }, {"is a folder, expected a file"}));
}

// Every prefix of a valid file is refused cleanly: no crash, no read past the end (run under ASan to see it).
TEST(Npy, EveryTruncationIsRefused) {
  const Bytes whole = fileBytes(loaderData("valid/f32_v2.npy"));
  for (std::size_t n = 0; n < whole.size(); ++n) {
    std::vector<std::uint8_t> prefix(whole.data(), whole.data() + n);
    EXPECT_THROW(readNpy(Bytes::fromVector(std::move(prefix), "cut.npy")), ModelFileError) << "length " << n;
  }
}

}  // namespace
}  // namespace attnviz
