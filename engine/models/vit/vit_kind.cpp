// The vit kind's row of the kind table (engine/api/model_kind.h): Vision Transformers (ViT, DeiT, timm/DINO files),
// which read an image or preprocessed pixels. There are no attnviz packages of this kind.
#include "engine/api/model_kind.h"
#include "engine/models/vit/vit_model.h"

namespace attnviz {

const ModelKind kVitKind = {
    .name = "vit",
    .description = "Vision Transformer",
    .can = {.image = true, .pixels = true, .selfAttention = true, .contributions = true, .bf16 = true, .hiddenStates = true, .nativeSize = true},
    .hfModelTypes = {"vit", "deit"},
    .hfRelatives = {"dinov2"},
    .loadHf = [](const HfFiles& files, const LoadOptions& options) { return loadHfVit(files, options); },
};

}  // namespace attnviz
