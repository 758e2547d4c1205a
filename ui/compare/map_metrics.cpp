#include "ui/compare/map_metrics.h"

#include <cmath>

namespace attnviz::ui {
namespace {

// The values [first, first + n) as a probability distribution (zeros: uniform).
std::vector<double> distribution(const HeatmapData& m, std::size_t first, std::size_t n) {
  std::vector<double> p(n);
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float v = m.values[first + i];
    p[i] = std::isfinite(v) && v > 0 ? v : 0.0;
    sum += p[i];
  }
  for (double& x : p) x = sum > 0 ? x / sum : 1.0 / static_cast<double>(n);
  return p;
}

// What the metrics average over: each row, or the whole map as one distribution (HeatmapData::oneDistribution).
int distributionCount(const HeatmapData& m) { return m.oneDistribution ? 1 : m.rows; }
std::vector<double> distributionOf(const HeatmapData& m, int i) {
  const auto cols = static_cast<std::size_t>(m.cols);
  return m.oneDistribution ? distribution(m, 0, m.values.size()) : distribution(m, static_cast<std::size_t>(i) * cols, cols);
}

double entropyBits(const std::vector<double>& p) {
  double h = 0;
  for (double x : p) {
    if (x > 0) h -= x * std::log2(x);
  }
  return h;
}

bool sameShape(const HeatmapData& a, const HeatmapData& b) {
  return !a.empty() && a.rows == b.rows && a.cols == b.cols &&
         a.values.size() == static_cast<std::size_t>(a.rows) * a.cols && b.values.size() == a.values.size();
}

}  // namespace

MapMetrics mapMetrics(const HeatmapData& m) {
  MapMetrics out;
  if (m.empty()) return out;
  const int n = distributionCount(m);
  for (int r = 0; r < n; ++r) {
    const std::vector<double> p = distributionOf(m, r);
    out.meanRowEntropyBits += entropyBits(p);
    double mx = 0;
    for (double x : p) mx = std::max(mx, x);
    out.meanMaxWeight += mx;
  }
  out.meanRowEntropyBits /= n;
  out.meanMaxWeight /= n;
  return out;
}

std::optional<double> jensenShannon(const HeatmapData& a, const HeatmapData& b) {
  if (!sameShape(a, b)) return std::nullopt;
  if (a.oneDistribution != b.oneDistribution) return std::nullopt;
  const int n = distributionCount(a);
  double total = 0;
  for (int r = 0; r < n; ++r) {
    const std::vector<double> p = distributionOf(a, r);
    const std::vector<double> q = distributionOf(b, r);
    std::vector<double> mid(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) mid[i] = (p[i] + q[i]) / 2;
    // JS = H(M) - (H(P) + H(Q)) / 2; clamp the rounding error below 0.
    total += std::max(0.0, entropyBits(mid) - (entropyBits(p) + entropyBits(q)) / 2);
  }
  return total / n;
}

std::optional<HeatmapData> difference(const HeatmapData& a, const HeatmapData& b, const QString& title) {
  if (!sameShape(a, b)) return std::nullopt;
  HeatmapData d = a;
  d.marks.clear();
  for (std::size_t i = 0; i < d.values.size(); ++i) d.values[i] = a.values[i] - b.values[i];
  d.title = title;
  return d;
}

}  // namespace attnviz::ui
