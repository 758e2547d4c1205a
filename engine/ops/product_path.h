// How a Linear's matrix product is computed, chosen per shape by timing (issue 19). The candidates:
//   onednn-packed  oneDNN matmul, weights reordered once into the layout the primitive prefers (format any)
//   onednn-stored  oneDNN matmul reading W as stored, [out, in] (a transposed-B product; no copy of the weights)
//   inner-product  oneDNN inner_product, weights reordered once into its preferred layout
//   eigen          Eigen's GEMM on W as stored, built for SSE2, AVX2+FMA and AVX-512 and picked at run time
// At the first run of a shape (rows rounded up to a power of two, in, out, epilogue, precision, threads) every
// candidate is timed on the real input and the fastest is kept for every Linear of that shape (products under
// 32 MFLOP take onednn-packed untimed: timing them measures noise); `bench --json`
// lists the choices with each candidate's time. ATTNVIZ_PRODUCT_PATH=<name> (or forceProductPath) forces one,
// for tests and comparisons. bf16 products always take onednn-packed (the only bf16 path).
//
//   for (const ProductChoice& c : productChoices()) std::cout << c.shape << " " << productPathName(c.path);
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz::ops {

enum class ProductPath { OnednnPacked, OnednnStored, InnerProduct, Eigen };
inline constexpr std::array<ProductPath, 4> kProductPaths{ProductPath::OnednnPacked, ProductPath::OnednnStored,
                                                         ProductPath::InnerProduct, ProductPath::Eigen};

std::string_view productPathName(ProductPath path);
// "onednn-packed" etc.; nullopt for an unknown name.
std::optional<ProductPath> productPathNamed(std::string_view name);

// The path every product takes from now on (nullopt: chosen by timing, the default). Initially
// ATTNVIZ_PRODUCT_PATH's value; an unknown name there is a ConfigError naming the variable and the choices.
std::optional<ProductPath> forcedProductPath();
void forceProductPath(std::optional<ProductPath> path);

// For `info`: "timed per shape among onednn-packed, onednn-stored, inner-product, eigen (avx512)", or "forced:
// onednn-stored (ATTNVIZ_PRODUCT_PATH)".
std::string productPathsSummary();
// The Eigen variant this CPU runs: "avx512", "avx2+fma" or "sse2".
std::string eigenVariant();

// One timed choice: the shape key in words and each candidate's best time (ms; negative: could not be built).
struct ProductChoice {
  std::string shape;  // e.g. "rows<=128 768->3072 +gelu f32 2 threads"
  ProductPath path;
  std::array<double, kProductPaths.size()> candidateMs;
};
// Every choice made in this process so far, in the order made.
std::vector<ProductChoice> productChoices();

// Products recorded while a ProductRecording is alive on this thread, for the products-only bounds of `bench`:
// each product's shape and time, either as it ran in the forward (InRun: weights and inputs as cold as the forward
// leaves them) or its best of 5 run again alone right after (Alone: hot caches, the fastest this path computes this
// shape). One mode per recording, so the second kind's extra runs never disturb the first's timing.
struct RecordedProduct {
  std::string shape;
  double ms = 0;
};
class ProductRecording {
 public:
  enum class Mode { InRun, Alone };
  explicit ProductRecording(Mode mode);
  ~ProductRecording();
  ProductRecording(const ProductRecording&) = delete;
  ProductRecording& operator=(const ProductRecording&) = delete;
  Mode mode() const { return mode_; }
  const std::vector<RecordedProduct>& products() const { return products_; }
  double totalMs() const;

 private:
  friend void recordProduct(RecordedProduct product);
  Mode mode_;
  std::vector<RecordedProduct> products_;
};
void recordProduct(RecordedProduct product);  // adds to this thread's recording, if any
// This thread's recording's mode, or nullopt without one.
std::optional<ProductRecording::Mode> productRecordingMode();

// Best of `timedRuns` runs of run() in ms, after one untimed run (which may build a primitive): how the
// candidates are timed and how a recorded product is timed alone.
template <class Run>
double bestRunMs(Run&& run, int timedRuns = 3) {
  run();
  double best = 1e300;
  for (int i = 0; i < timedRuns; ++i) {
    const auto start = std::chrono::steady_clock::now();
    run();
    best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

// How every product op runs its product: run() once, timed under a recording (InRun), or followed by its best of 5
// alone (Alone), recorded under shape().
template <class Run, class ShapeText>
void runProduct(Run&& run, ShapeText&& shape) {
  const auto mode = productRecordingMode();
  if (!mode) {
    run();
    return;
  }
  const auto start = std::chrono::steady_clock::now();
  run();
  const double inRun = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  recordProduct({shape(), *mode == ProductRecording::Mode::InRun ? inRun : bestRunMs(run, 5)});
}

namespace detail {
void logProductChoice(ProductChoice choice);  // by the chooser (linear.cpp)
}

}  // namespace attnviz::ops
