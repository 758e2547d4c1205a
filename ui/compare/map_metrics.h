// map_metrics: numbers that summarise and compare attention maps (rows are distributions over the
// columns), for the variant comparison table.
//
//   MapMetrics m = mapMetrics(map);          // m.meanRowEntropyBits, m.meanMaxWeight
//   std::optional<double> js = jensenShannon(a, b);   // nullopt when the shapes differ
//   std::optional<HeatmapData> d = difference(a, b);  // a - b, cell by cell
#pragma once

#include <optional>

#include "ui/maps/heatmap_data.h"

namespace attnviz::ui {

struct MapMetrics {
  double meanRowEntropyBits = 0;  // mean over rows of -sum p log2 p: 0 = every row one-hot
  double meanMaxWeight = 0;       // mean over rows of the largest weight: 1 = every row one-hot
};

// Each row is renormalised to sum 1 first (a row of zeros counts as uniform); a map with oneDistribution is one
// "row" of all its cells.
MapMetrics mapMetrics(const HeatmapData& map);

// Mean over rows of the Jensen-Shannon divergence (base 2, so in [0, 1]) between a's and b's rows;
// nullopt when the maps differ in shape (e.g. two free translations of different lengths).
std::optional<double> jensenShannon(const HeatmapData& a, const HeatmapData& b);

// a - b with a's labels, titled "<a> − <b>"; nullopt when the shapes differ.
std::optional<HeatmapData> difference(const HeatmapData& a, const HeatmapData& b, const QString& title);

}  // namespace attnviz::ui
