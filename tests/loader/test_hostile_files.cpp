// Huge files claiming to be models, made as sparse files (no disk blocks, so the test is fast and small): a
// 2 GiB safetensors whose one tensor's byte count overflows 32 bits, and a 2 GiB file of zeros. Neither may be
// copied into memory; the model file limit refuses them by size with a message that says how to change it.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "engine/io/tensor_files.h"
#include "engine/api/model.h"
#include "loader_test_util.h"

namespace fs = std::filesystem;

namespace attnviz {
namespace {

using test::failsWith;

constexpr std::int64_t kTwoGiB = std::int64_t{1} << 31;

// A sparse file "<stem>-<pid><extension>" in the temporary folder of `size` bytes, starting with `head`.
std::string sparseFile(const std::string& stem, const std::string& extension, const std::string& head, std::int64_t size) {
  const std::string name = stem + "-" + std::to_string(::getpid()) + extension;
  const std::string path = (fs::temp_directory_path() / name).string();
  const int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0600);
  EXPECT_GE(fd, 0) << path;
  EXPECT_EQ(::write(fd, head.data(), head.size()), static_cast<ssize_t>(head.size()));
  EXPECT_EQ(::ftruncate(fd, size), 0);
  ::close(fd);
  return path;
}

// safetensors: 8-byte little-endian header length, the JSON header, then the data.
std::string safetensorsHead(const std::string& json) {
  std::string head(8, '\0');
  std::uint64_t n = json.size();
  std::memcpy(head.data(), &n, 8);  // the machines attnviz runs on are little-endian
  return head + json;
}

long peakRssKiB() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

TEST(HostileFiles, TwoGiBSparseSafetensorsIsMappedNotCopied) {
  // One F32 tensor of 32768 x 16384 = 2^29 elements: 2^31 bytes, one more than a 32-bit signed count holds.
  std::string json = R"({"w":{"dtype":"F32","shape":[32768,16384],"data_offsets":[0,2147483648]}})";
  json.resize((json.size() + 7) / 8 * 8, ' ');  // aligned data: viewed in place
  const std::string head = safetensorsHead(json);
  const std::string path = sparseFile("attnviz-sparse", ".safetensors", head, static_cast<std::int64_t>(head.size()) + kTwoGiB);

  const long before = peakRssKiB();
  const NamedTensors t = readSafetensors(path);
  ASSERT_EQ(t.tensors.size(), 1u);
  EXPECT_EQ(t.tensors[0].second.numel(), std::int64_t{1} << 29);
  EXPECT_EQ(t.tensors[0].second.data()[(std::int64_t{1} << 29) - 1], 0.0f);  // the last element, one page touched
  EXPECT_LT(peakRssKiB() - before, 256 * 1024) << "the tensor was copied";

  // The model file limit refuses it by size, saying how to change the limit.
  EXPECT_TRUE(failsWith([&] { readSafetensors(path, std::uint64_t{1} << 30); },
                        {path, "more than the limit of 1073741824 bytes", "--max-model-size", "Run > Limits"}));
  EXPECT_TRUE(failsWith([&] { loadModel(path, {.maxFileBytes = std::int64_t{1} << 30}); }, {path, "--max-model-size"}));
  // Under the default limit it is read, and found not to be a model.
  EXPECT_TRUE(failsWith([&] { loadModel(path); }, {path, "not a model"}));
  fs::remove(path);
}

TEST(HostileFiles, TwoGiBOfZerosIsRefusedFromItsHeader) {
  const std::string path = sparseFile("attnviz-zeros", ".safetensors", std::string(), kTwoGiB);
  EXPECT_TRUE(failsWith([&] { readSafetensors(path); }, {path}));
  EXPECT_TRUE(failsWith([&] { loadModel(path); }, {path}));
  const std::string npz = sparseFile("attnviz-zeros", ".npz", std::string(), kTwoGiB);
  EXPECT_TRUE(failsWith([&] { readNpz(npz); }, {npz}));
  fs::remove(path);
  fs::remove(npz);
}

TEST(HostileFiles, ByteCountOverflowing32BitsIsCheckedAgainstTheFile) {
  // 65536 x 65537 F32 elements: a product past 2^32 in a 300-byte file.
  std::string json = R"({"w":{"dtype":"F32","shape":[65536,65537],"data_offsets":[0,17180131328]}})";
  json.resize((json.size() + 7) / 8 * 8, ' ');
  const std::string head = safetensorsHead(json);
  const std::string path = sparseFile("attnviz-overflow", ".safetensors", head, static_cast<std::int64_t>(head.size()) + 256);
  EXPECT_TRUE(failsWith([&] { readSafetensors(path); }, {path, "tensor 'w'", "not within the file bounds"}));
  fs::remove(path);
}

}  // namespace
}  // namespace attnviz
