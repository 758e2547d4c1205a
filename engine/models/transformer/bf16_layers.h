// Transformer layers again with bfloat16 weights for RunOptions::bf16, made at the first such run (the weights'
// memory grows by half only for users who ask). Shared by the encoder and vit kinds; Layer needs
// `Layer withPrecision(ops::Precision) const`.
//
//   Bf16Layers<EncoderLayer> bf16_;                                       // a member
//   const auto& layers = options.bf16 ? bf16_.of(layers_) : layers_;     // in run()
#pragma once

#include <mutex>
#include <vector>

#include "engine/ops/cpu_capabilities.h"
#include "engine/ops/ops.h"

namespace attnviz {

template <class Layer>
class Bf16Layers {
 public:
  // f32: the model's layers (the same vector at every call). Thread-safe. Where bfloat16 products cannot run
  // (ops::cpuCapabilities().bf16 false) throws BackendError("--bf16", the reason naming the missing CPU feature);
  // a failure while converting leaves nothing behind (the next call tries again).
  const std::vector<Layer>& of(const std::vector<Layer>& f32) const {
    ops::requireBf16("--bf16");
    std::call_once(once_, [&] {
      try {
        for (const Layer& layer : f32) layers_.push_back(layer.withPrecision(ops::Precision::BF16));
      } catch (...) {
        layers_.clear();
        throw;
      }
    });
    return layers_;
  }

 private:
  mutable std::once_flag once_;
  mutable std::vector<Layer> layers_;
};

}  // namespace attnviz
