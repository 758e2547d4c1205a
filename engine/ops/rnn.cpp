// ops::Rnn: PyTorch nn.GRU / nn.LSTM (batch_first=False) on oneDNN RNN primitives, one primitive per layer
// (bidirectional_concat for two directions), the concatenated output of one layer feeding the next.
// GRU is oneDNN's linear-before-reset GRU, LSTM is lstm_forward; rnn_layout.h says how the weights map.
#include <oneapi/dnnl/dnnl.hpp>

#include <cstring>

#include "engine/ops/dnnl_context.h"
#include "engine/ops/ops.h"
#include "engine/ops/primitive_cache.h"
#include "engine/ops/rnn_layout.h"
#include "engine/ops/shape_checks.h"

namespace attnviz::ops {
namespace {
using dnnl::memory;
using Tag = memory::format_tag;
constexpr std::string_view kOp = "ops::Rnn";
// The shape whose weight layouts are made at construction. oneDNN 2.6 picks one layout for almost every
// (T, batch) but a packed one for T = 1 (and some tiny sizes), so the nominal shape avoids T = 1.
constexpr std::int64_t kNominalSteps = 16, kNominalBatch = 1;
// (T, batch) shapes kept. An entry may hold its own copy of the weights (see LayerPrimitive), so fewer
// than the default.
constexpr std::size_t kMaxCachedShapes = 64;

// One layer's primitive for one (T, batch), with the weights in the layouts it wants: the layer's own
// (shared) when the layouts match, else a copy converted once for this entry.
struct LayerPrimitive {
  dnnl::primitive primitive;
  memory weightsLayer, weightsIter;
};

struct RnnEntry {
  std::vector<LayerPrimitive> layers;
};

// One layer, all directions, in oneDNN layouts, made once at construction.
struct LayerWeights {
  std::int64_t inSize = 0;
  memory weightsLayer;  // [1, D, in_l, G, H], layout oneDNN picked for forward inference
  memory weightsIter;   // [1, D, H, G, H], same
  memory bias;          // ldgo [1, D, biasGates, H]
  // The same weights in plain ldigo, kept only when the picked layouts differ from it: oneDNN cannot reorder
  // out of its packed RNN layouts, so a (T, batch) wanting yet another layout converts from these.
  memory ldigoLayer, ldigoIter;
};

struct MadeLayer {
  dnnl::primitive primitive;
  memory::desc weightsLayer, weightsIter;
};

memory::desc f32(const memory::dims& dims, Tag tag) { return memory::desc(dims, memory::data_type::f32, tag); }

// src_layer: [T, B, in] -> dst_layer: [T, B, D*H]; states (h, and c for LSTM): [1, D, B, H]; weights: `any`.
MadeLayer makeLayer(const RnnSpec& spec, std::int64_t in, std::int64_t steps, std::int64_t batch) {
  const std::int64_t D = spec.directions(), G = spec.gates(), H = spec.hiddenSize;
  const auto kind = dnnl::prop_kind::forward_inference;
  const auto direction = spec.bidirectional ? dnnl::rnn_direction::bidirectional_concat
                                            : dnnl::rnn_direction::unidirectional_left2right;
  const memory::desc srcLayer = f32({steps, batch, in}, Tag::tnc);
  const memory::desc dstLayer = f32({steps, batch, D * H}, Tag::tnc);
  const memory::desc state = f32({1, D, batch, H}, Tag::ldnc);
  const memory::desc weightsLayer = f32({1, D, in, G, H}, Tag::any);
  const memory::desc weightsIter = f32({1, D, H, G, H}, Tag::any);
  const memory::desc bias = f32({1, D, detail::dnnlBiasGates(spec), H}, Tag::ldgo);
  const auto& eng = detail::cpuEngine();
  if (spec.cell == RnnCell::GRU) {
    dnnl::lbr_gru_forward::desc desc(kind, direction, srcLayer, state, weightsLayer, weightsIter, bias, dstLayer, state);
    dnnl::lbr_gru_forward::primitive_desc pd(desc, detail::defaultAttr(), eng);
    return {dnnl::lbr_gru_forward(pd), pd.weights_layer_desc(), pd.weights_iter_desc()};
  }
  dnnl::lstm_forward::desc desc(kind, direction, srcLayer, state, state, weightsLayer, weightsIter, bias, dstLayer,
                                state, state);
  dnnl::lstm_forward::primitive_desc pd(desc, detail::defaultAttr(), eng);
  return {dnnl::lstm_forward(pd), pd.weights_layer_desc(), pd.weights_iter_desc()};
}

memory ownedCopy(const std::vector<float>& values, const memory::desc& md) {
  memory m(md, detail::cpuEngine());
  std::memcpy(m.get_data_handle(), values.data(), values.size() * sizeof(float));
  return m;
}
// Layer l of PyTorch weights -> oneDNN: ldigo first (rnn_layout.h), then the layouts oneDNN picks, once.
LayerWeights prepareLayer(const RnnSpec& spec, std::span<const RnnLayerWeights> layers, int l) {
  const std::int64_t D = spec.directions(), G = spec.gates(), H = spec.hiddenSize;
  const detail::RnnLayerLayout layout = detail::toDnnlLayout(spec, layers, l);
  const MadeLayer nominal = makeLayer(spec, layout.inSize, kNominalSteps, kNominalBatch);
  LayerWeights w;
  w.inSize = layout.inSize;
  const memory ldigoLayer = ownedCopy(layout.weightsLayer, f32({1, D, layout.inSize, G, H}, Tag::ldigo));
  const memory ldigoIter = ownedCopy(layout.weightsIter, f32({1, D, H, G, H}, Tag::ldigo));
  w.weightsLayer = detail::reorderTo(ldigoLayer, nominal.weightsLayer);
  w.weightsIter = detail::reorderTo(ldigoIter, nominal.weightsIter);
  if (ldigoLayer.get_desc() != nominal.weightsLayer || ldigoIter.get_desc() != nominal.weightsIter) {
    w.ldigoLayer = ldigoLayer;
    w.ldigoIter = ldigoIter;
  }
  w.bias = ownedCopy(layout.bias, f32({1, D, detail::dnnlBiasGates(spec), H}, Tag::ldgo));
  return w;
}
}  // namespace

struct Rnn::Impl {
  RnnSpec spec;
  std::vector<LayerWeights> layers;
  mutable detail::PrimitiveCache<RnnEntry> cache{kMaxCachedShapes};  // by (T, batch)
};

Rnn::Rnn(const RnnSpec& spec, std::vector<RnnLayerWeights> layers) {
  detail::checkRnnWeights(kOp, spec, layers);
  auto impl = std::make_shared<Impl>();
  impl->spec = spec;
  const auto shapes = [&] {
    return "input " + std::to_string(spec.inputSize) + ", hidden " + std::to_string(spec.hiddenSize);
  };
  detail::backendCall(kOp, shapes, [&] {
    for (int l = 0; l < spec.numLayers; ++l) impl->layers.push_back(prepareLayer(spec, layers, l));
  });
  impl_ = std::move(impl);
}

const RnnSpec& Rnn::spec() const {
  static const RnnSpec none;
  return impl_ ? impl_->spec : none;
}

RnnOutput Rnn::operator()(const Tensor& x, const RnnState* initial) const {
  if (!impl_) detail::shapeError(kOp, "called on an empty Rnn");
  const Impl& impl = *impl_;
  const RnnSpec& spec = impl.spec;
  const auto d = detail::rnnInputDims(kOp, spec, x.shape(), initial);
  const std::int64_t D = spec.directions(), H = spec.hiddenSize, L = spec.numLayers;
  const bool lstm = spec.cell == RnnCell::LSTM;
  const Shape stateShape{L * D, d.batch, H};

  RnnOutput result;
  result.final.h = Tensor(stateShape);
  if (lstm) result.final.c = Tensor(stateShape);
  if (d.steps == 0 || d.batch == 0) {  // nothing runs: the state passes through
    result.output = Tensor({d.steps, d.batch, D * H});
    if (d.hasH) result.final.h = initial->h.clone();
    if (d.hasC) result.final.c = initial->c.clone();
    return result;
  }
  const Tensor zeros(stateShape);
  const Tensor& h0 = d.hasH ? initial->h : zeros;  // [L*D, B, H]
  const Tensor& c0 = d.hasC ? initial->c : zeros;
  const std::int64_t stateBlock = D * d.batch * H;  // one layer's [D, B, H] slice of a state

  const auto shapes = [&] { return "x " + shapeString(x.shape()) + ", state " + shapeString(stateShape); };
  detail::backendCall(kOp, shapes, [&] {
    auto entry = impl.cache.get({d.steps, d.batch}, [&] {
      RnnEntry e;
      for (const LayerWeights& w : impl.layers) {
        const MadeLayer made = makeLayer(spec, w.inSize, d.steps, d.batch);
        // Another layout for this (T, batch): convert from ldigo once, kept with this entry.
        const auto convert = [](const memory& base, const memory& ldigo, const memory::desc& want) {
          if (base.get_desc() == want) return base;
          return detail::reorderTo(ldigo ? ldigo : base, want);
        };
        e.layers.push_back({made.primitive, convert(w.weightsLayer, w.ldigoLayer, made.weightsLayer),
                            convert(w.weightsIter, w.ldigoIter, made.weightsIter)});
      }
      return e;
    });

    const memory::desc state = f32({1, D, d.batch, H}, Tag::ldnc);
    Tensor input = x;  // [T, B, in_l]
    for (std::int64_t l = 0; l < L; ++l) {
      const LayerWeights& w = impl.layers[static_cast<std::size_t>(l)];
      const LayerPrimitive& p = entry->layers[static_cast<std::size_t>(l)];
      Tensor output({d.steps, d.batch, D * H});  // [T, B, D*H]: forward then reverse halves
      std::unordered_map<int, memory> args{
          {DNNL_ARG_SRC_LAYER, detail::wrap(f32({d.steps, d.batch, w.inSize}, Tag::tnc), input.data())},
          {DNNL_ARG_SRC_ITER, detail::wrap(state, h0.data() + l * stateBlock)},
          {DNNL_ARG_WEIGHTS_LAYER, p.weightsLayer},
          {DNNL_ARG_WEIGHTS_ITER, p.weightsIter},
          {DNNL_ARG_BIAS, w.bias},
          {DNNL_ARG_DST_LAYER, detail::wrap(f32({d.steps, d.batch, D * H}, Tag::tnc), output.data())},
          {DNNL_ARG_DST_ITER, detail::wrap(state, result.final.h.data() + l * stateBlock)}};
      if (lstm) {
        args.emplace(DNNL_ARG_SRC_ITER_C, detail::wrap(state, c0.data() + l * stateBlock));
        args.emplace(DNNL_ARG_DST_ITER_C, detail::wrap(state, result.final.c.data() + l * stateBlock));
      }
      detail::execute(p.primitive, args);
      // per step and direction: the gates' products of the input and of the previous state
      detail::countProductFlops(2 * d.steps * d.batch * D * spec.gates() * H * (w.inSize + H));
      input = std::move(output);
    }
    result.output = std::move(input);
  });
  return result;
}

}  // namespace attnviz::ops
