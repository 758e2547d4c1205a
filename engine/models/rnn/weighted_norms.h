// The value norm analogue for an RNN's attention (Kobayashi et al. 2020, "Attention is Not Only a Weight", applied to
// a context c = Σ_j a_j h_j over recurrent states h_j): a_j ‖h_j‖₂, raw norms, rows not normalised. The seq2seq RNN
// packages give it for their cross-attention (attention.cross_norm [T, S]), han for its word and sentence attention
// (raggedAttention.word_norm, attention.sentence_norm), with --method value-norm.
//
//   Tensor norms = weightedNorms(trace.attention.at("cross"), encoded.annotations);  // [T, S]
#pragma once

#include "engine/core/tensor.h"

namespace attnviz {

// attention [T, S] (or [S]) times ‖states[j]‖₂ column by column; states [S, K]. InternalError on other shapes.
Tensor weightedNorms(const Tensor& attention, const Tensor& states);

}  // namespace attnviz
