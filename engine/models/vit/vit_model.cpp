#include "engine/models/vit/vit_model.h"

#include <algorithm>
#include <cmath>
#include <chrono>
#include <filesystem>
#include <optional>
#include <vector>

#include "engine/core/error.h"
#include "engine/io/hf_files.h"
#include "engine/io/package.h"
#include "engine/io/weight_set.h"
#include "engine/model/attention_flow.h"
#include "engine/model/rollout.h"
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

// The tensors without the model's prefix ("vit." / "deit."); task heads kept under their own names.
NamedTensors withoutPrefix(NamedTensors in, const std::string& prefix, std::vector<std::string>& unused) {
  NamedTensors out;
  out.source = in.source;
  for (auto& [name, tensor] : in.tensors) {
    std::string n = name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
    if (n.rfind("pooler.", 0) == 0) {  // ViTModel's pooler: not part of the attention or the classifier
      unused.push_back(name);
      continue;
    }
    out.tensors.emplace_back(std::move(n), std::move(tensor));
  }
  return out;
}

class VitModel final : public Model {
 public:
  VitModel(VitConfig config, VitPreprocess preprocess, ModelInfo info, std::vector<std::string> labels, WeightSet& w);
  const ModelInfo& info() const override { return info_; }
  Trace run(const Input& input, const RunOptions& options) const override;

 private:
  // pixels [C, H, W] -> tokens [T, hidden] before the first block, on a grid of floor(H / p) x floor(W / p)
  // patches (a remainder under p dropped, as the stride-p convolution does).
  Tensor embed(const Tensor& pixels) const;
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
  std::vector<ops::Linear> heads_;  // classifier(s) on [CLS] (and [DIST]); their probabilities are averaged
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

Trace VitModel::run(const Input& input, const RunOptions& options) const {
  if (input.kind != Input::Kind::Image)
    throw InputError(input.origin, "a vit model takes an image (--image FILE), not text");
  if (options.target) throw UsageError("--target", "only seq2seq models take a target; this model is a vit");
  if (options.occlusion) throw UsageError("--occlusion", "occlusion is for han models; this model is a vit");
  if (options.beam != 1) throw UsageError("--beam", "only seq2seq models decode with a beam; this model is a vit");
  const auto start = std::chrono::steady_clock::now();

  const RgbImage image = decodeImage(input.imagePath, input.origin, options.maxImagePixels);
  VitPreprocess preprocess = preprocess_;
  if (options.nativeSize) preprocess.resize = preprocess.centerCrop = false;  // run at its own size
  const Tensor pixels = preprocessImage(image, preprocess, config_.numChannels);
  const std::int64_t rows = pixels.dim(1) / config_.patchSize, cols = pixels.dim(2) / config_.patchSize;
  if (options.nativeSize && rows * cols > kMaxNativePatches)
    throw InputError(input.origin, "at its own size the image makes " + std::to_string(rows * cols) +
                                       " patches, more than " + std::to_string(kMaxNativePatches) + "; run it resized");
  Tensor x = embed(pixels);

  const std::int64_t t = x.dim(0);
  Tensor self({config_.numLayers, config_.numHeads, t, t});
  const std::vector<VitLayer>& layers = options.bf16 ? bf16Layers_.of(layers_) : layers_;
  for (std::int64_t l = 0; l < config_.numLayers; ++l) {
    const VitLayer& layer = layers[static_cast<std::size_t>(l)];
    Tensor probs;
    const Tensor h = ops::layerNorm(x, layer.before.gamma, layer.before.beta, config_.layerNormEps);
    x = layer.attentionOut(selfAttention(layer.qkv, h, config_.numHeads, probs), x);
    const Tensor h2 = ops::layerNorm(x, layer.after.gamma, layer.after.beta, config_.layerNormEps);
    x = layer.output(layer.intermediate(h2), x);
    std::copy(probs.values().begin(), probs.values().end(), self.slice(l).data());
  }
  x = ops::layerNorm(x, finalNorm_.gamma, finalNorm_.beta, config_.layerNormEps);

  Trace trace;
  trace.model = info_.identity;
  trace.input = input.imagePath;
  trace.sourceTokens.push_back("[CLS]");
  if (config_.distillationToken) trace.sourceTokens.push_back("[DIST]");
  for (std::int64_t py = 0; py < rows; ++py)
    for (std::int64_t px = 0; px < cols; ++px)
      trace.sourceTokens.push_back("patch " + std::to_string(py) + "," + std::to_string(px));
  trace.attention["self"] = self;
  if (options.rollout != RolloutFusion::None)
    trace.attention["rollout"] = attentionRollout(self, options.rollout, options.rolloutDiscard);
  if (options.flow) trace.attention["flow"] = attentionFlow(self, {0});
  if (!heads_.empty()) {
    std::vector<float> mean(labels_.size(), 0.0f);
    for (std::size_t k = 0; k < heads_.size(); ++k) {
      const Tensor logits = heads_[k](x.slice(static_cast<std::int64_t>(k)).reshape({1, config_.hiddenSize}));
      // DeiT with teacher averages the two heads' logits, then softmax.
      for (std::size_t i = 0; i < mean.size(); ++i) mean[i] += logits.data()[i] / static_cast<float>(heads_.size());
    }
    const Tensor probabilities = ops::softmax(Tensor({1, static_cast<std::int64_t>(mean.size())}, mean));
    std::size_t best = 0;
    for (std::size_t i = 0; i < labels_.size(); ++i) {
      trace.prediction.probabilities.emplace_back(labels_[i], probabilities.data()[i]);
      if (probabilities.data()[i] > probabilities.data()[best]) best = i;
    }
    trace.prediction.label = labels_[best];
  }
  if (!options.nativeSize && (image.width != pixels.dim(2) || image.height != pixels.dim(1)))
    trace.warnings.push_back("image " + std::string(preprocess.centerCrop ? "resized and cropped" : "resized") + " from " +
                             std::to_string(image.width) + "x" + std::to_string(image.height) + " to the model's " +
                             std::to_string(pixels.dim(2)) + "x" + std::to_string(pixels.dim(1)));
  trace.inferenceMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return trace;
}

}  // namespace

std::unique_ptr<Model> makeVit(VitConfig config, VitPreprocess preprocess, ModelInfo info, std::vector<std::string> labels,
                               WeightSet& weights) {
  return std::make_unique<VitModel>(config, std::move(preprocess), std::move(info), std::move(labels), weights);
}

bool isHfVitType(const std::string& modelType) { return modelType == "vit" || modelType == "deit"; }

std::unique_ptr<Model> loadHfVit(const std::string& path, const LoadOptions& options) {
  const HfFiles files(path, static_cast<std::uint64_t>(options.maxFileBytes));
  const std::string where = files.label("config.json");
  const Params config(where, files.readText("config.json"));
  const std::string modelType = config.getString("model_type", "");
  const VitConfig vit = hfVitConfig(config, modelType, where);
  std::optional<Params> pre;
  if (files.has("preprocessor_config.json"))
    pre.emplace(files.label("preprocessor_config.json"), files.readText("preprocessor_config.json"));
  VitPreprocess preprocess = hfVitPreprocess(pre ? &*pre : nullptr, vit, files.label("preprocessor_config.json"));

  std::vector<std::string> unused;
  WeightSet w(withoutPrefix(files.readWeights(), modelType + ".", unused),
              "the checkpoint does not match its config.json; save it again with save_pretrained");
  const bool classifier = w.has("classifier.weight") || w.has("cls_classifier.weight");
  std::vector<std::string> labels = classifier ? hfLabels(config, where) : std::vector<std::string>{};
  if (classifier && labels.empty())
    throw ModelFileError(where, "the weights have a classifier but config.json has no id2label to name its classes");

  ModelInfo info;
  const std::filesystem::path p(path);
  std::string name = files.isZip() ? p.stem().string() : p.filename().string();
  if (name.empty()) name = p.parent_path().filename().string();
  info.identity = {name, "vit", modelType};
  info.path = path;
  info.format = std::string("Hugging Face checkpoint (") + (files.isZip() ? "zip" : "folder") + ", " + files.weightsFile() + ")";
  for (auto& [key, value] : config.asText())
    if (key != "attnviz_card" && key != "id2label" && key != "label2id") info.architecture.emplace_back(std::move(key), std::move(value));
  info.card = config.getFlattened("attnviz_card");
  info.card.emplace_back("input", std::to_string(vit.imageSize) + "x" + std::to_string(vit.imageSize) + ", " +
                                      std::to_string(vit.numChannels) + " channel(s), patches of " +
                                      std::to_string(vit.patchSize) + " (" + std::to_string(vit.numPatches()) + ")");
  if (!unused.empty()) info.card.emplace_back("unused tensors", std::to_string(unused.size()) + " (ViTModel's pooler)");
  auto model = makeVit(vit, std::move(preprocess), std::move(info), std::move(labels), w);
  w.finish();
  return model;
}

}  // namespace attnviz
