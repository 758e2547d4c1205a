#include "engine/model/rollout.h"

#include <Eigen/Dense>

#include "engine/core/error.h"

namespace attnviz {

namespace {
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMap = Eigen::Map<const RowMatrix>;
}  // namespace

const char* fusionName(RolloutFusion fusion) {
  switch (fusion) {
    case RolloutFusion::Mean: return "mean";
    case RolloutFusion::Max: return "max";
    case RolloutFusion::Min: return "min";
    case RolloutFusion::None: return "none";
  }
  return "none";
}

Tensor attentionRollout(const Tensor& self, RolloutFusion fusion) {
  if (self.rank() != 4 || self.dim(2) != self.dim(3) || self.dim(1) < 1)
    throw InternalError("rollout", "attention must be [layers, heads, N, N], got " + shapeString(self.shape()));
  if (fusion == RolloutFusion::None) throw InternalError("rollout", "no head fusion given");
  const auto layers = self.dim(0), heads = self.dim(1), n = self.dim(2);
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
    fused += RowMatrix::Identity(n, n);  // the residual connection
    fused.array().colwise() /= fused.rowwise().sum().array();
    result = fused * result;
  }
  Tensor out({n, n});
  Eigen::Map<RowMatrix>(out.data(), n, n) = result;
  return out;
}

}  // namespace attnviz
