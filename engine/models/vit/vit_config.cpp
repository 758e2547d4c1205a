#include "engine/models/vit/vit_config.h"

#include <cmath>
#include <optional>

#include "engine/api/model_kind.h"
#include "engine/core/error.h"
#include "engine/io/package.h"
#include "engine/models/vit/vit_model.h"

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
  if (kindOfHfModelType(modelType) != &kVitKind) {
    std::string types;
    for (const std::string& t : kVitKind.hfModelTypes) types += (types.empty() ? "" : ", ") + t;
    throw ModelFileError(where, "model_type \"" + modelType + "\" is not a Vision Transformer attnviz runs (" + types + ")");
  }
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

namespace {

// "size" / "crop_size": {"height", "width"}, {"shortest_edge"} or a plain number (a square, as DeiT's processor reads it).
struct SizeSpec {
  std::int64_t height = 0, width = 0, shortestEdge = 0;
};

SizeSpec readSize(const Params& p, const std::string& key, const std::string& where, bool allowShortestEdge) {
  if (!p.isObject(key)) {
    const std::int64_t side = p.getInt(key, 1, kMaxDim);
    return {side, side, 0};
  }
  const Params size = p.getObject(key);
  if (size.has("height") && size.has("width")) return {size.getInt("height", 1, kMaxDim), size.getInt("width", 1, kMaxDim), 0};
  if (allowShortestEdge && size.has("shortest_edge")) return {0, 0, size.getInt("shortest_edge", 1, kMaxDim)};
  throw ModelFileError(where, key + " must give \"height\" and \"width\"" +
                                  std::string(allowShortestEdge ? " or \"shortest_edge\"" : ""));
}

constexpr const char* kResampleFix =
    "set it to a PIL filter number: 0 NEAREST, 1 LANCZOS, 2 BILINEAR, 3 BICUBIC, 4 BOX, 5 HAMMING";

// The processor class's own default when "resample" is absent: DeiTImageProcessor's is BICUBIC, ViTImageProcessor's
// BILINEAR. The class is image_processor_type (feature_extractor_type in older files), else the model's type.
ResampleFilter classDefaultResample(const Params& p, const VitConfig& config) {
  std::string type = p.getString("image_processor_type", p.getString("feature_extractor_type", ""));
  if (type.empty()) return config.distillationToken ? ResampleFilter::Bicubic : ResampleFilter::Bilinear;
  return type.rfind("DeiT", 0) == 0 ? ResampleFilter::Bicubic : ResampleFilter::Bilinear;
}

// "resample" as transformers hands it to PIL (see hfVitPreprocess in the header).
ResampleFilter readResample(const Params& p, const VitConfig& config, const std::string& where) {
  std::optional<std::string> text;  // the value as compact JSON text ("" for null); nullopt when the key is absent
  for (auto& [key, value] : p.asText())
    if (key == "resample") text = value;
  if (!text) return classDefaultResample(p, config);
  if (!p.has("resample")) return ResampleFilter::Bilinear;  // null: transformers' resize() default
  if (*text == "true" || *text == "false") {
    bool flag = false;
    try {
      flag = p.getBool("resample", false);
    } catch (const ModelFileError&) {  // the string "true" / "false"
      throw ModelFileError(where, "key 'resample' is the string \"" + *text + "\", not a number; " + kResampleFix);
    }
    return flag ? ResampleFilter::Lanczos : ResampleFilter::Nearest;  // Python: False == 0, True == 1
  }
  double number = 0;
  try {
    number = p.getNumber("resample");
  } catch (const ModelFileError&) {
    bool isString = true;
    try {
      (void)p.getString("resample");
    } catch (const ModelFileError&) {
      isString = false;
    }
    const std::string shown = text->size() > 40 ? text->substr(0, 40) + "..." : *text;
    throw ModelFileError(where, "key 'resample' is " + (isString ? "the string \"" + shown + "\"" : shown) +
                                    ", not a filter number; " + kResampleFix);
  }
  if (!(number >= 0 && number <= 5 && number == std::floor(number)))
    throw ModelFileError(where, "key 'resample' is " + *text + ", which is no PIL filter; " + kResampleFix);
  return static_cast<ResampleFilter>(static_cast<int>(number));
}

}  // namespace

const char* resampleName(ResampleFilter filter) {
  switch (filter) {
    case ResampleFilter::Nearest: return "NEAREST";
    case ResampleFilter::Lanczos: return "LANCZOS";
    case ResampleFilter::Bilinear: return "BILINEAR";
    case ResampleFilter::Bicubic: return "BICUBIC";
    case ResampleFilter::Box: return "BOX";
    case ResampleFilter::Hamming: return "HAMMING";
  }
  return "?";
}

namespace {

VitPreprocess readPreprocess(const Params* p, const VitConfig& config, const std::string& where) {
  VitPreprocess out;
  out.height = out.width = config.imageSize;
  out.mean.assign(static_cast<std::size_t>(config.numChannels), 0.5f);
  out.std.assign(static_cast<std::size_t>(config.numChannels), 0.5f);
  if (!p) return out;
  out.resize = p->getBool("do_resize", true);
  out.rescale = p->getBool("do_rescale", true);
  out.normalize = p->getBool("do_normalize", true);
  out.rescaleFactor = p->getNumber("rescale_factor", 1.0 / 255.0);
  out.filter = readResample(*p, config, where);
  if (p->has("size")) {
    const SizeSpec size = readSize(*p, "size", where, true);
    out.height = size.height;
    out.width = size.width;
    out.shortestEdge = size.shortestEdge;
  }
  out.centerCrop = p->getBool("do_center_crop", false);
  if (out.centerCrop) {
    const SizeSpec crop = p->has("crop_size") ? readSize(*p, "crop_size", where, false) : SizeSpec{224, 224, 0};
    out.cropHeight = crop.height;
    out.cropWidth = crop.width;
  }
  // What reaches the model must be its image size (else only --native-size could run it).
  const std::int64_t finalHeight = out.centerCrop ? out.cropHeight : out.height;
  const std::int64_t finalWidth = out.centerCrop ? out.cropWidth : out.width;
  if (out.resize && !out.centerCrop && out.shortestEdge > 0)
    throw ModelFileError(where, "size {\"shortest_edge\": " + std::to_string(out.shortestEdge) +
                                    "} without do_center_crop gives images of any shape; the model takes " +
                                    std::to_string(config.imageSize) + "x" + std::to_string(config.imageSize));
  if ((out.resize || out.centerCrop) && (finalHeight != config.imageSize || finalWidth != config.imageSize))
    throw ModelFileError(where, "the preprocessed image would be " + std::to_string(finalWidth) + "x" +
                                    std::to_string(finalHeight) + (out.centerCrop ? " (crop_size)" : " (size)") +
                                    " but the model's image_size is " + std::to_string(config.imageSize));
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

}  // namespace

VitPreprocess hfVitPreprocess(const Params* p, const VitConfig& config, const std::string& where) {
  return readPreprocess(p, config, where);  // Params' messages name preprocessor_config.json and its remedy
}

}  // namespace attnviz
