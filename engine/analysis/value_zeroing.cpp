#include "engine/analysis/value_zeroing.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/analysis/contributions.h"
#include "engine/core/error.h"

namespace attnviz {
namespace {

constexpr std::int64_t kTokensPerBatch = 16;  // variants per finishLayer call: [16 * N, hidden] products

// Unit rows of y [rows, hidden], in double.
std::vector<double> unitRows(const Tensor& y) {
  const std::int64_t rows = y.dim(0), hidden = y.dim(1);
  std::vector<double> out(static_cast<std::size_t>(y.numel()));
  for (std::int64_t r = 0; r < rows; ++r) {
    const float* v = y.data() + r * hidden;
    double norm = 0;
    for (std::int64_t k = 0; k < hidden; ++k) norm += double(v[k]) * v[k];
    norm = std::sqrt(norm);
    if (norm == 0) norm = 1;  // sklearn's normalize leaves a zero vector as it is
    for (std::int64_t k = 0; k < hidden; ++k) out[static_cast<std::size_t>(r * hidden + k)] = v[k] / norm;
  }
  return out;
}

}  // namespace

std::optional<ValueZeroing> valueZeroing(const std::vector<AttentionBlockParts>& blocks, const Tensor& self,
                                         int threadsPerCandidate, const CandidateControl& control) {
  if (self.rank() != 4 || self.dim(0) != static_cast<std::int64_t>(blocks.size()) || blocks.empty())
    throw InternalError("valueZeroing", "attention " + shapeString(self.shape()) + " for " + std::to_string(blocks.size()) +
                                            " attention blocks");
  const std::int64_t layers = self.dim(0), heads = self.dim(1), n = self.dim(2);
  for (const AttentionBlockParts& b : blocks)
    if (!b.finishLayer || b.context.rank() != 2 || b.context.dim(0) != n || b.values.shape() != b.context.shape() ||
        b.context.dim(1) % heads != 0)
      throw InternalError("valueZeroing", "an attention block without its context, values or finishLayer");
  const std::int64_t hidden = blocks.front().context.dim(1), d = hidden / heads;
  const std::int64_t batches = (n + kTokensPerBatch - 1) / kTokensPerBatch;
  // The unmodified outputs, through finishLayer as the variants go (so both sides round alike): L calls of N rows.
  std::vector<std::vector<double>> original;
  for (const AttentionBlockParts& b : blocks) original.push_back(unitRows(b.finishLayer(b.context)));
  ValueZeroing result{Tensor({layers, n, n}), {}};
  const bool finished = runCandidates(static_cast<int>(layers * batches), threadsPerCandidate, [&](int candidate) {
    const std::int64_t l = candidate / batches, first = (candidate % batches) * kTokensPerBatch;
    const std::int64_t count = std::min(kTokensPerBatch, n - first);
    const AttentionBlockParts& b = blocks[static_cast<std::size_t>(l)];
    const Tensor probs = self.slice(l);
    // context^{¬j}[i, head h] = context[i, head h] − α^h_ij v_j[head h], for j = first .. first + count − 1.
    Tensor contexts = Tensor::uninitialized({count * n, hidden});
    for (std::int64_t c = 0; c < count; ++c) {
      const std::int64_t j = first + c;
      float* out = contexts.data() + c * n * hidden;
      std::copy(b.context.data(), b.context.data() + n * hidden, out);
      const float* vj = b.values.data() + j * hidden;
      for (std::int64_t h = 0; h < heads; ++h)
        for (std::int64_t i = 0; i < n; ++i) {
          const float a = probs.at({h, i, j});
          float* row = out + i * hidden + h * d;
          for (std::int64_t k = 0; k < d; ++k) row[k] -= a * vj[h * d + k];
        }
    }
    const std::vector<double> zeroed = unitRows(b.finishLayer(contexts));
    const std::vector<double>& y = original[static_cast<std::size_t>(l)];
    for (std::int64_t c = 0; c < count; ++c)
      for (std::int64_t i = 0; i < n; ++i) {
        const double* z = zeroed.data() + (c * n + i) * hidden;
        const double* yi = y.data() + i * hidden;
        double squares = 0;
        for (std::int64_t k = 0; k < hidden; ++k) squares += (yi[k] - z[k]) * (yi[k] - z[k]);
        result.perLayer.at({l, i, first + c}) = static_cast<float>(std::clamp(squares / 2, 0.0, 2.0));  // 1 − cos
      }
  }, control);
  if (!finished) return std::nullopt;
  for (std::int64_t l = 0; l < layers; ++l)  // rows to sum 1 (a row that never moved stays 0)
    for (std::int64_t i = 0; i < n; ++i) {
      float* row = result.perLayer.data() + (l * n + i) * n;
      double total = 0;
      for (std::int64_t j = 0; j < n; ++j) total += row[j];
      if (total > 0)
        for (std::int64_t j = 0; j < n; ++j) row[j] = static_cast<float>(row[j] / total);
    }
  result.rollout = contributionRollout(result.perLayer);
  return result;
}

std::optional<ValueZeroing> valueZeroing(const Model& model, const Input& input, RunOptions options,
                                         const CandidateControl& control) {
  options = candidateOptions(std::move(options));  // nothing but the attention and the blocks rides on this run
  options.knockedOutHeads.clear();
  options.blockedEdges.clear();
  options.keepAttentionBlocks = true;
  if (control.cancel && control.cancel->load()) return std::nullopt;
  const Trace trace = model.run(input, options);
  const auto self = trace.attention.find("self");
  if (self == trace.attention.end()) throw InternalError("valueZeroing", "a run kept attention blocks without attention.self");
  return valueZeroing(trace.attentionBlocks, self->second, model.threadsForNextRun(), control);
}

}  // namespace attnviz
