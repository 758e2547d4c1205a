// Hostile-input smoke test: thousands of deterministic random corruptions of the valid files. Each must be
// either read or refused with a ModelFileError; any other exception, a crash or (under the asan preset) an
// out-of-bounds read fails the test. Bytes near the start (the headers) are hit most often.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "engine/io/package.h"
#include "engine/io/tensor_files.h"
#include "tests/loader/loader_test_util.h"

namespace attnviz {
namespace {

constexpr int kMutationsPerFile = 2000;
constexpr int kMutationsPerZipFile = 500;  // these go through a temporary file each

struct Outcome {
  int read = 0;
  int refused = 0;
};

Outcome mutate(const std::string& file, const std::function<void(const Bytes&)>& reader, int count = kMutationsPerFile) {
  const Bytes original = test::fileBytes(test::loaderData(file));
  std::mt19937 rng(20261121);
  Outcome outcome;
  for (int i = 0; i < count; ++i) {
    std::vector<std::uint8_t> data(original.data(), original.data() + original.size());
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      // Half the flips land in the first 128 bytes, where the headers and sizes live.
      const std::size_t limit = (rng() % 2) ? std::min<std::size_t>(128, data.size()) : data.size();
      const std::size_t at = rng() % limit;
      data[at] = (rng() % 3 == 0) ? static_cast<std::uint8_t>(rng()) : static_cast<std::uint8_t>(data[at] ^ (1u << (rng() % 8)));
    }
    if (rng() % 8 == 0) data.resize(rng() % (data.size() + 1));  // sometimes truncated as well
    try {
      reader(Bytes::fromVector(std::move(data), file));
      ++outcome.read;
    } catch (const ModelFileError&) {
      ++outcome.refused;
    } catch (const std::exception& e) {
      ADD_FAILURE() << file << " mutation " << i << " threw something other than a ModelFileError: " << e.what();
    }
  }
  return outcome;
}

TEST(Mutations, Npy) {
  for (const char* f : {"valid/f32.npy", "valid/f16.npy", "valid/i8.npy", "valid/f32_v3.npy"})
    EXPECT_GT(mutate(f, [](const Bytes& b) { readNpy(b); }).refused, 0) << f;
}

TEST(Mutations, Npz) {
  for (const char* f : {"valid/stored.npz", "valid/deflated.npz"})
    EXPECT_GT(mutate(f, [](const Bytes& b) { readNpz(b); }).refused, 0) << f;
}

TEST(Mutations, Safetensors) {
  for (const char* f : {"valid/f32.safetensors", "valid/bf16.safetensors", "valid/f16.safetensors"})
    EXPECT_GT(mutate(f, [](const Bytes& b) { readSafetensors(b); }).refused, 0) << f;
}

TEST(Mutations, Manifest) {
  mutate("valid/package/attnviz.json", [](const Bytes& b) {
    const Manifest m = parseManifest(std::string(reinterpret_cast<const char*>(b.data()), b.size()), "attnviz.json");
    m.architecture.asText();
  });
}

// Zipped packages and checkpoints are opened by path: each mutation is written to a temporary file.
void mutateZipFile(const std::string& file, const std::function<void(const std::string&)>& reader) {
  const std::string tmp = (std::filesystem::temp_directory_path() /
                           ("attnviz-mutation-" + std::to_string(::getpid()) + ".zip")).string();
  mutate(file, [&](const Bytes& b) {
    std::ofstream(tmp, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    reader(tmp);
  }, kMutationsPerZipFile);
  std::filesystem::remove(tmp);
}

TEST(Mutations, PackageZip) {
  mutateZipFile("valid/package_nested.zip", [](const std::string& path) {
    const Package p = Package::open(path);
    p.readLines("vocab");
    p.weights().finish();
  });
}

TEST(Mutations, HfCheckpointZip) {
  mutateZipFile("valid/hf_bert.zip", [](const std::string& path) { describeHfCheckpoint(path); });
}

}  // namespace
}  // namespace attnviz
