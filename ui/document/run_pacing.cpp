#include "ui/document/run_pacing.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace attnviz::ui {

void RunPacing::recordRun(double milliseconds) {
  if (!std::isfinite(milliseconds) || milliseconds < 0.0) return;
  recent_[static_cast<std::size_t>(next_)] = milliseconds;
  next_ = (next_ + 1) % kRecentRuns;
  count_ = std::min(count_ + 1, kRecentRuns);
}

void RunPacing::reset() {
  count_ = 0;
  next_ = 0;
}

std::optional<double> RunPacing::typicalRunMs() const {
  if (count_ == 0) return std::nullopt;
  // The first count_ slots are the kept runs (the ring fills from 0). A vector, not a sorted copy of the array: GCC 12
  // warns (-Warray-bounds, a false positive) on std::sort over part of a std::array.
  std::vector<double> runs(recent_.begin(), recent_.begin() + count_);
  std::sort(runs.begin(), runs.end());
  const std::size_t mid = runs.size() / 2;  // an even count: the mean of the two middle runs
  return runs.size() % 2 ? runs[mid] : (runs[mid - 1] + runs[mid]) / 2.0;
}

int RunPacing::delayMs() const {
  const std::optional<double> typical = typicalRunMs();
  if (!typical || *typical <= kImmediateRunMs) return 0;
  return static_cast<int>(std::min<double>(kMaxDelayMs, std::ceil(*typical - kImmediateRunMs)));
}

}  // namespace attnviz::ui
