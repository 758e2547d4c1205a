// .npz reader: stored and deflated archives, entry names -> tensor names, path vs memory, and broken or
// hostile archives (not a zip, truncated, CRC mismatch, '..' names, lying sizes) refused with a message.
#include <gtest/gtest.h>

#include "engine/io/tensor_files.h"
#include "engine/io/zip_archive.h"
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

void expectABW(const NamedTensors& n) {
  ASSERT_EQ(n.tensors.size(), 3u);
  EXPECT_EQ(n.tensors[0].first, "a");
  EXPECT_EQ(n.tensors[1].first, "b");
  EXPECT_EQ(n.tensors[2].first, "enc/w");  // entry "enc/w.npy"
  test::expectValues(n.tensors[0].second, {2, 3}, kA);
  test::expectValues(n.tensors[1].second, {4}, kB);
  test::expectValues(n.tensors[2].second, {3, 2}, {-1.0f, 0.5f, -0.5f, 1.0f, 0.0f, 1.5f});  // A transposed
}

TEST(Npz, ReadsStoredAndDeflatedEntries) {
  for (const char* name : {"valid/stored.npz", "valid/deflated.npz"}) {
    SCOPED_TRACE(name);
    const NamedTensors n = readNpz(loaderData(name));
    EXPECT_EQ(n.source, loaderData(name));
    expectABW(n);
  }
}

TEST(Npz, PathAndBytesGiveTheSameTensors) {
  for (const char* name : {"valid/stored.npz", "valid/deflated.npz"}) {
    SCOPED_TRACE(name);
    expectABW(readNpz(fileBytes(loaderData(name))));
  }
}

TEST(Npz, ReadTensorFileChoosesByExtension) {
  expectABW(readTensorFile(loaderData("valid/deflated.npz")));
  expectABW(readTensorFile(fileBytes(loaderData("valid/stored.npz"))));
  const NamedTensors one = readTensorFile(loaderData("valid/f32.npy"));
  ASSERT_EQ(one.tensors.size(), 1u);
  EXPECT_EQ(one.tensors[0].first, "f32");
  EXPECT_TRUE(failsWith([] { readTensorFile(loaderData("valid/package/vocab.txt")); },
                        {"vocab.txt", "expected a .safetensors, .npz or .npy file"}));
}

class BrokenNpz : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenNpz, IsRefusedWithAClearMessage) {
  expectRefusedBothWays(GetParam(), [](const auto& source) { readNpz(source); });
}

INSTANTIATE_TEST_SUITE_P(
    Files, BrokenNpz,
    ::testing::Values(
        BrokenCase{"broken/not_a_zip.npz", {"cannot be read as a zip archive", "not a zip"}},
        BrokenCase{"broken/truncated.npz", {"cannot be read as a zip archive"}},
        BrokenCase{"broken/crc_mismatch.npz", {"!a.npy", "CRC mismatch"}},
        BrokenCase{"broken/dotdot_entry.npz", {"!../../x.npy", "unsafe entry name"}},
        BrokenCase{"broken/not_npy_entry.npz", {"!notes.txt", "is not a .npy entry"}},
        BrokenCase{"broken/bad_npy_entry.npz", {"!b.npy", "not a .npy file"}},
        BrokenCase{"broken/bzip2.npz", {"!a.npy", "compression method 12"}},
        BrokenCase{"broken/claims_huge.npz", {"!a.npy", "claims to inflate", "3000000000 bytes", "zip bomb"}}),
    brokenCaseName);

// Reading is capped: an entry larger than the caller's limit is refused before anything is inflated.
TEST(ZipArchive, EntryOverTheLimitIsRefused) {
  const io::ZipArchive zip = io::ZipArchive::open(loaderData("valid/deflated.npz"));
  const io::ZipEntry* a = zip.find("a.npy");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(failsWith([&] { zip.read(*a, 10); }, {"deflated.npz!a.npy", "more than the limit of 10 bytes"}));
  EXPECT_EQ(zip.read(*a, a->uncompressedSize).size(), a->uncompressedSize);
  EXPECT_EQ(zip.readPrefix(*a, 6).size(), 6u);
  EXPECT_EQ(zip.find("A.npy"), nullptr);  // exact lookup only
}

TEST(ZipArchive, SafeNames) {
  for (const char* ok : {"a.npy", "enc/w.npy", "loader-test/attnviz.json", "dir/", "a..b.txt"})
    EXPECT_TRUE(io::isSafeRelativeName(ok)) << ok;
  for (const char* bad : {"", "/etc/passwd", "../x", "a/../../x", "..", "a/./b", "C:/x", "a\\b", "a\nb"})
    EXPECT_FALSE(io::isSafeRelativeName(bad)) << bad;
}

// Every prefix of a valid archive is refused cleanly or read in full; none crashes. (Cutting only the last
// bytes of the end record, the zero comment length, leaves every entry intact, and minizip accepts that.)
TEST(Npz, EveryTruncationIsHandled) {
  const Bytes whole = fileBytes(loaderData("valid/deflated.npz"));
  std::size_t refused = 0;
  for (std::size_t n = 0; n < whole.size(); ++n) {
    std::vector<std::uint8_t> prefix(whole.data(), whole.data() + n);
    try {
      expectABW(readNpz(Bytes::fromVector(std::move(prefix), "cut.npz")));
    } catch (const ModelFileError&) {
      ++refused;
    }
  }
  EXPECT_GE(refused, whole.size() - 4);
}

}  // namespace
}  // namespace attnviz
