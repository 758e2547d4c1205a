// Engine ops on f32 Tensors, computed by oneDNN (CPU engine, OpenMP threads) and, for Linear's products, by the
// path timed fastest per shape (product_path.h: oneDNN matmul or inner product, or Eigen). Primitive descriptors
// are created once per shape and cached. Rnn reorders its weights once, at construction; Linear shares its
// weight tensor's storage (never change it afterwards) and makes a reordered copy only for a path that wants one.
// Every op has a plain reference in engine/ops/reference.h with the same signature, and a test comparing
// the two (tests/unit/test_ops*.cpp). oneDNN failures become BackendError with the status text; inconsistent
// shapes are InternalError naming every shape. Any op may run on any thread (a Linear or Rnn built on one
// thread and called on a worker, even two threads at once): cached primitives are shared and each call runs
// with its own thread's stream and scratchpad.
//
//   attnviz::ops::Linear q(weight /*[out, in]*/, bias /*[out]*/);
//   attnviz::Tensor y = q(x);                                      // x: [tokens, in] -> [tokens, out]
//   attnviz::Tensor p = attnviz::ops::softmax(attnviz::ops::matmul(qh, kh, 0.125f, /*transposeB=*/true));
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/ops/cpu_capabilities.h"

namespace attnviz::ops {

// setThreadCount, threadCount, onednnVersion, cpuIsaDescription: cpu_capabilities.h (public to the UI and the CLI).

// How a Linear computes: the activation applied to its output (fused into the same oneDNN call), and the
// precision of the multiplication. BF16 keeps the weights in bfloat16 and converts x to bfloat16 for each
// call (oneDNN bf16 inner product, f32 accumulation and output): about twice the speed on CPUs with
// avx512_bf16 / AMX, about 3 significant digits. Only where cpuCapabilities().bf16 (cpu_capabilities.h): elsewhere
// a BF16 Linear throws BackendError with the reason (the missing CPU feature).
enum class Activation { None, Gelu };  // Gelu: exact (erf) form
enum class Precision { F32, BF16 };
struct LinearOptions {
  Activation activation = Activation::None;
  Precision precision = Precision::F32;
};

// y[..., out] = act(x[..., in] · W^T + b) (+ residual), with PyTorch nn.Linear's W: [out, in], b: [out]
// (optional).
class Linear {
 public:
  Linear() = default;
  Linear(Tensor weight, std::optional<Tensor> bias, LinearOptions options = {});
  Tensor operator()(const Tensor& x) const;  // x: [..., in] -> [..., out]
  // The same plus residual ([..., out], the output's shape), added inside the same oneDNN call.
  Tensor operator()(const Tensor& x, const Tensor& residual) const;
  // The same layer computing in another precision (its weights converted from this one's).
  Linear withPrecision(Precision precision) const;
  std::int64_t inFeatures() const;
  std::int64_t outFeatures() const;
  // The weights as given: W [out, in] and b [out] (f32, shared storage), e.g. for contribution methods.
  const Tensor& weight() const;
  const std::optional<Tensor>& bias() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};
// One-shot form (no cached weight reorder), bias may be null.
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor* bias);

// Batched matmul: c[b] = scale * a[b] · (transposeB ? b[b]^T : b[b]).
// a: [B, M, K]; b: [B, K, N] (or [B, N, K] with transposeB) -> [B, M, N]. Rank-2 inputs are B = 1.
Tensor matmul(const Tensor& a, const Tensor& b, float scale = 1.0f, bool transposeB = false);

Tensor softmax(const Tensor& x);  // over the last axis

// Self-attention of every head from the stacked projection, as BERT and ViT compute it. qkv: [N, 3 * hidden],
// each row q | k | v with head h at columns h*d .. h*d+d-1 of its part (d = hidden / heads). probs: [heads, N, N],
// written (softmax over the last axis of scale * q k^T; may be a slice of a larger tensor). Returns the context
// [N, hidden] = per head probs v, heads side by side.
Tensor multiHeadAttention(const Tensor& qkv, std::int64_t heads, float scale, Tensor& probs);
Tensor layerNorm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps);  // over the last axis
Tensor gelu(const Tensor& x);     // exact (erf) form, as torch.nn.functional.gelu
Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor add(const Tensor& a, const Tensor& b);  // same shapes, or b broadcast over leading axes of a ([.., n] + [n])
Tensor mul(const Tensor& a, const Tensor& b);  // same broadcasting as add

// Rows of table: [vocab, dim] for ids -> [ids.size(), dim]. An id outside [0, vocab) throws InputError.
Tensor embedding(const Tensor& table, std::span<const std::int64_t> ids);

Tensor concat(std::span<const Tensor> parts, int axis);  // all other dimensions equal
std::vector<Tensor> split(const Tensor& x, int axis, std::span<const std::int64_t> sizes);
Tensor permute(const Tensor& x, std::span<const int> order);  // out.dim(i) = x.dim(order[i])

// Recurrent networks with exact PyTorch semantics (nn.GRU / nn.LSTM, batch_first=False).
enum class RnnCell { GRU, LSTM };
struct RnnSpec {
  RnnCell cell = RnnCell::GRU;
  std::int64_t inputSize = 0;
  std::int64_t hiddenSize = 0;
  int numLayers = 1;
  bool bidirectional = false;
  bool bias = true;
  int directions() const { return bidirectional ? 2 : 1; }
  int gates() const { return cell == RnnCell::GRU ? 3 : 4; }
};
// One layer and direction in PyTorch layout: w_ih [gates*H, in_l], w_hh [gates*H, H], b_ih/b_hh [gates*H].
// Gate order as PyTorch: GRU [r, z, n], LSTM [i, f, g, o].
struct RnnLayerWeights {
  Tensor wIh, wHh, bIh, bHh;
};
// The PyTorch state-dict names and shapes, in the order Rnn expects them: for layer k and direction d,
// "weight_ih_l{k}[_reverse]", "weight_hh_l{k}...", "bias_ih_l{k}...", "bias_hh_l{k}...".
std::vector<std::pair<std::string, Shape>> rnnWeightNames(const RnnSpec& spec);

struct RnnState {
  Tensor h;  // [layers * directions, batch, hidden]
  Tensor c;  // LSTM only, same shape
};
struct RnnOutput {
  Tensor output;  // [T, batch, directions * hidden] (last layer; forward then reverse halves)
  RnnState final;
};

class Rnn {
 public:
  Rnn() = default;
  // layers: numLayers * directions entries, index layer * directions + direction.
  Rnn(const RnnSpec& spec, std::vector<RnnLayerWeights> layers);
  // x: [T, batch, inputSize]; initial: zeros when null (an empty h, or c, in it is zeros too).
  RnnOutput operator()(const Tensor& x, const RnnState* initial = nullptr) const;
  const RnnSpec& spec() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace attnviz::ops
