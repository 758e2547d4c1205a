#include "engine/analysis/rollout.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "engine/core/error.h"

namespace attnviz {

namespace {
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix>;

// Zeroes the k smallest off-diagonal weights of every row of fused: [N, N]; ties go to the lower column.
void discardLowest(RowMatrix& fused, std::int64_t k) {
  const std::int64_t n = fused.rows();
  if (k <= 0 || n < 2) return;
  std::vector<std::int64_t> columns(static_cast<std::size_t>(n - 1));
  for (std::int64_t i = 0; i < n; ++i) {
    auto* row = fused.row(i).data();
    std::iota(columns.begin(), columns.begin() + i, 0);      // every column but the diagonal
    std::iota(columns.begin() + i, columns.end(), i + 1);
    const auto lower = [row](std::int64_t a, std::int64_t b) { return row[a] < row[b] || (row[a] == row[b] && a < b); };
    std::nth_element(columns.begin(), columns.begin() + (k - 1), columns.end(), lower);
    for (std::int64_t c = 0; c < k; ++c) row[columns[static_cast<std::size_t>(c)]] = 0.0f;
  }
}

}  // namespace

bool validDiscardRatio(double ratio) { return ratio >= 0.0 && ratio < 1.0; }

const char* fusionName(RolloutFusion fusion) {
  switch (fusion) {
    case RolloutFusion::Mean: return "mean";
    case RolloutFusion::Max: return "max";
    case RolloutFusion::Min: return "min";
    case RolloutFusion::None: return "none";
  }
  return "none";
}

Tensor attentionRollout(const Tensor& self, RolloutFusion fusion, double discardRatio) {
  if (self.rank() != 4 || self.dim(2) != self.dim(3) || self.dim(1) < 1)
    throw InternalError("rollout", "attention must be [layers, heads, N, N], got " + shapeString(self.shape()));
  if (fusion == RolloutFusion::None) throw InternalError("rollout", "no head fusion given");
  if (!validDiscardRatio(discardRatio))
    throw UsageError("rollout", "the discard ratio must be at least 0 and below 1, got " + std::to_string(discardRatio));
  const auto layers = self.dim(0), heads = self.dim(1), n = self.dim(2);
  // Off-diagonal weights zeroed per row and layer.
  const auto discard = static_cast<std::int64_t>(std::floor(discardRatio * static_cast<double>(n - 1)));
  RowMatrix result = RowMatrix::Identity(n, n);
  for (std::int64_t l = 0; l < layers; ++l) {
    const Tensor layer = self.slice(l);  // [heads, N, N]
    RowMatrix fused = ConstMap(layer.slice(0).data(), n, n);
    for (std::int64_t h = 1; h < heads; ++h) {
      ConstMap head(layer.slice(h).data(), n, n);
      if (fusion == RolloutFusion::Mean) fused += head;
      else if (fusion == RolloutFusion::Max) fused = fused.cwiseMax(head);
      else fused = fused.cwiseMin(head);
    }
    if (fusion == RolloutFusion::Mean) fused /= static_cast<float>(heads);
    discardLowest(fused, discard);
    fused += RowMatrix::Identity(n, n);  // the residual connection
    fused.array().colwise() /= fused.rowwise().sum().array();
    result = fused * result;
  }
  Tensor out({n, n});
  Eigen::Map<RowMatrix>(out.data(), n, n) = result;
  return out;
}

}  // namespace attnviz
