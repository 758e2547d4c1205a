#include "ui/map_metrics.h"

#include <cmath>

namespace attnviz::ui {
namespace {

// Row r of m as a probability distribution.
std::vector<double> rowDistribution(const HeatmapData& m, int r) {
  std::vector<double> p(static_cast<std::size_t>(m.cols));
  double sum = 0;
  for (int c = 0; c < m.cols; ++c) {
    const float v = m.at(r, c);
    p[static_cast<std::size_t>(c)] = std::isfinite(v) && v > 0 ? v : 0.0;
    sum += p[static_cast<std::size_t>(c)];
  }
  for (double& x : p) x = sum > 0 ? x / sum : 1.0 / m.cols;
  return p;
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
  for (int r = 0; r < m.rows; ++r) {
    const std::vector<double> p = rowDistribution(m, r);
    out.meanRowEntropyBits += entropyBits(p);
    double mx = 0;
    for (double x : p) mx = std::max(mx, x);
    out.meanMaxWeight += mx;
  }
  out.meanRowEntropyBits /= m.rows;
  out.meanMaxWeight /= m.rows;
  return out;
}

std::optional<double> jensenShannon(const HeatmapData& a, const HeatmapData& b) {
  if (!sameShape(a, b)) return std::nullopt;
  double total = 0;
  for (int r = 0; r < a.rows; ++r) {
    const std::vector<double> p = rowDistribution(a, r);
    const std::vector<double> q = rowDistribution(b, r);
    std::vector<double> mid(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) mid[i] = (p[i] + q[i]) / 2;
    // JS = H(M) - (H(P) + H(Q)) / 2; clamp the rounding error below 0.
    total += std::max(0.0, entropyBits(mid) - (entropyBits(p) + entropyBits(q)) / 2);
  }
  return total / a.rows;
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
