#include "engine/ops/product_path.h"

#include <cstdlib>
#include <mutex>

#include "engine/core/error.h"
#include "engine/ops/eigen_gemm.h"

namespace attnviz::ops {
namespace {
constexpr std::array<std::string_view, kProductPaths.size()> kNames{"onednn-packed", "onednn-stored", "inner-product",
                                                                   "eigen"};

std::optional<ProductPath> fromEnvironment() {
  const char* value = std::getenv("ATTNVIZ_PRODUCT_PATH");
  if (!value || !*value) return std::nullopt;
  if (auto path = productPathNamed(value)) return path;
  throw UsageError("ATTNVIZ_PRODUCT_PATH", "unknown product path \"" + std::string(value) +
                                               "\"; use onednn-packed, onednn-stored, inner-product or eigen, or unset it");
}

struct ForcedPath {
  std::mutex mutex;
  bool read = false;
  std::optional<ProductPath> path;
};
ForcedPath& forced() {
  static ForcedPath f;
  return f;
}

struct ChoiceLog {
  std::mutex mutex;
  std::vector<ProductChoice> choices;
};
ChoiceLog& choiceLog() {
  static ChoiceLog log;
  return log;
}

thread_local ProductRecording* activeRecording = nullptr;
}  // namespace

std::string_view productPathName(ProductPath path) { return kNames[static_cast<std::size_t>(path)]; }

std::optional<ProductPath> productPathNamed(std::string_view name) {
  for (ProductPath p : kProductPaths)
    if (productPathName(p) == name) return p;
  return std::nullopt;
}

std::optional<ProductPath> forcedProductPath() {
  ForcedPath& f = forced();
  std::lock_guard<std::mutex> lock(f.mutex);
  if (!f.read) {
    f.path = fromEnvironment();  // throws before `read` is set: every product says the same clear error
    f.read = true;
  }
  return f.path;
}

void forceProductPath(std::optional<ProductPath> path) {
  ForcedPath& f = forced();
  std::lock_guard<std::mutex> lock(f.mutex);
  f.path = path;
  f.read = true;
}

namespace detail {
void logProductChoice(ProductChoice choice) {
  ChoiceLog& log = choiceLog();
  std::lock_guard<std::mutex> lock(log.mutex);
  log.choices.push_back(std::move(choice));
}
}  // namespace detail

std::string eigenVariant() { return detail::eigenGemmIsa(); }

std::string productPathsSummary() {
  if (auto path = forcedProductPath()) return "forced: " + std::string(productPathName(*path)) + " (ATTNVIZ_PRODUCT_PATH)";
  std::string s = "timed per shape among";
  for (ProductPath p : kProductPaths) s += std::string(p == kProductPaths.front() ? " " : ", ") + std::string(productPathName(p));
  return s + " (" + eigenVariant() + ")";
}

std::vector<ProductChoice> productChoices() {
  ChoiceLog& log = choiceLog();
  std::lock_guard<std::mutex> lock(log.mutex);
  return log.choices;
}

ProductRecording::ProductRecording(Mode mode) : mode_(mode) { activeRecording = this; }
ProductRecording::~ProductRecording() { activeRecording = nullptr; }

double ProductRecording::totalMs() const {
  double total = 0;
  for (const RecordedProduct& p : products_) total += p.ms;
  return total;
}

void recordProduct(RecordedProduct product) {
  if (activeRecording) activeRecording->products_.push_back(std::move(product));
}

std::optional<ProductRecording::Mode> productRecordingMode() {
  if (!activeRecording) return std::nullopt;
  return activeRecording->mode();
}

}  // namespace attnviz::ops
