// Helpers shared by the ViT golden tests (test_vit_golden, test_vit_fashion_golden, test_vit_deit_timm_golden):
// reading a golden .npz by name, the largest difference of two tensors, and how far rows are from summing to 1.
//
//   const auto g = vitgolden::load(dir + "rgb-32x32.npz");
//   EXPECT_LT(vitgolden::maxDiff(trace.attention.at("self"), g.at("attention")), 1e-4);
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "engine/core/tensor.h"
#include "engine/io/tensor_files.h"

namespace vitgolden {

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

}  // namespace vitgolden
