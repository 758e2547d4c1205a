#include "engine/models/seq2seq/transformer_network.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "engine/core/error.h"
#include "engine/io/weight_set.h"

namespace attnviz::seq2seq {

namespace {

// Attention of nq query rows over nk key rows, every head: probs[h][i][j] = softmax_j(scale q_i,h . k_j,h) and
// out[i][h*hd .. h*hd+hd) = sum_j probs[h][i][j] v_j,h. Rows are strided (q | k | v may share one buffer).
// causal: query i sees keys j <= i + (nk - nq) (the last nq of nk tokens); masked entries are 0. probs is
// [heads][nq][nk] with row stride probsRowStride (forced passes write into the trace's [T][T] map directly).
struct Rows {
  const float* data;
  std::int64_t stride;
};

void attendRows(Rows q, Rows k, Rows v, std::int64_t nq, std::int64_t nk, std::int64_t d, std::int64_t heads,
                float scale, bool causal, float* probs, std::int64_t probsHeadStride, float* out,
                std::int64_t outStride) {
  const std::int64_t hd = d / heads;
  std::vector<float> scores(static_cast<std::size_t>(nk));
  for (std::int64_t h = 0; h < heads; ++h) {
    for (std::int64_t i = 0; i < nq; ++i) {
      const std::int64_t visible = causal ? std::min(nk, i + (nk - nq) + 1) : nk;
      const float* qi = q.data + i * q.stride + h * hd;
      float top = -std::numeric_limits<float>::infinity();
      for (std::int64_t j = 0; j < visible; ++j) {
        const float* kj = k.data + j * k.stride + h * hd;
        float dot = 0.0f;
        for (std::int64_t c = 0; c < hd; ++c) dot += qi[c] * kj[c];
        scores[static_cast<std::size_t>(j)] = scale * dot;
        top = std::max(top, scores[static_cast<std::size_t>(j)]);
      }
      double sum = 0.0;
      for (std::int64_t j = 0; j < visible; ++j) {
        const float e = std::exp(scores[static_cast<std::size_t>(j)] - top);
        scores[static_cast<std::size_t>(j)] = e;
        sum += e;
      }
      float* row = probs + h * probsHeadStride + i * nk;
      float* o = out + i * outStride + h * hd;
      std::fill(o, o + hd, 0.0f);
      for (std::int64_t j = 0; j < nk; ++j) {
        const float p = j < visible ? static_cast<float>(scores[static_cast<std::size_t>(j)] / sum) : 0.0f;
        row[j] = p;
        if (p == 0.0f) continue;
        const float* vj = v.data + j * v.stride + h * hd;
        for (std::int64_t c = 0; c < hd; ++c) o[c] += p * vj[c];
      }
    }
  }
}

void applyActivation(Tensor& x, FfnActivation a) {
  switch (a) {
    case FfnActivation::Gelu: x = ops::gelu(x); return;
    case FfnActivation::Swish:
      for (float& v : x.values()) v = v / (1.0f + std::exp(-v));
      return;
    case FfnActivation::Relu:
      for (float& v : x.values()) v = std::max(v, 0.0f);
      return;
  }
}

ops::Linear takeLinear(WeightSet& w, const std::string& name, std::int64_t out, std::int64_t in) {
  return ops::Linear(w.take(name + ".weight", {out, in}), w.take(name + ".bias", {out}));
}

// Linear layers stacked along their outputs (q | k | v): one product instead of several.
ops::Linear takeStacked(WeightSet& w, const std::string& prefix, std::initializer_list<const char*> parts,
                        std::int64_t d) {
  std::vector<Tensor> weights, biases;
  for (const char* part : parts) {
    weights.push_back(w.take(prefix + part + ".weight", {d, d}));
    biases.push_back(w.take(prefix + part + ".bias", {d}));
  }
  return ops::Linear(ops::concat(weights, 0), ops::concat(biases, 0));
}

// A tied copy some checkpoints keep (embed_tokens, lm_head): taken, and refused unless it equals `shared`.
void takeTiedCopy(WeightSet& w, const std::string& name, const Tensor& shared) {
  if (!w.has(name)) return;
  const Tensor copy = w.take(name, shared.shape());
  if (std::memcmp(copy.data(), shared.data(), static_cast<std::size_t>(shared.numel()) * sizeof(float)) != 0)
    throw ModelFileError(w.source() + ": tensor '" + name + "'",
                         "differs from model.shared.weight; attnviz runs models whose embeddings and output layer "
                         "are tied (one shared vocabulary table)");
}

}  // namespace

Tensor marianSinusoids(std::int64_t positions, std::int64_t dim) {
  Tensor table({positions, dim});
  const std::int64_t half = dim / 2;
  for (std::int64_t p = 0; p < positions; ++p)
    for (std::int64_t c = 0; c < half; ++c) {
      const double angle = static_cast<double>(p) / std::pow(10000.0, 2.0 * static_cast<double>(c) / static_cast<double>(dim));
      table.data()[p * dim + c] = static_cast<float>(std::sin(angle));
      table.data()[p * dim + half + c] = static_cast<float>(std::cos(angle));
    }
  return table;
}

TransformerNetwork::TransformerNetwork(const TransformerConfig& config, WeightSet& w, const std::string& prefix)
    : config_(config) {
  const std::int64_t d = config.dModel, v = config.vocabSize;
  shared_ = w.take(prefix + "shared.weight", {v, d});
  takeTiedCopy(w, prefix + "encoder.embed_tokens.weight", shared_);
  takeTiedCopy(w, prefix + "decoder.embed_tokens.weight", shared_);
  takeTiedCopy(w, "lm_head.weight", shared_);
  const bool bart = config.family == TransformerFamily::Bart;
  for (bool decoder : {false, true}) {
    const std::string p = prefix + (decoder ? "decoder." : "encoder.");
    Tensor& positions = decoder ? decoderPositions_ : encoderPositions_;
    if (bart) {
      positions = w.take(p + "embed_positions.weight", {config.maxPositions + 2, d});
      (decoder ? decoderEmbedGamma_ : encoderEmbedGamma_) = w.take(p + "layernorm_embedding.weight", {d});
      (decoder ? decoderEmbedBeta_ : encoderEmbedBeta_) = w.take(p + "layernorm_embedding.bias", {d});
    } else {
      // Not saved by save_pretrained (static); older conversions kept the table: use it when present.
      positions = w.takeOptional(p + "embed_positions.weight", {config.maxPositions, d})
                      .value_or(marianSinusoids(config.maxPositions, d));
    }
  }
  auto takeLayer = [&](const std::string& p, std::int64_t ffn, bool decoder) {
    Layer l;
    l.selfQkv = takeStacked(w, p + "self_attn.", {"q_proj", "k_proj", "v_proj"}, d);
    l.selfOut = takeLinear(w, p + "self_attn.out_proj", d, d);
    l.selfGamma = w.take(p + "self_attn_layer_norm.weight", {d});
    l.selfBeta = w.take(p + "self_attn_layer_norm.bias", {d});
    if (decoder) {
      l.crossQuery = takeLinear(w, p + "encoder_attn.q_proj", d, d);
      l.crossKv = takeStacked(w, p + "encoder_attn.", {"k_proj", "v_proj"}, d);
      l.crossOut = takeLinear(w, p + "encoder_attn.out_proj", d, d);
      l.crossGamma = w.take(p + "encoder_attn_layer_norm.weight", {d});
      l.crossBeta = w.take(p + "encoder_attn_layer_norm.bias", {d});
    }
    l.fc1 = takeLinear(w, p + "fc1", ffn, d);
    l.fc2 = takeLinear(w, p + "fc2", d, ffn);
    l.finalGamma = w.take(p + "final_layer_norm.weight", {d});
    l.finalBeta = w.take(p + "final_layer_norm.bias", {d});
    return l;
  };
  for (std::int64_t i = 0; i < config.encoderLayers; ++i)
    encoderLayers_.push_back(takeLayer(prefix + "encoder.layers." + std::to_string(i) + ".", config.encoderFfn, false));
  for (std::int64_t i = 0; i < config.decoderLayers; ++i)
    decoderLayers_.push_back(takeLayer(prefix + "decoder.layers." + std::to_string(i) + ".", config.decoderFfn, true));
  // final_logits_bias is a buffer [1, vocab] (zeros in BART checkpoints; absent from a BartModel without the head).
  Tensor bias = w.takeOptional("final_logits_bias", {1, v}).value_or(Tensor({1, v}));
  lmHead_ = ops::Linear(shared_, bias.reshape({v}));
}

Tensor TransformerNetwork::norm(const Tensor& x, const Tensor& gamma, const Tensor& beta) const {
  return ops::layerNorm(x, gamma, beta, config_.layerNormEps);
}

Tensor TransformerNetwork::embed(std::span<const std::int64_t> ids, std::span<const std::int64_t> positions,
                                 bool decoder) const {
  const std::int64_t d = config_.dModel;
  const bool bart = config_.family == TransformerFamily::Bart;
  const Tensor& table = decoder ? decoderPositions_ : encoderPositions_;
  const std::int64_t rows = table.dim(0), offset = bart ? 2 : 0;
  Tensor x = ops::embedding(shared_, ids);  // [n, d]; InputError on an id outside the vocabulary
  const float scale = config_.scaleEmbedding ? std::sqrt(static_cast<float>(d)) : 1.0f;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::int64_t row = positions[i] + offset;
    if (row >= rows)
      throw InternalError("TransformerNetwork::embed", "position " + std::to_string(positions[i]) +
                                                          " is past the position table (callers cut inputs first)");
    float* xi = x.data() + static_cast<std::int64_t>(i) * d;
    const float* pi = table.data() + row * d;
    for (std::int64_t c = 0; c < d; ++c) xi[c] = xi[c] * scale + pi[c];
  }
  if (bart) x = decoder ? norm(x, decoderEmbedGamma_, decoderEmbedBeta_) : norm(x, encoderEmbedGamma_, encoderEmbedBeta_);
  return x;
}

Tensor TransformerNetwork::feedForward(const Layer& l, const Tensor& x) const {
  Tensor hidden = l.fc1(x);
  applyActivation(hidden, config_.activation);
  return norm(l.fc2(hidden, x), l.finalGamma, l.finalBeta);
}

TransformerEncoded TransformerNetwork::encode(std::span<const std::int64_t> sourceIds) const {
  const auto s = static_cast<std::int64_t>(sourceIds.size());
  const std::int64_t d = config_.dModel, heads = config_.encoderHeads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d / heads));
  std::vector<std::int64_t> positions(static_cast<std::size_t>(s));
  for (std::int64_t i = 0; i < s; ++i) positions[static_cast<std::size_t>(i)] = i;
  Tensor x = embed(sourceIds, positions, false);
  TransformerEncoded out;
  out.selfAttention = Tensor::uninitialized({config_.encoderLayers, heads, s, s});
  for (std::size_t l = 0; l < encoderLayers_.size(); ++l) {
    const Layer& layer = encoderLayers_[l];
    Tensor probs = out.selfAttention.slice(static_cast<std::int64_t>(l));
    const Tensor context = ops::multiHeadAttention(layer.selfQkv(x), heads, scale, probs);
    x = feedForward(layer, norm(layer.selfOut(context, x), layer.selfGamma, layer.selfBeta));
  }
  out.memory = x;
  for (const Layer& layer : decoderLayers_) out.crossKv.push_back(layer.crossKv(x));
  return out;
}

ForcedPass TransformerNetwork::forced(const TransformerEncoded& e, std::span<const std::int64_t> inputs) const {
  const auto t = static_cast<std::int64_t>(inputs.size());
  const std::int64_t d = config_.dModel, heads = config_.decoderHeads, s = e.sourceLength();
  const float scale = 1.0f / std::sqrt(static_cast<float>(d / heads));
  std::vector<std::int64_t> positions(static_cast<std::size_t>(t));
  for (std::int64_t i = 0; i < t; ++i) positions[static_cast<std::size_t>(i)] = i;
  Tensor x = embed(inputs, positions, true);
  ForcedPass out;
  out.selfAttention = Tensor({config_.decoderLayers, heads, t, t});
  out.cross = Tensor({config_.decoderLayers, heads, t, s});
  for (std::size_t l = 0; l < decoderLayers_.size(); ++l) {
    const Layer& layer = decoderLayers_[l];
    const Tensor qkv = layer.selfQkv(x);  // [T, 3d]
    Tensor context = Tensor::uninitialized({t, d});
    attendRows({qkv.data(), 3 * d}, {qkv.data() + d, 3 * d}, {qkv.data() + 2 * d, 3 * d}, t, t, d, heads, scale, true,
               out.selfAttention.slice(static_cast<std::int64_t>(l)).data(), t * t, context.data(), d);
    x = norm(layer.selfOut(context, x), layer.selfGamma, layer.selfBeta);
    const Tensor q = layer.crossQuery(x);  // [T, d]
    const Tensor& kv = e.crossKv[l];       // [S, 2d]
    attendRows({q.data(), d}, {kv.data(), 2 * d}, {kv.data() + d, 2 * d}, t, s, d, heads, scale, false,
               out.cross.slice(static_cast<std::int64_t>(l)).data(), t * s, context.data(), d);
    x = norm(layer.crossOut(context, x), layer.crossGamma, layer.crossBeta);
    x = feedForward(layer, x);
  }
  out.logits = lmHead_(x);
  return out;
}

DecoderCache TransformerNetwork::startCache(std::int64_t batch) const {
  DecoderCache c;
  c.keys.assign(decoderLayers_.size(), std::vector<std::vector<float>>(static_cast<std::size_t>(batch)));
  c.values = c.keys;
  return c;
}

Tensor TransformerNetwork::step(const TransformerEncoded& e, DecoderCache& cache, std::span<const std::int64_t> previous,
                                std::vector<float>* cross) const {
  const auto b = static_cast<std::int64_t>(previous.size());
  if (b != cache.batch())
    throw InternalError("TransformerNetwork::step", std::to_string(b) + " ids for a cache of " +
                                                        std::to_string(cache.batch()) + " hypotheses");
  const std::int64_t d = config_.dModel, heads = config_.decoderHeads, s = e.sourceLength();
  const std::int64_t n = cache.length + 1;  // keys per hypothesis after this token
  const std::int64_t layers = config_.decoderLayers;
  const float scale = 1.0f / std::sqrt(static_cast<float>(d / heads));
  const std::vector<std::int64_t> positions(static_cast<std::size_t>(b), cache.length);
  Tensor x = embed(previous, positions, true);  // [B, d]
  std::vector<float> probs(static_cast<std::size_t>(heads * std::max(n, s)));
  if (cross) cross->assign(static_cast<std::size_t>(b * layers * heads * s), 0.0f);
  for (std::size_t l = 0; l < decoderLayers_.size(); ++l) {
    const Layer& layer = decoderLayers_[l];
    const Tensor qkv = layer.selfQkv(x);  // [B, 3d]
    Tensor context = Tensor::uninitialized({b, d});
    for (std::int64_t hyp = 0; hyp < b; ++hyp) {
      const float* row = qkv.data() + hyp * 3 * d;
      auto& keys = cache.keys[l][static_cast<std::size_t>(hyp)];
      auto& values = cache.values[l][static_cast<std::size_t>(hyp)];
      keys.insert(keys.end(), row + d, row + 2 * d);
      values.insert(values.end(), row + 2 * d, row + 3 * d);
      attendRows({row, 3 * d}, {keys.data(), d}, {values.data(), d}, 1, n, d, heads, scale, false, probs.data(), n,
                 context.data() + hyp * d, d);
    }
    x = norm(layer.selfOut(context, x), layer.selfGamma, layer.selfBeta);
    const Tensor q = layer.crossQuery(x);  // [B, d]
    const Tensor& kv = e.crossKv[l];
    for (std::int64_t hyp = 0; hyp < b; ++hyp) {
      attendRows({q.data() + hyp * d, d}, {kv.data(), 2 * d}, {kv.data() + d, 2 * d}, 1, s, d, heads, scale, false,
                 probs.data(), s, context.data() + hyp * d, d);
      if (cross)
        std::copy_n(probs.data(), heads * s, cross->data() + (hyp * layers + static_cast<std::int64_t>(l)) * heads * s);
    }
    x = norm(layer.crossOut(context, x), layer.crossGamma, layer.crossBeta);
    x = feedForward(layer, x);
  }
  cache.length = n;
  return lmHead_(x);
}

void TransformerNetwork::reorder(DecoderCache& cache, std::span<const std::int64_t> parents) {
  for (auto* side : {&cache.keys, &cache.values})
    for (auto& layer : *side) {
      std::vector<std::vector<float>> kept;
      kept.reserve(parents.size());
      for (std::int64_t p : parents) kept.push_back(layer.at(static_cast<std::size_t>(p)));
      layer = std::move(kept);
    }
}

}  // namespace attnviz::seq2seq
