// Vision Transformers saved with the original DINO / timm names in one .safetensors or .npz file (cls_token,
// pos_embed, patch_embed.proj, blocks.N.norm1, blocks.N.attn.qkv, blocks.N.attn.proj, blocks.N.norm2,
// blocks.N.mlp.fc1/fc2, norm, optional dist_token and head): renamed to Hugging Face ViT names (qkv split into
// query, key and value) and run as the `vit` kind. There is no config file, so the architecture is read off the
// shapes: hidden size from cls_token, patch size and channels from the patch convolution, the image size from
// the number of position embeddings, heads = hidden / 64 (every DINO/DeiT/ViT size), layer norm eps 1e-6
// (timm's), mean/std of ImageNet for the input; the model card says that these were inferred.
//
//   if (attnviz::isTimmVitFile("dino_vits16.safetensors")) auto m = attnviz::loadTimmVit("dino_vits16.safetensors");
#pragma once

#include <memory>
#include <string>

#include "engine/api/model.h"

namespace attnviz {

// A .safetensors or .npz file whose tensors include cls_token, pos_embed and patch_embed.proj.weight.
bool isTimmVitFile(const std::string& path, const LoadOptions& options = {});

std::unique_ptr<Model> loadTimmVit(const std::string& path, const LoadOptions& options = {});

}  // namespace attnviz
