// Trace: everything one run of a model on one input produced, in the shape the panels and the
// `attnviz run` JSON Lines output use. Token lists are exactly the rows/columns of the matrices,
// special tokens included.
//
//   Trace t = model.run(Input::text("the cat sat"), {});
//   const Tensor& self = t.attention.at("self");     // [layers, heads, tokens, tokens]
//   std::string line = traceToJson(t);               // one JSON object, no newline
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/tensor.h"

namespace attnviz {

struct ModelIdentity {
  std::string name;
  std::string kind;     // seq2seq | han | encoder | vit
  std::string variant;  // e.g. "bahdanau", "luong-dot"; may be empty
};

// A pronoun and the antecedent an encoder's coreference pointer head chose for it ("prediction.coreference").
struct CoreferenceLink {
  std::int64_t pronoun = 0;     // index into tokens.source
  std::int64_t antecedent = 0;  // index into tokens.source
  std::string pronounText;      // the pronoun as written in the input ("It")
  std::string antecedentText;   // the whole word of the antecedent token as written ("animal" for "ani", "##mal")
  float score = 0.0f;           // the pointer's probability of that antecedent
};

struct Prediction {
  std::optional<std::string> label;                         // classifier models
  std::vector<std::pair<std::string, float>> probabilities;  // label -> probability, in label order
  std::optional<std::string> translation;                   // seq2seq models
  std::vector<CoreferenceLink> coreference;                 // encoders with a coreference head, in text order
  bool empty() const { return !label && probabilities.empty() && !translation && coreference.empty(); }
};

// One hypothesis of a seq2seq beam search: its target tokens (ending with "<eos>"), its score (sum of
// token log-probabilities, length-normalised as the model documents) and its cross-attention [target, source].
struct Hypothesis {
  std::vector<std::string> tokens;
  float score = 0.0f;
  Tensor cross;
};

// Leave-one-out importance (han with --occlusion): for each unit, p(c | document) - p(c | document without the
// unit), c being the predicted label. Positive: the unit supported the prediction. NaN where removing the unit
// leaves nothing to classify (the only word of a one-sentence document).
struct Occlusion {
  std::string label;                      // c, the label whose probability is compared
  std::vector<std::vector<float>> word;   // [sentences][words]
  std::vector<float> sentence;            // [sentences]
  // Kendall tau-b between attention and occlusion (NaN when undefined, e.g. fewer than 2 units):
  // word level over all words of the document, attention = sentence weight x word weight;
  // sentence level over the sentences, attention = sentence weight.
  double kendallTauWord = 0.0;
  double kendallTauSentence = 0.0;
};

struct Trace {
  ModelIdentity model;
  std::string input;
  std::vector<std::string> sourceTokens;  // "tokens.source"
  std::vector<std::string> targetTokens;  // "tokens.target", seq2seq only
  // "tokens.sentences", han only: the words of each sentence as the model reads them (sourceTokens holds
  // the same words, all sentences one after another).
  std::vector<std::vector<std::string>> sentences;
  Prediction prediction;
  // Dense attention maps by trace name:
  //   "cross"    [target, source]                       seq2seq
  //   "self"     [layers, heads, tokens, tokens]        encoder, vit
  //   "rollout"  [tokens, tokens]                       encoder, vit with --rollout
  //   "sentence" [sentences]                            han
  std::map<std::string, Tensor> attention;
  // Ragged attention: one tensor per group, e.g. "word": one [words_i] per sentence (han).
  std::map<std::string, std::vector<Tensor>> raggedAttention;
  // seq2seq with a beam: the n-best list, best first; hypotheses[0] is what tokens.target and
  // attention.cross show. Empty for greedy or forced decoding and for other kinds.
  std::vector<Hypothesis> hypotheses;
  std::optional<Occlusion> occlusion;  // han with RunOptions::occlusion
  std::vector<std::string> warnings;  // shown to the user, e.g. "input truncated to 512 tokens"
  double inferenceMs = 0.0;
};

// One trace as a single-line JSON object (the `attnviz run` format, documented in README.md).
std::string traceToJson(const Trace& trace);

}  // namespace attnviz
