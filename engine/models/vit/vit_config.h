// Hyper-parameters of a Vision Transformer (Hugging Face ViTConfig / DeiT names) and of its input
// preprocessing (preprocessor_config.json, ViTImageProcessor).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace attnviz {

class Params;

struct VitConfig {
  std::int64_t imageSize = 0;    // the square side the position embeddings were trained for
  std::int64_t patchSize = 0;
  std::int64_t numChannels = 3;
  std::int64_t hiddenSize = 0;
  std::int64_t numLayers = 0;
  std::int64_t numHeads = 0;
  std::int64_t intermediateSize = 0;
  float layerNormEps = 1e-12f;
  bool distillationToken = false;  // DeiT: [CLS] [DIST] patches...
  std::int64_t gridSide() const { return imageSize / patchSize; }
  std::int64_t numPatches() const { return gridSide() * gridSide(); }
  std::int64_t numSpecialTokens() const { return distillationToken ? 2 : 1; }
};

// PIL's resampling filters, numbered as PIL.Image.Resampling and preprocessor_config.json's "resample" number them.
enum class ResampleFilter { Nearest = 0, Lanczos = 1, Bilinear = 2, Bicubic = 3, Box = 4, Hamming = 5 };
const char* resampleName(ResampleFilter filter);  // "NEAREST", "LANCZOS", ... as PIL spells them

// What ViTImageProcessor / DeiTImageProcessor do, in their order: resize (PIL, on 8-bit samples), center crop,
// rescale, normalise.
struct VitPreprocess {
  bool resize = true;
  std::int64_t height = 0, width = 0;  // the size images are resized to, unless shortestEdge is set
  std::int64_t shortestEdge = 0;       // > 0: the shorter side to this, the longer in proportion (truncated)
  ResampleFilter filter = ResampleFilter::Bilinear;
  bool centerCrop = false;
  std::int64_t cropHeight = 0, cropWidth = 0;
  bool rescale = true;
  double rescaleFactor = 1.0 / 255.0;
  bool normalize = true;
  std::vector<float> mean, std;  // one per channel
};

// config.json of model_type vit or deit -> VitConfig; anything attnviz does not implement is refused naming the
// key and value.
VitConfig hfVitConfig(const Params& config, const std::string& modelType, const std::string& where);

// preprocessor_config.json (absent: the ViTImageProcessor defaults at the model's image size, mean/std 0.5).
// "resample" is read as transformers reads it: PIL's numbers 0-5; a boolean as the integer Python takes it for
// (false = 0 NEAREST, true = 1 LANCZOS; files of older transformers hold `"resample": false`); null = BILINEAR, the
// default of transformers' resize(); absent = the processor class's default (DeiTImageProcessor BICUBIC, else
// BILINEAR). Every refusal names `where` (preprocessor_config.json), the key, the value and the fix.
VitPreprocess hfVitPreprocess(const Params* preprocessor, const VitConfig& config, const std::string& where);

}  // namespace attnviz
