// Helpers shared by the golden tests that compare whole tensors (the ViT ones, the token contribution and knockout
// ones): reading a golden .npz by name, differences of two tensors, how far rows are from summing to 1, ids stored
// as floats, and a golden's pixels handed to a model as a .npy file.
//
//   const auto g = golden::load(dir + "rgb-32x32.npz");
//   EXPECT_LT(golden::maxDiff(trace.attention.at("self"), g.at("attention")), 1e-4);
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/io/tensor_files.h"

namespace golden {

inline std::map<std::string, attnviz::Tensor> load(const std::string& npz) {
  std::map<std::string, attnviz::Tensor> g;
  for (auto& [name, t] : attnviz::readNpz(npz).tensors) g.emplace(name, std::move(t));
  return g;
}

// max |a - b| over the elements (a failure is recorded when the sizes differ).
inline double maxDiff(const attnviz::Tensor& a, const attnviz::Tensor& b) {
  EXPECT_EQ(a.numel(), b.numel());
  double worst = 0;
  for (std::int64_t i = 0; i < std::min(a.numel(), b.numel()); ++i)
    worst = std::max(worst, std::fabs(double(a.data()[i]) - b.data()[i]));
  return worst;
}

// max over the rows (last axis) of |sum - 1|.
inline double worstRowSumError(const attnviz::Tensor& t) {
  const std::int64_t n = t.dim(t.rank() - 1);
  double worst = 0;
  for (std::int64_t row = 0; row < t.numel() / n; ++row) {
    double sum = 0;
    for (std::int64_t j = 0; j < n; ++j) sum += t.data()[row * n + j];
    worst = std::max(worst, std::fabs(sum - 1.0));
  }
  return worst;
}

// Every row (last axis) sums to 1 within tolerance; the first row that does not is named.
inline void expectRowsSumToOne(const attnviz::Tensor& t, const std::string& what, double tolerance = 1e-5) {
  const std::int64_t n = t.dim(-1);
  for (std::int64_t r = 0; r * n < t.numel(); ++r) {
    double sum = 0;
    for (std::int64_t k = 0; k < n; ++k) sum += t.data()[r * n + k];
    ASSERT_NEAR(sum, 1.0, tolerance) << what << " row " << r;
  }
}

inline void expectNonNegative(const attnviz::Tensor& t, const std::string& what) {
  for (float v : t.values()) ASSERT_GE(v, 0.0f) << what;
}

// The largest difference of each [N, N] map (the last two axes) over that map's largest |entry|: for maps whose
// values reach tens (value norms, GlobEnc's raw norms). A failure is recorded when the shapes differ.
inline double maxRelativeToMapMax(const attnviz::Tensor& got, const attnviz::Tensor& want) {
  EXPECT_EQ(got.shape(), want.shape());
  if (got.shape() != want.shape()) return INFINITY;
  const std::int64_t mapSize = want.dim(-1) * want.dim(-2);
  double worst = 0;
  for (std::int64_t m = 0; m * mapSize < want.numel(); ++m) {
    double top = 0, diff = 0;
    for (std::int64_t k = m * mapSize; k < (m + 1) * mapSize; ++k) {
      top = std::max(top, std::fabs(double(want.data()[k])));
      diff = std::max(diff, std::fabs(double(got.data()[k]) - want.data()[k]));
    }
    worst = std::max(worst, diff / std::max(top, 1e-30));
  }
  return worst;
}

// Integers a reference stored as float32 (token ids, segment ids).
inline std::vector<std::int64_t> ints(const attnviz::Tensor& t) {
  std::vector<std::int64_t> out;
  for (float v : t.values()) out.push_back(static_cast<std::int64_t>(v));
  return out;
}

// A golden's pixels [3, H, W] written as a float32 .npy in the temporary folder, for Input::fromPixels (the model
// takes them as they are, --pixels); removed when it goes out of scope.
class PixelsNpy {
 public:
  explicit PixelsNpy(const attnviz::Tensor& pixels)
      : path_(std::filesystem::temp_directory_path() /
              ("attnviz-golden-pixels-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++) + ".npy")) {
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(pixels.dim(0)) + ", " +
                         std::to_string(pixels.dim(1)) + ", " + std::to_string(pixels.dim(2)) + "), }";
    header.append(64 - (10 + header.size() + 1) % 64, ' ');  // the header, padded, ends on a 64-byte boundary
    header += '\n';
    std::ofstream out(path_, std::ios::binary);
    out.write("\x93NUMPY\x01\x00", 8);
    const std::uint16_t length = static_cast<std::uint16_t>(header.size());
    out.write(reinterpret_cast<const char*>(&length), 2);
    out << header;
    out.write(reinterpret_cast<const char*>(pixels.data()), pixels.numel() * 4);
  }
  ~PixelsNpy() { std::filesystem::remove(path_); }
  PixelsNpy(const PixelsNpy&) = delete;
  PixelsNpy& operator=(const PixelsNpy&) = delete;
  std::string path() const { return path_.string(); }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path path_;
};

}  // namespace golden
