#include "engine/models/vit/vit_config.h"

#include <cmath>

#include "engine/core/error.h"
#include "engine/io/package.h"

namespace attnviz {

namespace {

constexpr std::int64_t kMaxDim = 1 << 16;
constexpr const char* kFix = "attnviz runs ViT-style encoders: patch embedding, pre-layer-norm blocks, erf GELU";

void requireValue(const Params& c, const std::string& key, const std::string& expected, const std::string& where) {
  const std::string found = c.getString(key, expected);
  if (found != expected)
    throw ModelFileError(where, "config key '" + key + "' is \"" + found + "\"; attnviz supports only \"" + expected +
                                    "\" (" + kFix + ")");
}

}  // namespace

VitConfig hfVitConfig(const Params& c, const std::string& modelType, const std::string& where) {
  if (modelType != "vit" && modelType != "deit")
    throw ModelFileError(where, "model_type \"" + modelType + "\" is not a Vision Transformer attnviz runs (vit, deit)");
  VitConfig v;
  v.imageSize = c.getInt("image_size", 1, kMaxDim, 224);
  v.patchSize = c.getInt("patch_size", 1, kMaxDim, 16);
  v.numChannels = c.getInt("num_channels", 1, 4, 3);
  v.hiddenSize = c.getInt("hidden_size", 1, kMaxDim);
  v.numLayers = c.getInt("num_hidden_layers", 1, 256);
  v.numHeads = c.getInt("num_attention_heads", 1, 1024);
  v.intermediateSize = c.getInt("intermediate_size", 1, 4 * kMaxDim);
  v.layerNormEps = static_cast<float>(c.getNumber("layer_norm_eps", 1e-12));
  v.distillationToken = modelType == "deit";
  requireValue(c, "hidden_act", "gelu", where);
  if (!c.getBool("qkv_bias", true))
    throw ModelFileError(where, "config key 'qkv_bias' is false; attnviz needs query/key/value biases (" + std::string(kFix) + ")");
  if (!(v.layerNormEps > 0.0f && v.layerNormEps < 1.0f))
    throw ModelFileError(where, "layer_norm_eps must be in (0, 1), found " + std::to_string(v.layerNormEps));
  if (v.hiddenSize % v.numHeads != 0)
    throw ModelFileError(where, "the hidden size " + std::to_string(v.hiddenSize) + " is not divisible by the " +
                                    std::to_string(v.numHeads) + " attention heads");
  if (v.imageSize % v.patchSize != 0)
    throw ModelFileError(where, "image_size " + std::to_string(v.imageSize) + " is not a multiple of patch_size " +
                                    std::to_string(v.patchSize));
  return v;
}

VitPreprocess hfVitPreprocess(const Params* p, const VitConfig& config, const std::string& where) {
  VitPreprocess out;
  out.height = out.width = config.imageSize;
  out.mean.assign(static_cast<std::size_t>(config.numChannels), 0.5f);
  out.std.assign(static_cast<std::size_t>(config.numChannels), 0.5f);
  if (!p) return out;
  out.resize = p->getBool("do_resize", true);
  out.rescale = p->getBool("do_rescale", true);
  out.normalize = p->getBool("do_normalize", true);
  out.rescaleFactor = static_cast<float>(p->getNumber("rescale_factor", 1.0 / 255.0));
  if (p->has("size")) {
    const Params size = p->getObject("size");
    if (!size.has("height") || !size.has("width"))
      throw ModelFileError(where, "size must give \"height\" and \"width\" (shortest_edge resizing with cropping is not "
                                  "supported); the model's image_size is " + std::to_string(config.imageSize));
    out.height = size.getInt("height", 1, kMaxDim);
    out.width = size.getInt("width", 1, kMaxDim);
  }
  const std::vector<double> mean = p->getNumberList("image_mean"), std = p->getNumberList("image_std");
  if (!mean.empty()) out.mean.assign(mean.begin(), mean.end());
  if (!std.empty()) out.std.assign(std.begin(), std.end());
  const auto channels = static_cast<std::size_t>(config.numChannels);
  if (out.mean.size() == 1) out.mean.resize(channels, out.mean[0]);
  if (out.std.size() == 1) out.std.resize(channels, out.std[0]);
  if (out.mean.size() != channels || out.std.size() != channels)
    throw ModelFileError(where, "image_mean and image_std need one value per channel (" + std::to_string(channels) + ")");
  for (float s : out.std)
    if (!(s > 0.0f) || !std::isfinite(s)) throw ModelFileError(where, "image_std values must be positive");
  return out;
}

}  // namespace attnviz
