#include "engine/models/vit/timm_vit.h"

#include <cmath>
#include <filesystem>
#include <map>
#include <regex>

#include "engine/core/error.h"
#include "engine/io/tensor_files.h"
#include "engine/io/weight_set.h"
#include "engine/models/vit/vit_model.h"
#include "engine/ops/ops.h"

namespace attnviz {

namespace {

bool hasExtension(const std::string& path, const char* ext) {
  return std::filesystem::path(path).extension() == ext;
}

const Tensor* find(const NamedTensors& t, const std::string& name) {
  for (const auto& [n, tensor] : t.tensors)
    if (n == name) return &tensor;
  return nullptr;
}

// timm name -> HF ViT name (qkv handled separately).
std::string renamed(const std::string& name) {
  static const std::vector<std::pair<std::regex, std::string>> rules = {
      {std::regex(R"(^cls_token$)"), "embeddings.cls_token"},
      {std::regex(R"(^dist_token$)"), "embeddings.distillation_token"},
      {std::regex(R"(^pos_embed$)"), "embeddings.position_embeddings"},
      {std::regex(R"(^patch_embed\.proj\.)"), "embeddings.patch_embeddings.projection."},
      {std::regex(R"(^blocks\.(\d+)\.norm1\.)"), "encoder.layer.$1.layernorm_before."},
      {std::regex(R"(^blocks\.(\d+)\.attn\.proj\.)"), "encoder.layer.$1.attention.output.dense."},
      {std::regex(R"(^blocks\.(\d+)\.norm2\.)"), "encoder.layer.$1.layernorm_after."},
      {std::regex(R"(^blocks\.(\d+)\.mlp\.fc1\.)"), "encoder.layer.$1.intermediate.dense."},
      {std::regex(R"(^blocks\.(\d+)\.mlp\.fc2\.)"), "encoder.layer.$1.output.dense."},
      {std::regex(R"(^norm\.)"), "layernorm."},
      {std::regex(R"(^head\.)"), "classifier."},
      {std::regex(R"(^head_dist\.)"), "distillation_classifier."},
  };
  for (const auto& [pattern, replacement] : rules)
    if (std::regex_search(name, pattern)) return std::regex_replace(name, pattern, replacement, std::regex_constants::format_first_only);
  return name;
}

}  // namespace

bool isTimmVitFile(const std::string& path, const LoadOptions& options) {
  if (!hasExtension(path, ".safetensors") && !hasExtension(path, ".npz")) return false;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  const NamedTensors t = readTensorFile(path, static_cast<std::uint64_t>(options.maxFileBytes));
  return find(t, "cls_token") && find(t, "pos_embed") && find(t, "patch_embed.proj.weight");
}

std::unique_ptr<Model> loadTimmVit(const std::string& path, const LoadOptions& options) {
  NamedTensors in = readTensorFile(path, static_cast<std::uint64_t>(options.maxFileBytes));
  const Tensor* cls = find(in, "cls_token");
  const Tensor* pos = find(in, "pos_embed");
  const Tensor* proj = find(in, "patch_embed.proj.weight");
  if (!cls || !pos || !proj || cls->rank() != 3 || pos->rank() != 3 || proj->rank() != 4)
    throw ModelFileError(path, "not a timm/DINO Vision Transformer: expected cls_token [1, 1, D], pos_embed [1, T, D] and "
                               "patch_embed.proj.weight [D, C, p, p]");
  VitConfig c;
  c.hiddenSize = cls->dim(2);
  c.numChannels = proj->dim(1);
  c.patchSize = proj->dim(2);
  c.distillationToken = find(in, "dist_token") != nullptr;
  c.layerNormEps = 1e-6f;
  const std::int64_t patches = pos->dim(1) - c.numSpecialTokens();
  const auto side = static_cast<std::int64_t>(std::llround(std::sqrt(static_cast<double>(std::max<std::int64_t>(patches, 0)))));
  if (side < 1 || side * side != patches)
    throw ModelFileError(path, "pos_embed holds " + std::to_string(pos->dim(1)) + " positions, not a square grid of patches "
                               "plus the class token(s)");
  c.imageSize = side * c.patchSize;
  if (c.hiddenSize % 64 != 0)
    throw ModelFileError(path, "cannot infer the number of heads: the hidden size " + std::to_string(c.hiddenSize) +
                               " is not a multiple of 64 (the head size of every DINO/DeiT/ViT model)");
  c.numHeads = c.hiddenSize / 64;

  // Rename, splitting blocks.N.attn.qkv [3D, D] into query, key and value.
  NamedTensors out;
  out.source = in.source;
  const std::regex qkv(R"(^blocks\.(\d+)\.attn\.qkv\.(weight|bias)$)");
  std::int64_t layers = 0;
  for (auto& [name, tensor] : in.tensors) {
    std::smatch m;
    if (std::regex_match(name, m, qkv)) {
      layers = std::max<std::int64_t>(layers, std::stoll(m[1]) + 1);
      const std::string prefix = "encoder.layer." + m[1].str() + ".attention.attention.";
      if (tensor.dim(0) != 3 * c.hiddenSize)
        throw ModelFileError(path, "tensor '" + name + "' has " + std::to_string(tensor.dim(0)) + " rows, expected 3 x " +
                                       std::to_string(c.hiddenSize));
      const std::int64_t rows[] = {c.hiddenSize, c.hiddenSize, c.hiddenSize};
      std::vector<Tensor> parts = ops::split(tensor, 0, rows);
      const char* names[] = {"query.", "key.", "value."};
      for (int k = 0; k < 3; ++k) out.tensors.emplace_back(prefix + names[k] + m[2].str(), parts[static_cast<std::size_t>(k)]);
      continue;
    }
    out.tensors.emplace_back(renamed(name), tensor);
  }
  c.numLayers = layers;
  if (layers == 0) throw ModelFileError(path, "no blocks.N.attn.qkv tensors: not a timm/DINO Vision Transformer");
  WeightSet w(std::move(out), "expected the timm/DINO names (blocks.N.attn.qkv, norm1, mlp.fc1, ...)");
  c.intermediateSize = w.shapeOf("encoder.layer.0.intermediate.dense.weight")[0];

  std::vector<std::string> labels;
  if (w.has("classifier.weight")) {
    const std::int64_t n = w.shapeOf("classifier.weight")[0];
    for (std::int64_t i = 0; i < n; ++i) labels.push_back("class " + std::to_string(i));
  }
  VitPreprocess pre;
  pre.height = pre.width = c.imageSize;
  pre.mean = {0.485f, 0.456f, 0.406f};  // ImageNet, what DINO and timm models are trained with
  pre.std = {0.229f, 0.224f, 0.225f};
  pre.mean.resize(static_cast<std::size_t>(c.numChannels), 0.5f);
  pre.std.resize(static_cast<std::size_t>(c.numChannels), 0.5f);

  ModelInfo info;
  info.identity = {std::filesystem::path(path).stem().string(), kVitKind.name, c.distillationToken ? "deit (timm)" : "vit (timm/DINO)"};
  info.path = path;
  info.format = std::string("timm/DINO weights (") + std::filesystem::path(path).extension().string() + ")";
  info.architecture = {{"hidden_size", std::to_string(c.hiddenSize)}, {"num_hidden_layers", std::to_string(c.numLayers)},
                       {"num_attention_heads", std::to_string(c.numHeads)}, {"patch_size", std::to_string(c.patchSize)},
                       {"image_size", std::to_string(c.imageSize)}, {"layer_norm_eps", "1e-06"}};
  info.card = {{"inferred", "no config file: heads = hidden / 64, layer norm eps 1e-6, ImageNet mean/std, image size from "
                            "pos_embed; labels unnamed"}};
  auto model = makeVit(c, std::move(pre), std::move(info), std::move(labels), w);
  w.finish();
  return model;
}

}  // namespace attnviz
