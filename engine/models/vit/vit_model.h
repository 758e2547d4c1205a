// The `vit` kind: Vision Transformers from Hugging Face checkpoints (ViTModel / ViTForImageClassification, DeiT
// with its distillation token): patch embedding, [CLS] (+ [DIST]) and position embeddings, pre-layer-norm
// blocks (erf GELU), final layer norm, optional classifier on [CLS] (DeiT with teacher: the mean of the [CLS]
// and [DIST] heads). The PyTorch reference is models/reference/vit.py.
//
// Trace: tokens.source = ["[CLS]", ("[DIST]",) "patch 0,0", "patch 0,1", ...] (row, column of the patch grid);
// attention.self [layers, heads, T, T]; with a rollout option attention.rollout [T, T]; with a classifier
// prediction.label and prediction.probabilities; with RunOptions::hiddenStates outputs "hidden" [T, hidden] (after
// the final layer norm), "pooled" [pooler size] (ViTModel's pooler, when present) and "logits" [labels].
// Input: an image (Input::fromImage, preprocessed as preprocessor_config.json says) or a preprocessed float32/64
// [C, H, W] or [1, C, H, W] .npy tensor run as it is (Input::fromPixels); either must be the model's size unless
// RunOptions::nativeSize. trace.input is the image or .npy path. timm/DINO files (timm_vit.h) run through this too.
//
//   auto model = attnviz::loadHfVit("vit-fashion-mnist/");
//   attnviz::Trace t = model->run(attnviz::Input::fromImage("shoe.png"), {});
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/api/model.h"
#include "engine/models/vit/vit_config.h"

namespace attnviz {

class HfFiles;

class WeightSet;

// weights: HF ViTModel names without a prefix (embeddings.*, encoder.layer.N.*, layernorm.*, classifier.* or
// cls_classifier.* + distillation_classifier.* when labels are given); every tensor needed is taken and checked.
// Does not call weights.finish().
std::unique_ptr<Model> makeVit(VitConfig config, VitPreprocess preprocess, ModelInfo info, std::vector<std::string> labels,
                               WeightSet& weights);


std::unique_ptr<Model> loadHfVit(const std::string& path, const LoadOptions& options = {});
// The same from a checkpoint's files (a folder, a zip file or a zip in memory); its limits are the files' own.
std::unique_ptr<Model> loadHfVit(const HfFiles& files, const LoadOptions& options);

extern const ModelKind kVitKind;  // vit_kind.cpp: this kind's row of the kind table

}  // namespace attnviz
