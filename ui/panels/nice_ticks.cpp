#include "ui/panels/nice_ticks.h"

#include <algorithm>
#include <cmath>

namespace attnviz::ui {
namespace {

constexpr double kMantissas[] = {1.0, 2.0, 2.5, 5.0};
constexpr double kSlack = 1e-9;  // of a step: a bound a hair past a tick still counts as on it

// Decimals that write `step` (and its multiples) exactly: 0.25 -> 2, 2.5 -> 1, 20 -> 0.
int decimalsOf(double step) {
  for (int d = 0; d < 10; ++d) {
    const double scaled = step * std::pow(10.0, d);
    if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) return d;
  }
  return 10;
}

}  // namespace

QString NiceAxis::labelFormat() const { return QStringLiteral("%.%1f").arg(decimals); }

QString NiceAxis::label(double value) const { return QString::number(value, 'f', decimals); }

NiceAxis niceAxis(double lo, double hi, int maxTicks) {
  if (lo > hi) std::swap(lo, hi);
  if (!(hi > lo)) hi = lo + 1.0;
  maxTicks = std::max(2, maxTicks);
  const double rough = (hi - lo) / (maxTicks - 1);
  double decade = std::pow(10.0, std::floor(std::log10(rough)));
  NiceAxis a;
  for (;; decade *= 10.0) {
    for (double m : kMantissas) {
      const double step = m * decade;
      const double first = std::floor(lo / step + kSlack);
      const double last = std::ceil(hi / step - kSlack);
      if (last - first + 1 <= maxTicks) {
        a.step = step;
        a.lo = first * step;
        a.hi = last * step;
        a.ticks = static_cast<int>(last - first) + 1;
        a.decimals = decimalsOf(step);
        return a;
      }
    }
  }
}

}  // namespace attnviz::ui
