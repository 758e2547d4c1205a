#include "engine/ops/rnn_layout.h"

#include <string>

namespace attnviz::ops {

std::vector<std::pair<std::string, Shape>> rnnWeightNames(const RnnSpec& spec) {
  std::vector<std::pair<std::string, Shape>> names;
  const std::int64_t gateRows = spec.gates() * spec.hiddenSize;
  for (int layer = 0; layer < spec.numLayers; ++layer) {
    const std::int64_t in = layer == 0 ? spec.inputSize : spec.directions() * spec.hiddenSize;
    for (int dir = 0; dir < spec.directions(); ++dir) {
      const std::string suffix = "_l" + std::to_string(layer) + (dir == 1 ? "_reverse" : "");
      names.emplace_back("weight_ih" + suffix, Shape{gateRows, in});
      names.emplace_back("weight_hh" + suffix, Shape{gateRows, spec.hiddenSize});
      if (spec.bias) {
        names.emplace_back("bias_ih" + suffix, Shape{gateRows});
        names.emplace_back("bias_hh" + suffix, Shape{gateRows});
      }
    }
  }
  return names;
}

namespace detail {
namespace {
// oneDNN gate g reads PyTorch gate block kGruSource[g] (GRU swaps z and r) or g (LSTM).
constexpr int kGruSource[3] = {1, 0, 2};

int sourceGate(const RnnSpec& spec, int g) { return spec.cell == RnnCell::GRU ? kGruSource[g] : g; }

// w: PyTorch [G*H, in] -> dst ldigo [in, G, H] for one direction (dst points at that direction's block).
void toLdigo(const RnnSpec& spec, const Tensor& w, std::int64_t in, float* dst) {
  const std::int64_t H = spec.hiddenSize;
  const int G = spec.gates();
  const float* src = w.data();
  for (std::int64_t i = 0; i < in; ++i)
    for (int g = 0; g < G; ++g)
      for (std::int64_t o = 0; o < H; ++o)
        dst[(i * G + g) * H + o] = src[(sourceGate(spec, g) * H + o) * in + i];
}
}  // namespace

int dnnlBiasGates(const RnnSpec& spec) { return spec.gates() + (spec.cell == RnnCell::GRU ? 1 : 0); }

RnnLayerLayout toDnnlLayout(const RnnSpec& spec, std::span<const RnnLayerWeights> layers, int layer) {
  const int D = spec.directions();
  const int G = spec.gates();
  const int BG = dnnlBiasGates(spec);
  const std::int64_t H = spec.hiddenSize;
  RnnLayerLayout out;
  out.inSize = layer == 0 ? spec.inputSize : D * H;
  out.weightsLayer.resize(static_cast<std::size_t>(D * out.inSize * G * H));
  out.weightsIter.resize(static_cast<std::size_t>(D * H * G * H));
  out.bias.assign(static_cast<std::size_t>(D * BG * H), 0.0f);
  for (int dir = 0; dir < D; ++dir) {
    const RnnLayerWeights& w = layers[static_cast<std::size_t>(layer * D + dir)];
    toLdigo(spec, w.wIh, out.inSize, out.weightsLayer.data() + dir * out.inSize * G * H);
    toLdigo(spec, w.wHh, H, out.weightsIter.data() + dir * H * G * H);
    if (!spec.bias) continue;
    float* bias = out.bias.data() + dir * BG * H;  // [BG, H]
    const float* bIh = w.bIh.data();
    const float* bHh = w.bHh.data();
    for (int g = 0; g < G; ++g) {
      const int s = sourceGate(spec, g);
      const bool splitCandidate = spec.cell == RnnCell::GRU && g == 2;  // b_in and b_hn stay apart
      for (std::int64_t o = 0; o < H; ++o)
        bias[g * H + o] = bIh[s * H + o] + (splitCandidate ? 0.0f : bHh[s * H + o]);
    }
    if (spec.cell == RnnCell::GRU)
      for (std::int64_t o = 0; o < H; ++o) bias[3 * H + o] = bHh[2 * H + o];
  }
  return out;
}

}  // namespace detail
}  // namespace attnviz::ops
