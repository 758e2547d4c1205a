#include "engine/analysis/contributions.h"

#include <Eigen/Dense>
#include <cmath>
#include <sstream>

#include "engine/core/error.h"

namespace attnviz {

const char* const kContributionMethodNames = "value-norm, alti";

namespace {
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Map = Eigen::Map<RowMatrix>;
using ConstMap = Eigen::Map<const RowMatrix>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;

constexpr float kPairwiseDistanceEps = 1e-6f;  // torch.nn.functional.pairwise_distance's default eps

void checkBlock(const AttentionBlockParts& b, const Tensor& probs, std::int64_t layer) {
  const std::int64_t n = b.input.dim(0), hidden = b.input.dim(1), heads = probs.dim(0);
  const auto bad = [&](const std::string& what) {
    throw InternalError("tokenContributions", "layer " + std::to_string(layer) + ": " + what);
  };
  if (b.input.rank() != 2 || b.values.shape() != b.input.shape() || b.residual.shape() != b.input.shape())
    bad("input, values and residual must be one [N, hidden] shape");
  if (probs.shape() != Shape{heads, n, n} || heads < 1 || hidden % heads != 0) bad("attention must be [heads, N, N]");
  if (b.outWeight.shape() != Shape{hidden, hidden} || b.outBias.shape() != Shape{hidden}) bad("W_O/b_O shapes");
  if (b.postLayerNorm && (b.norm1.gamma.shape() != Shape{hidden} || b.norm1.beta.shape() != Shape{hidden}))
    bad("LayerNorm 1 shapes");
}

// γ ⊙ (v − mean(v)) for each row of m, in place (LayerNorm's linear part; mt-upc's l_transform).
void centerAndScale(Eigen::Ref<RowMatrix> m, const RowVector& gamma) {
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    const float mean = m.row(r).mean();
    m.row(r) = (m.row(r).array() - mean) * gamma.array();
  }
}

float populationStd(const float* v, std::int64_t n) {
  double mean = 0, squares = 0;
  for (std::int64_t k = 0; k < n; ++k) mean += v[k];
  mean /= static_cast<double>(n);
  for (std::int64_t k = 0; k < n; ++k) squares += (v[k] - mean) * (v[k] - mean);
  return static_cast<float>(std::sqrt(squares / static_cast<double>(n)));
}

// One layer: f^h(x_j) for every head and token, [heads][N, hidden]: the head's values times its columns of W_O.
std::vector<RowMatrix> transformedValues(const AttentionBlockParts& b, std::int64_t heads) {
  const std::int64_t n = b.input.dim(0), hidden = b.input.dim(1), d = hidden / heads;
  const ConstMap values(b.values.data(), n, hidden), w(b.outWeight.data(), hidden, hidden);
  std::vector<RowMatrix> f(static_cast<std::size_t>(heads));
  for (std::int64_t h = 0; h < heads; ++h)
    f[static_cast<std::size_t>(h)].noalias() = values.middleCols(h * d, d) * w.middleCols(h * d, d).transpose();
  return f;
}

// value_norm of one layer into out [heads, N, N]: α^h_ij · ‖f^h(x_j)‖₂.
void layerValueNorm(const std::vector<RowMatrix>& f, const Tensor& probs, Tensor out) {
  const std::int64_t heads = probs.dim(0), n = probs.dim(1);
  for (std::int64_t h = 0; h < heads; ++h) {
    const RowVector norms = f[static_cast<std::size_t>(h)].rowwise().norm().transpose();  // [N]: ‖f^h(x_j)‖
    Map(out.slice(h).data(), n, n) = ConstMap(probs.slice(h).data(), n, n).array().rowwise() * norms.array();
  }
}

// One layer's output decomposed by input token: y_i = Σ_j T_i(x_j) + bias term (see contributions.h). Built once per
// layer from f^h(x_j); rows(i) then gives one output token's terms.
struct Decomposition {
  std::vector<RowMatrix> f;  // [heads][N, hidden]: f^h(x_j), post-LN: centred and scaled by γ₁
  RowMatrix own;             // [N, hidden]: x_i, the residual counted in T_i(x_i) (post-LN: centred, scaled)
  RowVector bias, beta;      // [hidden]: b_O (post-LN: centred, scaled) and β₁ (pre-LN: 0)
  std::vector<float> sigma;  // [N]: σ_i (pre-LN: 1)
  Tensor probs;              // [heads, N, N]

  // t: [N, hidden], row j = T_i(x_j); y: [hidden], the block's output y_i.
  void rows(std::int64_t i, RowMatrix& t, RowVector& y) const {
    const std::int64_t n = probs.dim(1);
    t.setZero(n, own.cols());
    for (std::size_t h = 0; h < f.size(); ++h) {
      const Eigen::Map<const Eigen::VectorXf> alpha(probs.slice(static_cast<std::int64_t>(h)).slice(i).data(), n);
      t.noalias() += alpha.asDiagonal() * f[h];  // α^h_ij f^h(x_j) for every j
    }
    t.row(i) += own.row(i);
    const float scale = 1.0f / sigma[static_cast<std::size_t>(i)];
    t *= scale;
    y = t.colwise().sum() + bias * scale + beta;
  }
};

// f: this layer's transformedValues, consumed (post-LN: centred and scaled in place).
Decomposition decompose(const AttentionBlockParts& b, std::vector<RowMatrix> f, const Tensor& probs) {
  const std::int64_t n = b.input.dim(0), hidden = b.input.dim(1);
  Decomposition d{std::move(f), ConstMap(b.input.data(), n, hidden), Eigen::Map<const RowVector>(b.outBias.data(), hidden),
                  RowVector::Zero(hidden), std::vector<float>(static_cast<std::size_t>(n), 1.0f), probs};
  if (b.postLayerNorm) {  // LN1 is linear once σ_i is fixed: apply its centring and γ to every part
    const RowVector gamma = Eigen::Map<const RowVector>(b.norm1.gamma.data(), hidden);
    for (RowMatrix& head : d.f) centerAndScale(head, gamma);
    centerAndScale(d.own, gamma);
    centerAndScale(d.bias, gamma);
    d.beta = Eigen::Map<const RowVector>(b.norm1.beta.data(), hidden);
    for (std::int64_t i = 0; i < n; ++i) d.sigma[static_cast<std::size_t>(i)] = populationStd(b.residual.slice(i).data(), hidden);
  }
  return d;
}

// ALTI of one layer into out [N, N]: c_ij = max(0, ‖y_i‖₁ − ‖T_i(x_j) − y_i‖₁), rows normalised.
void layerAlti(const Decomposition& d, Tensor out) {
  const std::int64_t n = d.probs.dim(1);
  Map result(out.data(), n, n);
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < n; ++i) {
    RowMatrix t;
    RowVector y;
    d.rows(i, t, y);
    const RowVector shifted = y.array() - kPairwiseDistanceEps;  // |T − y + eps| = |T − (y − eps)|
    const float yNorm = y.cwiseAbs().sum();
    double total = 0;
    for (std::int64_t j = 0; j < n; ++j) {
      const float c = std::max(0.0f, yNorm - (t.row(j) - shifted).cwiseAbs().sum());
      result(i, j) = c;
      total += c;
    }
    if (total > 0) result.row(i) /= static_cast<float>(total);
  }
}

}  // namespace

Contributions tokenContributions(const std::vector<AttentionBlockParts>& blocks, const Tensor& self,
                                 const ContributionSet& want) {
  if (self.rank() != 4 || self.dim(0) != static_cast<std::int64_t>(blocks.size()) || blocks.empty())
    throw InternalError("tokenContributions", "attention " + shapeString(self.shape()) + " for " +
                                                  std::to_string(blocks.size()) + " attention blocks");
  const std::int64_t layers = self.dim(0), heads = self.dim(1), n = self.dim(2);
  Contributions c;
  if (want.valueNorm) c.valueNorm = Tensor::uninitialized({layers, heads, n, n});
  if (want.alti) c.alti = Tensor::uninitialized({layers, n, n});
  for (std::int64_t l = 0; l < layers; ++l) {
    const AttentionBlockParts& block = blocks[static_cast<std::size_t>(l)];
    const Tensor probs = self.slice(l);
    checkBlock(block, probs, l);
    std::vector<RowMatrix> f = transformedValues(block, heads);
    if (want.valueNorm) layerValueNorm(f, probs, c.valueNorm.slice(l));
    if (want.alti) layerAlti(decompose(block, std::move(f), probs), c.alti.slice(l));
  }
  if (want.valueNorm) {
    c.valueNormSum = Tensor({layers, n, n});
    for (std::int64_t l = 0; l < layers; ++l) {
      Map sum(c.valueNormSum.slice(l).data(), n, n);
      for (std::int64_t h = 0; h < heads; ++h) sum += ConstMap(c.valueNorm.slice(l).slice(h).data(), n, n);
    }
  }
  if (want.alti) c.altiRollout = contributionRollout(c.alti);
  return c;
}

Tensor decomposedBlockOutput(const AttentionBlockParts& block, const Tensor& probs) {
  checkBlock(block, probs, 0);
  const std::int64_t n = block.input.dim(0), hidden = block.input.dim(1);
  const Decomposition d = decompose(block, transformedValues(block, probs.dim(0)), probs);
  Tensor out = Tensor::uninitialized({n, hidden});
  RowMatrix t;
  RowVector y;
  for (std::int64_t i = 0; i < n; ++i) {
    d.rows(i, t, y);
    Eigen::Map<RowVector>(out.slice(i).data(), hidden) = y;
  }
  return out;
}

Tensor contributionRollout(const Tensor& perLayer) {
  if (perLayer.rank() != 3 || perLayer.dim(1) != perLayer.dim(2) || perLayer.dim(0) < 1)
    throw InternalError("contributionRollout", "maps must be [layers, N, N], got " + shapeString(perLayer.shape()));
  const std::int64_t n = perLayer.dim(1);
  RowMatrix joint = ConstMap(perLayer.slice(0).data(), n, n);
  for (std::int64_t l = 1; l < perLayer.dim(0); ++l) joint = ConstMap(perLayer.slice(l).data(), n, n) * joint;
  Tensor out = Tensor::uninitialized({n, n});
  Map(out.data(), n, n) = joint;
  return out;
}

ContributionSet parseContributionMethods(const std::string& list, const std::string& option) {
  ContributionSet set;
  std::stringstream in(list);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (name == "value-norm") set.valueNorm = true;
    else if (name == "alti") set.alti = true;
    else
      throw UsageError(option, "has no method \"" + name + "\"; the methods are " + kContributionMethodNames +
                                   " (comma-separated)");
  }
  if (!set.any()) throw UsageError(option, std::string("names no method; give one or more of ") + kContributionMethodNames);
  return set;
}

}  // namespace attnviz
