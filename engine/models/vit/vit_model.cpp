#include "engine/models/vit/vit_model.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <regex>
#include <vector>

#include "engine/core/error.h"
#include "engine/io/hf_files.h"
#include "engine/io/package.h"
#include "engine/io/tensor_files.h"
#include "engine/io/weight_set.h"
#include "engine/models/transformer/bf16_layers.h"
#include "engine/models/transformer/self_attention.h"
#include "engine/models/vit/image_input.h"
#include "engine/models/vit/vit_config.h"
#include "engine/ops/ops.h"

namespace attnviz {

namespace {

// Patches of an image run at its own size (tokens grow with the square of the side; attention with the fourth power).
constexpr std::int64_t kMaxNativePatches = 4096;

struct Norm {
  Tensor gamma, beta;  // [hidden]
};

struct VitLayer {
  Norm before;               // layernorm_before
  ops::Linear qkv;           // [hidden -> 3 * hidden]
  ops::Linear attentionOut;  // [hidden -> hidden], + residual
  Norm after;                // layernorm_after
  ops::Linear intermediate;  // [hidden -> intermediate], GELU fused
  ops::Linear output;        // [intermediate -> hidden], + residual

  VitLayer withPrecision(ops::Precision p) const {
    return {before, qkv.withPrecision(p), attentionOut.withPrecision(p), after, intermediate.withPrecision(p),
            output.withPrecision(p)};
  }
};

Norm takeNorm(WeightSet& w, const std::string& prefix, std::int64_t hidden) {
  return {w.take(prefix + ".weight", {hidden}), w.take(prefix + ".bias", {hidden})};
}

ops::Linear takeLinear(WeightSet& w, const std::string& prefix, std::int64_t in, std::int64_t out,
                       ops::LinearOptions options = {}) {
  return ops::Linear(w.take(prefix + ".weight", {out, in}), w.take(prefix + ".bias", {out}), options);
}

// transformers 5 saves ViT layers under new names (layers.N.attention.q_proj, layers.N.mlp.fc1, ...); the loader
// reads the 4.x names (encoder.layer.N.attention.attention.query, ...), so the new ones are mapped to them.
std::string legacyLayerName(const std::string& name) {
  static const std::vector<std::pair<std::regex, std::string>> rules = {
      {std::regex(R"(^layers\.(\d+)\.attention\.q_proj\.)"), "encoder.layer.$1.attention.attention.query."},
      {std::regex(R"(^layers\.(\d+)\.attention\.k_proj\.)"), "encoder.layer.$1.attention.attention.key."},
      {std::regex(R"(^layers\.(\d+)\.attention\.v_proj\.)"), "encoder.layer.$1.attention.attention.value."},
      {std::regex(R"(^layers\.(\d+)\.attention\.o_proj\.)"), "encoder.layer.$1.attention.output.dense."},
      {std::regex(R"(^layers\.(\d+)\.mlp\.fc1\.)"), "encoder.layer.$1.intermediate.dense."},
      {std::regex(R"(^layers\.(\d+)\.mlp\.fc2\.)"), "encoder.layer.$1.output.dense."},
      {std::regex(R"(^layers\.(\d+)\.(layernorm_before|layernorm_after)\.)"), "encoder.layer.$1.$2."},
  };
  if (name.rfind("layers.", 0) != 0) return name;
  for (const auto& [pattern, replacement] : rules)
    if (std::regex_search(name, pattern))
      return std::regex_replace(name, pattern, replacement, std::regex_constants::format_first_only);
  return name;
}

// The tensors without the model's prefix ("vit." / "deit.") and in the 4.x layer names; task heads and ViTModel's
// pooler keep their own names.
NamedTensors withoutPrefix(NamedTensors in, const std::string& prefix) {
  NamedTensors out;
  out.source = in.source;
  for (auto& [name, tensor] : in.tensors)
    out.tensors.emplace_back(legacyLayerName(name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name), std::move(tensor));
  return out;
}

class VitModel final : public Model {
 public:
  VitModel(VitConfig config, VitPreprocess preprocess, ModelInfo info, std::vector<std::string> labels, WeightSet& w);
  const ModelInfo& info() const override { return info_; }

 protected:
  Trace runImpl(const Input& input, const RunOptions& options) const override;

 private:
  // pixels [C, H, W] -> tokens [T, hidden] before the first block, on a grid of floor(H / p) x floor(W / p)
  // patches (a remainder under p dropped, as the stride-p convolution does).
  Tensor embed(const Tensor& pixels) const;
  // The model's input [C, H, W] for an image (decoded and preprocessed) or a --pixels tensor (read as it is).
  Tensor pixelsFor(const Input& input, const RunOptions& options, std::string& resizedFrom) const;
  Tensor readPixels(const Input& input, const RunOptions& options) const;
  // Position embeddings [special + rows * cols, hidden]: the trained ones, or the patch grid resized bicubically.
  Tensor positionsFor(std::int64_t rows, std::int64_t cols) const;

  VitConfig config_;
  VitPreprocess preprocess_;
  ModelInfo info_;
  std::vector<std::string> labels_;
  ops::Linear patchEmbedding_;  // [C * p * p -> hidden], the convolution as a product over flattened patches
  Tensor specialTokens_;        // [1 or 2, hidden]: [CLS] (and [DIST])
  Tensor positions_;            // [T, hidden]
  std::vector<VitLayer> layers_;
  Bf16Layers<VitLayer> bf16Layers_;  // RunOptions::bf16
  Norm finalNorm_;
  std::vector<ops::Linear> heads_;  // classifier(s) on [CLS] (and [DIST]); their logits are averaged
  std::optional<ops::Linear> pooler_;  // ViTModel's pooler: [hidden -> pooler_output_size] on [CLS], then tanh
};

VitModel::VitModel(VitConfig config, VitPreprocess preprocess, ModelInfo info, std::vector<std::string> labels, WeightSet& w)
    : config_(config), preprocess_(std::move(preprocess)), info_(std::move(info)), labels_(std::move(labels)) {
  const std::int64_t hidden = config_.hiddenSize, c = config_.numChannels, p = config_.patchSize;
  const std::int64_t tokens = config_.numSpecialTokens() + config_.numPatches();
  patchEmbedding_ = ops::Linear(w.take("embeddings.patch_embeddings.projection.weight", {hidden, c, p, p}).reshape({hidden, c * p * p}),
                                w.take("embeddings.patch_embeddings.projection.bias", {hidden}));
  const Tensor cls = w.take("embeddings.cls_token", {1, 1, hidden}).reshape({1, hidden});
  specialTokens_ = config_.distillationToken
                       ? ops::concat(std::vector<Tensor>{cls, w.take("embeddings.distillation_token", {1, 1, hidden}).reshape({1, hidden})}, 0)
                       : cls;
  positions_ = w.take("embeddings.position_embeddings", {1, tokens, hidden}).reshape({tokens, hidden});
  for (std::int64_t l = 0; l < config_.numLayers; ++l) {
    const std::string prefix = "encoder.layer." + std::to_string(l);
    VitLayer layer;
    layer.before = takeNorm(w, prefix + ".layernorm_before", hidden);
    layer.qkv = takeStackedQkv(w, prefix + ".attention.attention", hidden);
    layer.attentionOut = takeLinear(w, prefix + ".attention.output.dense", hidden, hidden);
    layer.after = takeNorm(w, prefix + ".layernorm_after", hidden);
    layer.intermediate = takeLinear(w, prefix + ".intermediate.dense", hidden, config_.intermediateSize, {ops::Activation::Gelu});
    layer.output = takeLinear(w, prefix + ".output.dense", config_.intermediateSize, hidden);
    layers_.push_back(std::move(layer));
  }
  finalNorm_ = takeNorm(w, "layernorm", hidden);
  if (!labels_.empty()) {
    const auto n = static_cast<std::int64_t>(labels_.size());
    if (w.has("classifier.weight")) {
      heads_.push_back(takeLinear(w, "classifier", hidden, n));
    } else {  // DeiTForImageClassificationWithTeacher
      heads_.push_back(takeLinear(w, "cls_classifier", hidden, n));
      heads_.push_back(takeLinear(w, "distillation_classifier", hidden, n));
    }
  }
  if (w.has("pooler.dense.weight")) {
    const std::int64_t pooled = w.shapeOf("pooler.dense.weight")[0];
    pooler_ = takeLinear(w, "pooler.dense", hidden, pooled);
  }
  info_.parameterCount = w.parameterCount();
  info_.labels = labels_;
}

// torch's bicubic (A = -0.75) taps for one axis, align_corners=False: source = (o + 0.5) * in / out - 0.5, not
// clamped; the four taps clamped to the edge.
struct CubicTaps {
  std::int64_t index[4];
  double weight[4];
};

std::vector<CubicTaps> cubicTaps(std::int64_t in, std::int64_t out) {
  constexpr double a = -0.75;
  auto near = [&](double x) { return ((a + 2) * x - (a + 3)) * x * x + 1; };       // |x| <= 1
  auto far = [&](double x) { return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a; };  // 1 < |x| < 2
  std::vector<CubicTaps> taps(static_cast<std::size_t>(out));
  for (std::int64_t o = 0; o < out; ++o) {
    const double src = (static_cast<double>(o) + 0.5) * static_cast<double>(in) / static_cast<double>(out) - 0.5;
    const auto x0 = static_cast<std::int64_t>(std::floor(src));
    const double t = src - static_cast<double>(x0);
    CubicTaps& k = taps[static_cast<std::size_t>(o)];
    const double w[4] = {far(t + 1), near(t), near(1 - t), far(2 - t)};
    for (int i = 0; i < 4; ++i) {
      k.index[i] = std::clamp<std::int64_t>(x0 - 1 + i, 0, in - 1);
      k.weight[i] = w[i];
    }
  }
  return taps;
}

Tensor VitModel::positionsFor(std::int64_t rows, std::int64_t cols) const {
  const std::int64_t side = config_.gridSide(), special = config_.numSpecialTokens(), d = config_.hiddenSize;
  if (rows == side && cols == side) return positions_;
  Tensor out({special + rows * cols, d});
  std::copy(positions_.data(), positions_.data() + special * d, out.data());
  const std::vector<CubicTaps> ys = cubicTaps(side, rows), xs = cubicTaps(side, cols);
  const float* grid = positions_.data() + special * d;  // [side, side, d]
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < cols; ++c) {
      float* dst = out.data() + (special + r * cols + c) * d;
      for (std::int64_t k = 0; k < d; ++k) {
        double v = 0;
        for (int i = 0; i < 4; ++i)
          for (int j = 0; j < 4; ++j)
            v += ys[static_cast<std::size_t>(r)].weight[i] * xs[static_cast<std::size_t>(c)].weight[j] *
                 grid[(ys[static_cast<std::size_t>(r)].index[i] * side + xs[static_cast<std::size_t>(c)].index[j]) * d + k];
        dst[k] = static_cast<float>(v);
      }
    }
  return out;
}

Tensor VitModel::embed(const Tensor& pixels) const {
  const std::int64_t c = config_.numChannels, p = config_.patchSize;
  const std::int64_t h = pixels.dim(1), w = pixels.dim(2), rows = h / p, cols = w / p;
  if (rows < 1 || cols < 1)
    throw InputError("image", "the image is " + std::to_string(w) + "x" + std::to_string(h) +
                                  " pixels, smaller than one patch of " + std::to_string(p));
  // Patches [P, C * p * p], each flattened as the convolution weight is: channel, row, column.
  Tensor patches({rows * cols, c * p * p});
  for (std::int64_t py = 0; py < rows; ++py)
    for (std::int64_t px = 0; px < cols; ++px) {
      float* dst = patches.data() + (py * cols + px) * c * p * p;
      for (std::int64_t ch = 0; ch < c; ++ch)
        for (std::int64_t y = 0; y < p; ++y)
          for (std::int64_t x = 0; x < p; ++x)
            *dst++ = pixels.data()[(ch * h + py * p + y) * w + px * p + x];
    }
  const Tensor x = ops::concat(std::vector<Tensor>{specialTokens_, patchEmbedding_(patches)}, 0);  // [T, hidden]
  return ops::add(x, positionsFor(rows, cols));
}

std::string sizeText(std::int64_t w, std::int64_t h) { return std::to_string(w) + "x" + std::to_string(h); }

Tensor VitModel::readPixels(const Input& input, const RunOptions& options) const {
  const std::string& where = input.origin;
  const std::int64_t c = config_.numChannels;
  // At most --max-image-pixels pixels of float64 samples, plus the header.
  const auto maxBytes = static_cast<std::uint64_t>(options.maxImagePixels) * static_cast<std::uint64_t>(c) * 8 + 65536;
  NpyArray read;
  try {
    read = readNpyArray(Bytes::mapFile(input.imagePath, maxBytes,
                                       " (--max-image-pixels float64 samples; change it with --max-image-pixels)"));
  } catch (const ModelFileError& e) {  // a broken input, not a broken model
    throw InputError(where, e.what());
  }
  const std::string& descr = read.dtype;
  if (descr != "<f4" && descr != "<f8")
    throw InputError(where, "--pixels takes float32 (or float64) preprocessed pixel values, this file holds '" + descr +
                                "'" + (descr == "|u1" ? " (raw 8-bit pixels: give the image with --image instead)" : "") +
                                "; save np.asarray(pixel_values, dtype=np.float32) with numpy.save");
  Tensor t = read.tensor;
  const Shape& shape = t.shape();
  const bool batched = shape.size() == 4 && shape[0] == 1;
  if (!((shape.size() == 3 || batched) && shape[shape.size() - 3] == c))
    throw InputError(where, "--pixels takes a [" + std::to_string(c) + ", H, W] or [1, " + std::to_string(c) +
                                ", H, W] tensor (the processor's pixel_values), this file holds " + shapeString(shape));
  if (batched) t = t.reshape({shape[1], shape[2], shape[3]});
  const std::int64_t h = t.dim(1), w = t.dim(2);
  if (h * w > options.maxImagePixels)
    throw InputError(where, "the pixels are " + sizeText(w, h) + ", more than the limit of " +
                                std::to_string(options.maxImagePixels) + " pixels (change it with --max-image-pixels)");
  for (float v : t.values())
    if (!std::isfinite(v)) throw InputError(where, "the pixels hold NaN or infinite values");
  if (descr == "<f8") return t;  // converted, so owned
  Tensor owned(t.shape());
  std::copy(t.values().begin(), t.values().end(), owned.data());
  return owned;
}

Tensor VitModel::pixelsFor(const Input& input, const RunOptions& options, std::string& resizedFrom) const {
  const std::int64_t side = config_.imageSize, p = config_.patchSize;
  Tensor pixels;
  std::int64_t givenW = 0, givenH = 0;
  if (input.kind == Input::Kind::Pixels) {
    pixels = readPixels(input, options);
    givenW = pixels.dim(2);
    givenH = pixels.dim(1);
  } else {
    const RgbImage image = input.imagePath.empty() ? decodeImageData(input.imageData, input.origin, options.maxImagePixels)
                                                   : decodeImage(input.imagePath, input.origin, options.maxImagePixels);
    VitPreprocess preprocess = preprocess_;
    if (options.nativeSize) preprocess.resize = preprocess.centerCrop = false;  // run at its own size
    pixels = preprocessImage(image, preprocess, config_.numChannels);
    givenW = image.width;
    givenH = image.height;
    if (!options.nativeSize && (givenW != pixels.dim(2) || givenH != pixels.dim(1)))
      resizedFrom = std::string(preprocess.centerCrop ? "resized and cropped" : "resized") + " from " +
                    sizeText(givenW, givenH) + " to the model's " + sizeText(pixels.dim(2), pixels.dim(1));
  }
  const std::int64_t h = pixels.dim(1), w = pixels.dim(2), rows = h / p, cols = w / p;
  if (options.nativeSize) {
    if (rows * cols > kMaxNativePatches)
      throw InputError(input.origin, "at its own size the " + std::string(input.kind == Input::Kind::Pixels ? "tensor" : "image") +
                                         " makes " + std::to_string(rows * cols) + " patches, more than " +
                                         std::to_string(kMaxNativePatches) + "; run it resized");
    return pixels;
  }
  if (h != side || w != side) {
    // Only an image the preprocessor leaves at its size (do_resize false) or a --pixels tensor gets here.
    const bool nativeFits = rows >= 1 && cols >= 1 && rows * cols <= kMaxNativePatches;
    const std::string native = nativeFits ? ", or run it at its own size with --native-size" : "";
    if (input.kind == Input::Kind::Pixels)
      throw InputError(input.origin, "the pixels are " + sizeText(w, h) + " but the model takes " + sizeText(side, side) +
                                         " (image_size in config.json): preprocess the image to " + sizeText(side, side) +
                                         native);
    const std::string fix = "resize it to " + sizeText(side, side) + native;
    throw InputError(input.origin, "the image is " + sizeText(givenW, givenH) + " pixels but the model takes " +
                                       sizeText(side, side) + " (image_size in config.json) and preprocessor_config.json "
                                       "has do_resize false, so it is not resized: " + fix);
  }
  return pixels;
}

Trace VitModel::runImpl(const Input& input, const RunOptions& options) const {
  std::string resizedFrom;
  Tensor pixels = pixelsFor(input, options, resizedFrom);  // [C, H, W], this run's own
  const std::int64_t rows = pixels.dim(1) / config_.patchSize, cols = pixels.dim(2) / config_.patchSize;
  // RunOptions::removed: patches masked (zero pixels, before the embedding) or left out (after the position
  // embeddings are added, so the other patches keep theirs). removed[k]: token k is left out.
  const std::int64_t special = config_.numSpecialTokens();
  std::vector<bool> removed(static_cast<std::size_t>(special + rows * cols), false);
  for (const int k : options.removed.positions) {
    if (k < special || k >= special + rows * cols)
      throw UsageError("removed tokens", "position " + std::to_string(k) + " is no patch (the patches are tokens " +
                                             std::to_string(special) + " .. " + std::to_string(special + rows * cols - 1) + ")");
    if (removed[static_cast<std::size_t>(k)]) throw UsageError("removed tokens", "position " + std::to_string(k) + " is given twice");
    removed[static_cast<std::size_t>(k)] = true;
  }
  const bool masked = options.removed.how == TokenRemoval::How::Mask;
  if (masked) {
    const std::int64_t p = config_.patchSize, h = pixels.dim(1), w = pixels.dim(2);
    for (const int k : options.removed.positions) {
      const std::int64_t py = (k - special) / cols, px = (k - special) % cols;
      for (std::int64_t ch = 0; ch < pixels.dim(0); ++ch)
        for (std::int64_t y = py * p; y < (py + 1) * p; ++y)
          std::fill_n(pixels.data() + (ch * h + y) * w + px * p, p, 0.0f);
    }
  }
  Tensor x = embed(pixels);
  if (!masked && options.removed.any()) {
    std::vector<std::int64_t> kept;
    for (std::size_t k = 0; k < removed.size(); ++k)
      if (!removed[k]) kept.push_back(static_cast<std::int64_t>(k));
    x = ops::embedding(x, kept);  // the kept rows
  }

  const std::int64_t t = x.dim(0);
  Tensor self = Tensor::uninitialized({config_.numLayers, config_.numHeads, t, t});  // each layer writes its slice
  const std::vector<VitLayer>& layers = options.bf16 ? bf16Layers_.of(layers_) : layers_;
  const bool keepBlocks = options.keepAttentionBlocks || options.contributions.any();
  std::vector<AttentionBlockParts> blocks;
  for (std::int64_t l = 0; l < config_.numLayers; ++l) {
    const VitLayer& layer = layers[static_cast<std::size_t>(l)];
    const Tensor h = ops::layerNorm(x, layer.before.gamma, layer.before.beta, config_.layerNormEps);
    const Tensor projected = layer.qkv(h);  // [T, 3 * hidden]
    const Tensor input = x;
    Tensor context = selfAttention(projected, config_.numHeads, self.slice(l));  // [T, hidden]
    applyInterventions(projected, config_.numHeads, config_.numLayers, l, options, self.slice(l), context);
    x = layer.attentionOut(context, x);
    const Tensor residual = x;
    const Tensor h2 = ops::layerNorm(x, layer.after.gamma, layer.after.beta, config_.layerNormEps);
    x = layer.output(layer.intermediate(h2), x);
    if (keepBlocks) {  // pre-LN: the block is x + attention(LN1(x)); the values are of LN1(x)
      // The rest of the layer for B other contexts [B * N, hidden], each with this layer's residual input.
      auto finish = [&layer, input, eps = config_.layerNormEps](const Tensor& contexts) {
        const Tensor r = layer.attentionOut(contexts, repeatRows(input, contexts.dim(0) / input.dim(0)));
        return layer.output(layer.intermediate(ops::layerNorm(r, layer.after.gamma, layer.after.beta, eps)), r);
      };
      blocks.push_back({.postLayerNorm = false, .input = input, .values = stackedValues(projected), .residual = residual,
                        .outWeight = layer.attentionOut.weight(), .outBias = *layer.attentionOut.bias(), .norm1 = {},
                        .context = context, .output = x, .norm2 = {}, .norm2Input = {}, .finishLayer = finish});
    }
  }
  x = ops::layerNorm(x, finalNorm_.gamma, finalNorm_.beta, config_.layerNormEps);  // [T, hidden]

  Trace trace;
  trace.model = info_.identity;
  trace.input = input.imagePath.empty() ? input.origin : input.imagePath;  // in memory: its name
  trace.sourceTokens.push_back("[CLS]");
  if (config_.distillationToken) trace.sourceTokens.push_back("[DIST]");
  for (std::int64_t py = 0; py < rows; ++py)
    for (std::int64_t px = 0; px < cols; ++px)
      if (masked || !removed[static_cast<std::size_t>(special + py * cols + px)])
        trace.sourceTokens.push_back("patch " + std::to_string(py) + "," + std::to_string(px));
  trace.attention["self"] = std::move(self);
  trace.attentionBlocks = std::move(blocks);
  const Tensor cls = x.slice(0).reshape({1, config_.hiddenSize});  // [1, hidden]
  if (!heads_.empty()) {
    const auto n = static_cast<std::int64_t>(labels_.size());
    Tensor logits({n});  // DeiT with teacher: the mean of the [CLS] and [DIST] heads' logits, then softmax
    std::fill(logits.data(), logits.data() + n, 0.0f);
    for (std::size_t k = 0; k < heads_.size(); ++k) {
      const Tensor head = heads_[k](x.slice(static_cast<std::int64_t>(k)).reshape({1, config_.hiddenSize}));  // [1, n]
      for (std::int64_t i = 0; i < n; ++i) logits.data()[i] += head.data()[i] / static_cast<float>(heads_.size());
    }
    const Tensor probabilities = ops::softmax(logits.reshape({1, n}));
    std::size_t best = 0;
    for (std::size_t i = 0; i < labels_.size(); ++i) {
      trace.prediction.probabilities.emplace_back(labels_[i], probabilities.data()[i]);
      if (probabilities.data()[i] > probabilities.data()[best]) best = i;
    }
    trace.prediction.label = labels_[best];
    if (options.hiddenStates) trace.outputs["logits"] = logits;
  }
  if (options.hiddenStates) {
    trace.outputs["hidden"] = x;  // ViTModel's last_hidden_state
    if (pooler_) {
      const Tensor pooled = ops::tanh((*pooler_)(cls));  // [1, pooler_output_size]
      trace.outputs["pooled"] = pooled.reshape({pooled.dim(1)});
    }
  }
  if (!resizedFrom.empty()) trace.warnings.push_back("image " + resizedFrom);
  return trace;
}

}  // namespace

std::unique_ptr<Model> makeVit(VitConfig config, VitPreprocess preprocess, ModelInfo info, std::vector<std::string> labels,
                               WeightSet& weights) {
  return std::make_unique<VitModel>(config, std::move(preprocess), std::move(info), std::move(labels), weights);
}


std::unique_ptr<Model> loadHfVit(const std::string& path, const LoadOptions& options) {
  return loadHfVit(HfFiles(path, static_cast<std::uint64_t>(options.maxFileBytes)), options);
}

std::unique_ptr<Model> loadHfVit(const HfFiles& files, const LoadOptions&) {
  const std::string& path = files.path();
  const std::string where = files.label("config.json");
  const Params config(where, files.readText("config.json"));
  const std::string modelType = config.getString("model_type", "");
  const VitConfig vit = hfVitConfig(config, modelType, where);
  std::optional<Params> pre;
  if (files.has("preprocessor_config.json"))
    pre.emplace(files.label("preprocessor_config.json"), files.readText("preprocessor_config.json"));
  VitPreprocess preprocess = hfVitPreprocess(pre ? &*pre : nullptr, vit, files.label("preprocessor_config.json"));

  WeightSet w(withoutPrefix(files.readWeights(), modelType + "."),
              "the checkpoint does not match its config.json: " + rewriteRemedy(WeightsOrigin::HuggingFace));
  // Labels as transformers names them: id2label, else LABEL_0 .. LABEL_{n-1}.
  std::vector<std::string> labels;
  for (const char* head : {"classifier.weight", "cls_classifier.weight"})
    if (w.has(head) && labels.empty()) labels = hfHeadLabels(config, w.shapeOf(head)[0], head, where);
  const bool pooler = w.has("pooler.dense.weight");
  if (pooler && config.getString("pooler_act", "tanh") != "tanh")
    throw ModelFileError(where, "config key 'pooler_act' is \"" + config.getString("pooler_act") +
                                    "\"; attnviz runs ViTModel's pooler with tanh only");

  ModelInfo info;
  const std::filesystem::path p(path);
  std::string name = files.isZip() ? p.stem().string() : p.filename().string();
  if (name.empty()) name = p.parent_path().filename().string();
  info.identity = {name, kVitKind.name, modelType};
  info.path = path;
  info.format = std::string("Hugging Face checkpoint (") + (files.isZip() ? "zip" : "folder") + ", " + files.weightsFile() + ")";
  for (auto& [key, value] : config.asText())
    if (key != "attnviz_card" && key != "id2label" && key != "label2id") info.architecture.emplace_back(std::move(key), std::move(value));
  info.card = config.getFlattened("attnviz_card");
  info.card.emplace_back("input", std::to_string(vit.imageSize) + "x" + std::to_string(vit.imageSize) + ", " +
                                      std::to_string(vit.numChannels) + " channel(s), patches of " +
                                      std::to_string(vit.patchSize) + " (" + std::to_string(vit.numPatches()) + ")");
  if (pooler) info.card.emplace_back("pooler", "dense + tanh on [CLS] (ViTModel's pooler_output; run --hidden-states: \"pooled\")");
  auto model = makeVit(vit, std::move(preprocess), std::move(info), std::move(labels), w);
  w.finish();
  return model;
}

}  // namespace attnviz
