// Helpers for tests/unit/test_ops*.cpp: seeded random tensors and an op-vs-reference comparison that prints
// the largest difference ("linear [7x33]x[33->19]: max diff 3.1e-07") and fails past |a-b| <= tol*max(1,|b|).
//
//   std::mt19937 rng(42);
//   attnviz::Tensor x = opstest::random({7, 33}, rng);
//   opstest::expectClose("gelu [7x33]", attnviz::ops::gelu(x), attnviz::ref::gelu(x));
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "engine/core/tensor.h"

namespace opstest {

constexpr double kRelTol = 1e-5;  // |got - want| <= kRelTol * max(1, |want|)

// Values uniform in [lo, hi).
inline attnviz::Tensor random(attnviz::Shape shape, std::mt19937& rng, float lo = -1.0f, float hi = 1.0f) {
  attnviz::Tensor t(std::move(shape));
  std::uniform_real_distribution<float> dist(lo, hi);
  for (float& v : t.values()) v = dist(rng);
  return t;
}

// "7x33"
inline std::string dims(const attnviz::Shape& shape) {
  std::string s;
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

// Largest |got - want|, and whether every element is within tolerance; prints "<label>: max diff <d>".
inline void expectClose(const std::string& label, const attnviz::Tensor& got, const attnviz::Tensor& want,
                        double relTol = kRelTol) {
  ASSERT_EQ(got.shape(), want.shape()) << label << ": got " << attnviz::shapeString(got.shape()) << ", want "
                                       << attnviz::shapeString(want.shape());
  double maxDiff = 0.0;
  std::int64_t worst = -1, bad = 0;
  for (std::int64_t i = 0; i < got.numel(); ++i) {
    const double a = got.data()[i], b = want.data()[i];
    const double diff = std::isnan(a) || std::isnan(b) ? INFINITY : std::fabs(a - b);
    if (diff > relTol * std::max(1.0, std::fabs(b))) {
      ++bad;
      if (worst < 0) worst = i;
    }
    maxDiff = std::max(maxDiff, diff);
  }
  std::printf("%s: max diff %.1e\n", label.c_str(), maxDiff);
  EXPECT_EQ(bad, 0) << label << ": " << bad << " of " << got.numel() << " values off, first at flat index " << worst
                    << " (got " << got.data()[worst] << ", want " << want.data()[worst] << "), max diff " << maxDiff;
}

}  // namespace opstest
