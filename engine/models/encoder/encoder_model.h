// The `encoder` kind: a BERT-style transformer encoder (post-layer-norm, erf GELU, absolute positions,
// token type 0) with an optional pooler + classifier. Weights use Hugging Face BertModel names
// (embeddings.word_embeddings.weight, encoder.layer.N.attention.self.query.weight, ...); the PyTorch
// reference is models/reference/encoder.py.
//
// Inputs: text ([CLS] pieces [SEP]), a text pair ([CLS] a [SEP] b [SEP], segments 0 then 1) or token ids as given
// (with optional segment ids). Trace: tokens.source = the tokens; attention.self [layers, heads, N, N]; with a
// rollout option attention.rollout [N, N]; the task head's prediction (a sequence classifier's label and
// probabilities or regression scores, a label per token, a question-answering span); with a coreference head
// prediction.coreference; with RunOptions::hiddenStates the outputs "hidden", "pooled" and the raw logits.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/model.h"
#include "engine/models/encoder/basic_tokenizer.h"
#include "engine/models/encoder/encoder_config.h"

namespace attnviz {

class Package;
class WeightSet;

std::unique_ptr<Model> loadEncoder(const Package& package);

extern const ModelKind kEncoderKind;  // encoder_kind.cpp: this kind's row of the kind table

// Text -> [CLS] tokens [SEP] ids, at most maxTokens of them (BasicTokenizer or WordPieceTokenizer::encode).
using EncoderTokenize = std::function<TokenizedText(std::string_view text, std::int64_t maxTokens, const std::string& origin)>;
// A token id (checked against the vocabulary size) -> its token, from the tokenizer's vocabulary.
using EncoderTokenName = std::function<std::string(std::int64_t id)>;

// What an encoder is made of, wherever it came from (an attnviz package or a Hugging Face checkpoint).
struct EncoderParts {
  EncoderConfig config;
  ModelInfo info;  // identity, path, format, card...; parameter count and labels are filled in
  EncoderTokenize tokenize;           // null: the model has no tokenizer and takes token ids only
  EncoderTokenName tokenName;           // names the tokens of token-id inputs; null (no tokenizer): "#id"
  std::string noTokenizerReason;       // with a null tokenize: why, for the message that refuses a text

  // The task head (transformers' BertFor... classes): "classifier" on the pooled output or on every token, or
  // "qa_outputs" [2, hidden] giving start and end logits per token.
  enum class TaskHead { None, SequenceClassification, TokenClassification, QuestionAnswering };
  TaskHead head = TaskHead::None;
  // The pooler on the [CLS] row, "pooler.dense": BERT's tanh pooler or DistilBERT's pre_classifier with ReLU.
  enum class Pooler { None, BertTanh, DistilBertReLU };
  Pooler pooler = Pooler::None;
  // How a sequence classifier's outputs are read (config.json problem_type; num_labels 1 is a regression).
  enum class Scoring { Softmax, Sigmoid, Regression };
  Scoring scoring = Scoring::Softmax;
  std::vector<std::string> labels;  // one per classifier output; empty: no classifier
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

// weights: HF BertModel names without a prefix (embeddings.*, encoder.layer.N.*, pooler.dense.*, classifier.*,
// qa_outputs.*); every tensor needed is taken and checked. Does not call weights.finish().
std::unique_ptr<Model> makeEncoder(EncoderParts parts, WeightSet& weights);

}  // namespace attnviz
