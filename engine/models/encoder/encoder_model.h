// The `encoder` kind: a BERT-style transformer encoder (post-layer-norm, erf GELU, absolute positions,
// token type 0) with an optional pooler + classifier. Weights use Hugging Face BertModel names
// (embeddings.word_embeddings.weight, encoder.layer.N.attention.self.query.weight, ...); the PyTorch
// reference is models/reference/encoder.py.
//
// Trace: tokens.source = [CLS] words [SEP]; attention.self [layers, heads, N, N]; with a rollout option
// attention.rollout [N, N]; with a classifier prediction.label and prediction.probabilities.
#pragma once

#include <memory>

#include "engine/model/model.h"

namespace attnviz {

class Package;

std::unique_ptr<Model> loadEncoder(const Package& package);

}  // namespace attnviz
