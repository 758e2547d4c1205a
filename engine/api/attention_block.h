// AttentionBlockParts: one transformer layer's self-attention block as a run computed it, kept in the trace when
// RunOptions::keepAttentionBlocks asks (encoder, vit). The contribution methods (engine/analysis/contributions.h:
// value norm, ALTI, GlobEnc) decompose the block's output into one vector per input token from these parts; value
// zeroing (value_zeroing.h) reruns the rest of the layer with finishLayer. The attention itself is the layer's slice
// of attention.self. Tensors share storage with the run and the weights.
//
//   Trace t = model.run(input, {.keepAttentionBlocks = true});
//   const AttentionBlockParts& first = t.attentionBlocks.front();   // layer 0
#pragma once

#include <functional>

#include "engine/core/tensor.h"

namespace attnviz {

struct LayerNormParts {
  Tensor gamma, beta;  // [hidden]
  float eps = 0.0f;
};

struct AttentionBlockParts {
  // Post-LN (BERT): the block is LN1(x + attention(x)); pre-LN (ViT): x + attention(LN1(x)), LN1 inside the values.
  bool postLayerNorm = true;
  Tensor input;      // x [N, hidden]: the residual stream entering the layer
  Tensor values;     // [N, hidden]: the value projection, bias included (pre-LN: of LN1(x)); head h at columns h*d
  Tensor residual;   // [N, hidden]: x + attention output + b_O (post-LN: LN1's input; pre-LN: the block's output)
  Tensor outWeight;  // W_O [hidden, hidden], PyTorch's [out, in]; head h reads input columns h*d .. h*d+d-1
  Tensor outBias;    // b_O [hidden]
  LayerNormParts norm1;  // post-LN only: the LayerNorm applied to `residual`
  Tensor context;    // [N, hidden]: the heads' outputs concatenated, W_O's input; head h at columns h*d
  Tensor output;     // [N, hidden]: the layer's output (the next layer's input)
  LayerNormParts norm2;  // post-LN only: the LayerNorm after the feed-forward block
  Tensor norm2Input;     // post-LN only: its input [N, hidden], FFN(LN1's output) + LN1's output
  // The layer from W_O on, as the run computed it, for other contexts: [B * N, hidden] (B variants of `context`, one
  // after another) -> the layer's outputs [B * N, hidden], each with this layer's residual input. Holds the layer's
  // weights by reference: valid while the model lives.
  std::function<Tensor(const Tensor& contexts)> finishLayer;
};

}  // namespace attnviz
