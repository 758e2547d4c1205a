#include "engine/analysis/contributions.h"

#include <Eigen/Dense>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <sstream>

#include "engine/core/error.h"
#include "engine/ops/ops.h"

namespace attnviz {

const char* const kContributionMethodNames = "value-norm, alti, globenc, value-zeroing";

namespace {
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Map = Eigen::Map<RowMatrix>;
using ConstMap = Eigen::Map<const RowMatrix>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;

// The ALTI loops vectorise; GCC builds them twice, for x86-64-v3 (AVX2, FMA) and for any x86-64, and picks one at
// load time by the CPU's features. ("arch=haswell" would pick by CPU model: an AMD EPYC with AVX2 got the plain
// build.) Clang builds, the sanitizer and fuzz presets, take the plain one.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define ATTNVIZ_AVX2_CLONE __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define ATTNVIZ_AVX2_CLONE
#endif

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
  if (b.postLayerNorm && (b.norm2.gamma.shape() != Shape{hidden} || b.norm2Input.shape() != b.input.shape()))
    bad("LayerNorm 2 shapes");
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

// One layer: f^h(x_j) for every head and token, [heads, N, hidden]: the head's values times its columns of W_O, one
// batched product (oneDNN, this CPU's best kernel).
Tensor transformedValues(const AttentionBlockParts& b, std::int64_t heads) {
  const std::int64_t n = b.input.dim(0), hidden = b.input.dim(1), d = hidden / heads;
  static constexpr int kSwapFirstTwo[] = {1, 0, 2};
  const Tensor values = ops::permute(b.values.reshape({n, heads, d}), kSwapFirstTwo);           // [H, N, d]
  const Tensor columns = ops::permute(b.outWeight.reshape({hidden, heads, d}), kSwapFirstTwo);  // [H, hidden, d]
  return ops::matmul(values, columns, 1.0f, /*transposeB=*/true);
}

// value_norm of one layer into out [heads, N, N]: α^h_ij · ‖f^h(x_j)‖₂. f: [heads, N, hidden].
void layerValueNorm(const Tensor& f, const Tensor& probs, Tensor out) {
  const std::int64_t heads = probs.dim(0), n = probs.dim(1), hidden = f.dim(2);
  for (std::int64_t h = 0; h < heads; ++h) {
    const RowVector norms = ConstMap(f.slice(h).data(), n, hidden).rowwise().norm().transpose();  // [N]: ‖f^h(x_j)‖
    Map(out.slice(h).data(), n, n) = ConstMap(probs.slice(h).data(), n, n).array().rowwise() * norms.array();
  }
}

// One layer's output decomposed by input token: y_i = Σ_j T_i(x_j) + bias term (see contributions.h), laid out for
// the (j, i) loops of ALTI: everything T_i(x_j) needs for one j is contiguous.
struct Decomposition {
  std::int64_t n = 0, heads = 0, hidden = 0;
  RowMatrix f;               // [N * heads, hidden]: row j * heads + h = f^h(x_j), post-LN centred and scaled by γ₁
  RowMatrix own;             // [N, hidden]: x_i, the residual counted in T_i(x_i) (post-LN: centred, scaled)
  RowMatrix y;               // [N, hidden]: the block's output y_i as the decomposition sums it
  std::vector<float> alpha;  // [N (j), N (i), heads]: α^h_ij
  std::vector<float> scale;  // [N]: 1 / σ_i (pre-LN: 1)

  // T_i(x_j) into t [hidden]: (Σ_h α^h_ij f^h(x_j) + [i=j] x_i) / σ_i, one vectorised pass per head.
  void term(std::int64_t i, std::int64_t j, float* t) const {
    const float* a = alpha.data() + (j * n + i) * heads;
    const float* g = f.data() + j * heads * hidden;
    const float* x = own.data() + i * hidden;
    const float self = i == j ? 1.0f : 0.0f, s = scale[static_cast<std::size_t>(i)];
    const std::int64_t d = hidden;
#pragma omp simd
    for (std::int64_t k = 0; k < d; ++k) t[k] = self * x[k];
    for (std::int64_t h = 0; h < heads; ++h) {
      const float ah = a[h];
      const float* gh = g + h * d;
#pragma omp simd
      for (std::int64_t k = 0; k < d; ++k) t[k] += ah * gh[k];
    }
#pragma omp simd
    for (std::int64_t k = 0; k < d; ++k) t[k] *= s;
  }
};

// fHeads: this layer's transformedValues [heads, N, hidden].
Decomposition decompose(const AttentionBlockParts& b, const Tensor& fHeads, const Tensor& probs) {
  Decomposition d;
  d.n = b.input.dim(0), d.heads = probs.dim(0), d.hidden = b.input.dim(1);
  const std::int64_t n = d.n, heads = d.heads, hidden = d.hidden;
  static constexpr int kSwapFirstTwo[] = {1, 0, 2};
  const Tensor byToken = ops::permute(fHeads, kSwapFirstTwo);  // [N, heads, hidden]
  d.f = ConstMap(byToken.data(), n * heads, hidden);
  d.own = ConstMap(b.input.data(), n, hidden);
  d.y = ConstMap(b.residual.data(), n, hidden);  // z_i = Σ_j Σ_h α f + b_O + x_i: y_i is LN1(z_i) (no eps) or z_i
  d.scale.assign(static_cast<std::size_t>(n), 1.0f);
  if (b.postLayerNorm) {  // LN1 is linear once σ_i is fixed: apply its centring and γ to every part
    const RowVector gamma = Eigen::Map<const RowVector>(b.norm1.gamma.data(), hidden);
    const RowVector beta = Eigen::Map<const RowVector>(b.norm1.beta.data(), hidden);
    centerAndScale(d.f, gamma);
    centerAndScale(d.own, gamma);
    centerAndScale(d.y, gamma);
    for (std::int64_t i = 0; i < n; ++i) {
      // σ_i without eps, as the reference; a constant row (σ 0) takes LayerNorm's own sqrt(eps) instead of dividing by 0.
      const float sigma = populationStd(b.residual.slice(i).data(), hidden);
      d.scale[static_cast<std::size_t>(i)] = 1.0f / (sigma > 0 ? sigma : std::sqrt(b.norm1.eps));
      d.y.row(i) = d.y.row(i) * d.scale[static_cast<std::size_t>(i)] + beta;
    }
  }
  d.alpha.resize(static_cast<std::size_t>(n * n * heads));
  const float* p = probs.data();  // [heads, N (i), N (j)], row-major
  for (std::int64_t h = 0; h < heads; ++h)
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < n; ++j) d.alpha[static_cast<std::size_t>((j * n + i) * heads + h)] = p[(h * n + i) * n + j];
  return d;
}

// The (j, i) loops of ALTI and GlobEnc, tiled so that the terms never leave registers: for one input token j and a
// tile of kTileRows output tokens i, 16 entries of T_i(x_j) at a time (two Lanes) are summed over the heads in
// registers and handed to `reduce`, which folds them into that row's running sums. The f^h(x_j) entries of a chunk
// stay in L1 across every tile of output tokens. Lanes are GCC vector types: one AVX register each in the
// x86-64-v3 clone, two SSE ones in the default clone; the tails (N % 4 rows, hidden % 16 entries) take narrower tiles.
// Lanes never cross a call boundary (every function taking one is always_inline), so the ABI GCC warns about for
// 32-byte vectors without AVX is never used.
#pragma GCC diagnostic ignored "-Wpsabi"
using Lanes = float __attribute__((vector_size(32)));  // 8 floats
using LaneBits = std::int32_t __attribute__((vector_size(32)));
constexpr std::int64_t kLanes = 8, kTileRows = 4, kTileWidth = 2 * kLanes;

[[gnu::always_inline]] inline Lanes loadLanes(const float* p) {
  Lanes v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
[[gnu::always_inline]] inline void addToLanes(float* p, Lanes v) {
  const Lanes sum = loadLanes(p) + v;
  std::memcpy(p, &sum, sizeof sum);
}
[[gnu::always_inline]] inline Lanes absolute(Lanes v) { return reinterpret_cast<Lanes>(reinterpret_cast<LaneBits>(v) & 0x7fffffff); }
// Row i's running sums: kLanes floats from sums[i * kLanes] (unaligned: plain floats, loaded as Lanes) and one for
// the tail entries at tail[i].
struct RowSums {
  std::vector<float> lanes, tail;
  void reset(std::int64_t n) { lanes.assign(static_cast<std::size_t>(n * kLanes), 0.0f), tail.assign(static_cast<std::size_t>(n), 0.0f); }
  [[gnu::always_inline]] void add(std::int64_t i, Lanes v) { addToLanes(lanes.data() + i * kLanes, v); }
  void addEntry(std::int64_t i, float v) { tail[static_cast<std::size_t>(i)] += v; }
  float total(std::int64_t i) const {
    float sum = tail[static_cast<std::size_t>(i)];
    for (std::int64_t c = 0; c < kLanes; ++c) sum += lanes[static_cast<std::size_t>(i * kLanes + c)];
    return sum;
  }
};

template <std::int64_t Rows, class Reduce>
[[gnu::always_inline]] inline void termTile(const Decomposition& d, std::int64_t j, std::int64_t i0, std::int64_t k0,
                                            Reduce& reduce) {
  const std::int64_t n = d.n, heads = d.heads, hidden = d.hidden;
  Lanes acc[Rows][2];
#pragma GCC unroll 4
  for (std::int64_t r = 0; r < Rows; ++r) {
    const float* x = d.own.data() + (i0 + r) * hidden + k0;
    acc[r][0] = i0 + r == j ? loadLanes(x) : Lanes{};
    acc[r][1] = i0 + r == j ? loadLanes(x + kLanes) : Lanes{};
  }
  const float* alpha = d.alpha.data() + (j * n + i0) * heads;  // [Rows][heads]
  const float* g = d.f.data() + j * heads * hidden + k0;        // row h: f^h(x_j)
  for (std::int64_t h = 0; h < heads; ++h) {
    const Lanes g0 = loadLanes(g + h * hidden), g1 = loadLanes(g + h * hidden + kLanes);
#pragma GCC unroll 4
    for (std::int64_t r = 0; r < Rows; ++r) {
      const float a = alpha[r * heads + h];
      acc[r][0] += a * g0;
      acc[r][1] += a * g1;
    }
  }
#pragma GCC unroll 4
  for (std::int64_t r = 0; r < Rows; ++r) {
    const std::int64_t i = i0 + r;
    const float s = d.scale[static_cast<std::size_t>(i)];
    reduce.add(i, k0, acc[r][0] * s, acc[r][1] * s);
  }
}

// One entry k of T_i(x_j), for the tails.
inline float termEntry(const Decomposition& d, std::int64_t j, std::int64_t i, std::int64_t k) {
  float t = i == j ? d.own(i, k) : 0.0f;
  const float* alpha = d.alpha.data() + (j * d.n + i) * d.heads;
  for (std::int64_t h = 0; h < d.heads; ++h) t += alpha[h] * d.f(j * d.heads + h, k);
  return t * d.scale[static_cast<std::size_t>(i)];
}

// Every T_i(x_j) of one j, i in 0..N-1, folded by reduce (see termTile).
template <class Reduce>
[[gnu::always_inline]] inline void forEachTerm(const Decomposition& d, std::int64_t j, Reduce& reduce) {
  const std::int64_t n = d.n, hidden = d.hidden;
  const std::int64_t fullWidth = hidden - hidden % kTileWidth, fullRows = n - n % kTileRows;
  for (std::int64_t k0 = 0; k0 < fullWidth; k0 += kTileWidth) {
    std::int64_t i0 = 0;
    for (; i0 < fullRows; i0 += kTileRows) termTile<kTileRows>(d, j, i0, k0, reduce);
    for (; i0 < n; ++i0) termTile<1>(d, j, i0, k0, reduce);
  }
  for (std::int64_t k = fullWidth; k < hidden; ++k)
    for (std::int64_t i = 0; i < n; ++i) reduce.addEntry(i, k, termEntry(d, j, i, k));
}

// ‖T_i(x_j) − y_i + eps‖₁ (torch's pairwise_distance), summed lane-wise per row i; distance(i) adds the lanes up.
struct L1Distance {
  const Decomposition& d;
  RowSums sums;
  [[gnu::always_inline]] void add(std::int64_t i, std::int64_t k0, Lanes t0, Lanes t1) {
    const float* y = d.y.data() + i * d.hidden + k0;
    sums.add(i, absolute(t0 - loadLanes(y) + kPairwiseDistanceEps) + absolute(t1 - loadLanes(y + kLanes) + kPairwiseDistanceEps));
  }
  void addEntry(std::int64_t i, std::int64_t k, float t) { sums.addEntry(i, std::fabs(t - d.y(i, k) + kPairwiseDistanceEps)); }
};

// Σ_k (γ₂ ⊙ (T_i(x_j) − mean_i))_k² per row i, the means known beforehand (see layerGlobEnc); pre-LN (no γ₂):
// Σ_k T_i(x_j)_k².
struct CentredSquares {
  const Decomposition& d;
  const float* gamma2;         // [hidden] or nullptr
  std::vector<float> mean;     // [N], 0 pre-LN
  RowSums sums;
  [[gnu::always_inline]] void add(std::int64_t i, std::int64_t k0, Lanes t0, Lanes t1) {
    const float m = mean[static_cast<std::size_t>(i)];
    Lanes c0 = t0 - m, c1 = t1 - m;
    if (gamma2) c0 *= loadLanes(gamma2 + k0), c1 *= loadLanes(gamma2 + k0 + kLanes);
    sums.add(i, c0 * c0 + c1 * c1);
  }
  void addEntry(std::int64_t i, std::int64_t k, float t) {
    const float c = (t - mean[static_cast<std::size_t>(i)]) * (gamma2 ? gamma2[k] : 1.0f);
    sums.addEntry(i, c * c);
  }
};

// ALTI of one layer into out [N, N]: c_ij = max(0, ‖y_i‖₁ − ‖T_i(x_j) − y_i‖₁), rows normalised. One j per thread
// at a time.
ATTNVIZ_AVX2_CLONE void layerAlti(const Decomposition& d, Tensor out) {
  const std::int64_t n = d.n;
  Map result(out.data(), n, n);
  std::vector<float> yNorm(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) yNorm[static_cast<std::size_t>(i)] = d.y.row(i).cwiseAbs().sum();
#pragma omp parallel
  {
    L1Distance l1{d, {}};  // this thread's
#pragma omp for schedule(static)
    for (std::int64_t j = 0; j < n; ++j) {
      l1.sums.reset(n);
      forEachTerm(d, j, l1);
      for (std::int64_t i = 0; i < n; ++i) result(i, j) = std::max(0.0f, yNorm[static_cast<std::size_t>(i)] - l1.sums.total(i));
    }
  }
  for (std::int64_t i = 0; i < n; ++i) {
    const double total = result.row(i).cast<double>().sum();
    if (total > 0) result.row(i) /= static_cast<float>(total);
  }
}

// GlobEnc of one layer into out [N, N] (contributions.h): ‖T2_i(x_j)‖₂, T2 = γ₂ ⊙ center(T_i(x_j)) / σ2_i post-LN,
// T_i(x_j) itself pre-LN. T_i(x_j) takes LN1's σ without eps (ALTI's); GlobEnc's has eps inside the sqrt: with
// BERT's 1e-12 against variances near 1 the two differ far below float precision. The mean of T_i(x_j) is linear in
// its parts, s_i (Σ_h α^h_ij mean(f^h(x_j)) + [i=j] mean(x_i)), so it is known before the one pass over the entries.
ATTNVIZ_AVX2_CLONE void layerGlobEnc(const Decomposition& d, const AttentionBlockParts& b, Tensor out) {
  const std::int64_t n = d.n, heads = d.heads, hidden = d.hidden;
  Map result(out.data(), n, n);
  std::vector<float> norm2Scale(static_cast<std::size_t>(n), 1.0f);  // 1 / σ2_i
  if (b.postLayerNorm)
    for (std::int64_t i = 0; i < n; ++i) {
      const float sigma = populationStd(b.norm2Input.slice(i).data(), hidden);
      norm2Scale[static_cast<std::size_t>(i)] = 1.0f / std::sqrt(sigma * sigma + b.norm2.eps);
    }
  const Eigen::VectorXf fMean = d.f.rowwise().mean(), ownMean = d.own.rowwise().mean();  // [N * heads], [N]
  const float* gamma2 = b.postLayerNorm ? b.norm2.gamma.data() : nullptr;
#pragma omp parallel
  {
    CentredSquares squares{d, gamma2, std::vector<float>(static_cast<std::size_t>(n)), {}};  // this thread's
#pragma omp for schedule(static)
    for (std::int64_t j = 0; j < n; ++j) {
      for (std::int64_t i = 0; gamma2 && i < n; ++i) {
        const float* a = d.alpha.data() + (j * n + i) * heads;
        float m = i == j ? ownMean(i) : 0.0f;
        for (std::int64_t h = 0; h < heads; ++h) m += a[h] * fMean(j * heads + h);
        squares.mean[static_cast<std::size_t>(i)] = m * d.scale[static_cast<std::size_t>(i)];
      }
      squares.sums.reset(n);
      forEachTerm(d, j, squares);
      for (std::int64_t i = 0; i < n; ++i) result(i, j) = std::sqrt(squares.sums.total(i)) * norm2Scale[static_cast<std::size_t>(i)];
    }
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
  if (!want.valueNorm && !want.alti && !want.globenc) return c;  // value zeroing: value_zeroing.h
  if (want.valueNorm) c.valueNorm = Tensor::uninitialized({layers, heads, n, n});
  if (want.alti) c.alti = Tensor::uninitialized({layers, n, n});
  if (want.globenc) c.globenc = Tensor::uninitialized({layers, n, n});
  for (std::int64_t l = 0; l < layers; ++l) {
    const AttentionBlockParts& block = blocks[static_cast<std::size_t>(l)];
    const Tensor probs = self.slice(l);
    checkBlock(block, probs, l);
    const Tensor f = transformedValues(block, heads);  // [heads, N, hidden]
    if (want.valueNorm) layerValueNorm(f, probs, c.valueNorm.slice(l));
    if (want.alti || want.globenc) {
      const Decomposition d = decompose(block, f, probs);
      if (want.alti) layerAlti(d, c.alti.slice(l));
      if (want.globenc) layerGlobEnc(d, block, c.globenc.slice(l));
    }
  }
  if (want.valueNorm) {
    c.valueNormSum = Tensor({layers, n, n});
    for (std::int64_t l = 0; l < layers; ++l) {
      Map sum(c.valueNormSum.slice(l).data(), n, n);
      for (std::int64_t h = 0; h < heads; ++h) sum += ConstMap(c.valueNorm.slice(l).slice(h).data(), n, n);
    }
  }
  if (want.alti) c.altiRollout = contributionRollout(c.alti);
  if (want.globenc) c.globencRollout = contributionRollout(c.globenc);
  return c;
}

Tensor decomposedBlockOutput(const AttentionBlockParts& block, const Tensor& probs) {
  checkBlock(block, probs, 0);
  const Decomposition d = decompose(block, transformedValues(block, probs.dim(0)), probs);
  // Σ_j T_i(x_j) + the bias term: the bias term is y_i minus the terms, so rebuild it from the parts instead.
  const std::int64_t n = d.n, hidden = d.hidden;
  RowVector bias = Eigen::Map<const RowVector>(block.outBias.data(), hidden), beta = RowVector::Zero(hidden);
  if (block.postLayerNorm) {
    centerAndScale(bias, Eigen::Map<const RowVector>(block.norm1.gamma.data(), hidden));
    beta = Eigen::Map<const RowVector>(block.norm1.beta.data(), hidden);
  }
  Tensor out({n, hidden});
  std::vector<float> t(static_cast<std::size_t>(hidden));
  for (std::int64_t i = 0; i < n; ++i) {
    Eigen::Map<RowVector> row(out.slice(i).data(), hidden);
    for (std::int64_t j = 0; j < n; ++j) {
      d.term(i, j, t.data());
      row += Eigen::Map<const RowVector>(t.data(), hidden);
    }
    row += bias * d.scale[static_cast<std::size_t>(i)] + beta;
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
    else if (name == "globenc") set.globenc = true;
    else if (name == "value-zeroing") set.valueZeroing = true;
    else
      throw UsageError(option, "has no method \"" + name + "\"; the methods are " + kContributionMethodNames +
                                   " (comma-separated)");
  }
  if (!set.any()) throw UsageError(option, std::string("names no method; give one or more of ") + kContributionMethodNames);
  return set;
}

}  // namespace attnviz
