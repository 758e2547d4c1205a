// The `encoder` kind: a BERT-style transformer encoder (post-layer-norm, erf GELU, absolute positions,
// token type 0) with an optional pooler + classifier. Weights use Hugging Face BertModel names
// (embeddings.word_embeddings.weight, encoder.layer.N.attention.self.query.weight, ...); the PyTorch
// reference is models/reference/encoder.py.
//
// Trace: tokens.source = [CLS] words [SEP]; attention.self [layers, heads, N, N]; with a rollout option
// attention.rollout [N, N]; with a classifier prediction.label and prediction.probabilities; with a
// coreference head prediction.coreference.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/model.h"
#include "engine/models/encoder/basic_tokenizer.h"
#include "engine/models/encoder/encoder_config.h"

namespace attnviz {

class Package;
class WeightSet;

std::unique_ptr<Model> loadEncoder(const Package& package);

// Text -> [CLS] tokens [SEP] ids, at most maxTokens of them (BasicTokenizer or WordPieceTokenizer::encode).
using EncoderTokenize = std::function<TokenizedText(std::string_view text, std::int64_t maxTokens, const std::string& origin)>;

// What an encoder is made of, wherever it came from (an attnviz package or a Hugging Face checkpoint).
struct EncoderParts {
  EncoderConfig config;
  ModelInfo info;  // identity, path, format, card...; parameter count and labels are filled in
  EncoderTokenize tokenize;
  std::vector<std::string> labels;  // empty: no classifier
  // The classifier head: BertForSequenceClassification's pooler (tanh on the [CLS] row, "pooler.dense") or
  // DistilBertForSequenceClassification's ReLU layer ("pre_classifier"); then "classifier".
  enum class Head { BertPooler, DistilBertPreClassifier } head = Head::BertPooler;
  bool tokenTypeEmbeddings = true;  // DistilBERT has none
  // A coreference pointer head (models/coref/model.py): for each pronoun token i, q = Wq h_i + bq and
  // k_j = Wk h_j + bk on the last layer's states, p = softmax_j(q.k_j / sqrt(size)) over every token but
  // [CLS], [SEP] and i; the antecedent is argmax p. Weights "coreference.query.*", "coreference.key.*".
  struct CoreferencePointer {
    std::int64_t size = 0;
    std::vector<std::string> pronouns;  // lowercase words; a pronoun is a one-piece word found here
    // "candidates": "mentions": only the tokens of mention words (mention_candidates.h) are candidates, and a
    // pronoun without any gets no link; otherwise every token but [CLS], [SEP] and the pronoun.
    bool mentionsOnly = false;
    std::vector<std::string> determiners;  // lowercase, for mentionsOnly
    std::string unk = "[UNK]";             // the tokenizer's unknown-word token
  };
  std::optional<CoreferencePointer> coreference;
};

// weights: HF BertModel names without a prefix (embeddings.*, encoder.layer.N.*, pooler.dense.*, classifier.*);
// every tensor needed is taken and checked. Does not call weights.finish().
std::unique_ptr<Model> makeEncoder(EncoderParts parts, WeightSet& weights);

}  // namespace attnviz
