// niceAxis: the one rule for the numbers on a chart's value axis. Ticks fall on steps of 1, 2, 2.5 or 5 times a
// power of ten, the range is widened to whole steps, and labels carry as many decimals as the step needs, so a
// probability axis reads 0, 0.25, 0.5, 0.75, 1 (not 0.0, 0.3, 0.5, 0.8, 1.0) and an entropy axis 0, 1, 2, 3, 4, 5
// (not 1.1, 2.3, 3.4, 4.5).
//
//   const NiceAxis a = niceAxis(0.0, 4.46, 6);   // {lo 0, hi 5, step 1, ticks 6}
//   axis->setRange(a.lo, a.hi); axis->setTickCount(a.ticks); axis->setLabelFormat(a.labelFormat());
#pragma once

#include <QString>

namespace attnviz::ui {

struct NiceAxis {
  double lo = 0.0;
  double hi = 1.0;
  double step = 0.25;
  int ticks = 5;     // lo, lo + step, ..., hi
  int decimals = 2;  // what the step needs: 0.25 -> 2, 0.5 -> 1, 2 -> 0
  // printf-style for QValueAxis: "%.2f" for decimals 2 (every label with the same decimals, as in a table).
  QString labelFormat() const;
  QString label(double value) const;  // one tick's text, as labelFormat() writes it
};

// The smallest nice step that covers [lo, hi] in at most maxTicks ticks (at least 2). lo > hi are swapped; an
// empty range becomes [lo, lo + 1].
NiceAxis niceAxis(double lo, double hi, int maxTicks);

}  // namespace attnviz::ui
