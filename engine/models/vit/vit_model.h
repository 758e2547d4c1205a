// The `vit` kind: Vision Transformers from Hugging Face checkpoints (ViTModel / ViTForImageClassification, DeiT
// with its distillation token): patch embedding, [CLS] (+ [DIST]) and position embeddings, pre-layer-norm
// blocks (erf GELU), final layer norm, optional classifier on [CLS] (DeiT with teacher: the mean of the [CLS]
// and [DIST] heads). The PyTorch reference is models/reference/vit.py.
//
// Trace: tokens.source = ["[CLS]", ("[DIST]",) "patch 0,0", "patch 0,1", ...] (row, column of the patch grid);
// attention.self [layers, heads, T, T]; with a rollout option attention.rollout [T, T]; with a classifier
// prediction.label and prediction.probabilities.
//
//   auto model = attnviz::loadHfVit("vit-fashion-mnist/");
//   attnviz::Trace t = model->run(attnviz::Input::fromImage("shoe.png"), {});
#pragma once

#include <memory>
#include <string>

#include "engine/model/model.h"

namespace attnviz {

bool isHfVitType(const std::string& modelType);  // vit, deit

std::unique_ptr<Model> loadHfVit(const std::string& path);

}  // namespace attnviz
