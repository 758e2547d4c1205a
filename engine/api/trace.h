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

#include "engine/api/attention_block.h"
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
  // The pointer's whole distribution: one probability per tokens.source entry (0 for tokens that are not
  // candidates: [CLS], [SEP], the pronoun, and non-mentions when only mentions are candidates); sums to 1.
  std::vector<float> probabilities;
};

// A question-answering head's answer ("prediction.answer"): the span start <= end, at most
// kMaxAnswerTokens long, inside the context (the second segment when there is one), whose
// p_start(start) * p_end(end) is highest, as transformers' question-answering pipeline picks it.
struct AnswerSpan {
  static constexpr std::int64_t kMaxAnswerTokens = 15;
  std::int64_t start = 0, end = 0;  // indices into tokens.source, inclusive
  std::string text;                 // the tokens joined (wordpieces merged)
  float score = 0.0f;               // p_start(start) * p_end(end)
};

struct Prediction {
  std::optional<std::string> label;                         // classifier models (multi-label: the labels at p >= 0.5)
  // label -> probability, in label order: softmax over the labels, or one sigmoid per label when multiLabel.
  std::vector<std::pair<std::string, float>> probabilities;
  bool multiLabel = false;                                   // problem_type "multi_label_classification"
  // Regression heads (problem_type "regression", or num_labels 1): label -> raw score; no probabilities.
  std::vector<std::pair<std::string, float>> scores;
  std::optional<std::string> translation;                   // seq2seq models
  // seq2seq with a forced target (RunOptions::target): `translation` is that target, which the model was made to
  // produce, not its own output ("prediction.forced": true).
  bool forced = false;
  std::vector<CoreferenceLink> coreference;                 // encoders with a coreference head, in text order
  // Token classification: one label per tokens.source entry and its softmax probability.
  std::vector<std::string> tokenLabels;
  std::vector<float> tokenLabelProbabilities;
  // Question answering: softmax over the tokens of the start and end logits, and the best span.
  std::vector<float> startProbabilities, endProbabilities;
  std::optional<AnswerSpan> answer;
  bool empty() const {
    return !label && probabilities.empty() && scores.empty() && !translation && coreference.empty() &&
           tokenLabels.empty() && !answer;
  }
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

// Head knockout (engine/analysis/head_knockout.h, --head-knockout): how the prediction moves with each head's output
// zeroed ("one") or every other head of its layer zeroed ("all-but-one").
struct HeadKnockout {
  std::string mode;        // "one" | "all-but-one"
  std::string scored;      // what was scored, e.g. "p(POSITIVE)", "p(animal | it)"
  float reference = 0.0f;  // its value in the unmodified run
  Tensor drop;             // [layers, heads]: reference − value with the knockout
};

// Attention-edge knockout (engine/analysis/edge_knockout.h, --edge-knockout): the prediction's drop when the attention
// from `from` to `to` is blocked in the `window` layers centred on each layer.
struct EdgeKnockout {
  std::vector<int> from, to;  // token positions
  int window = 1;
  std::string scored;         // as HeadKnockout's
  float reference = 0.0f;
  std::vector<float> drop;    // [layers]: reference − value with the edges blocked around that layer
};

// Faithfulness of token rankings (engine/analysis/faithfulness.h, --faithfulness): how the prediction falls when the
// tokens a method ranks highest are removed (ERASER's comprehensiveness and sufficiency, DeYoung et al. 2020) and how
// the ranking agrees with leave-one-out occlusion (Kendall's tau-b). "Units" are the tokens that can be removed.
struct RankingFaithfulness {
  std::string method;          // "attention", "rollout", "value-norm", "alti", "globenc", "value-zeroing"
  std::vector<float> scores;   // [units]: the method's score of each unit, from the row Faithfulness::row
  std::vector<double> fractions, comprehensiveness, sufficiency;  // per kept fraction k of the units removed
  double aopcComprehensiveness = 0.0, aopcSufficiency = 0.0;      // means over the kept fractions; NaN: none kept
  double tau = 0.0;  // Kendall's tau-b of scores against Faithfulness::leaveOneOut; NaN when undefined
};
struct Faithfulness {
  std::string scored;            // what is scored, as head knockout: "p(POSITIVE)", "p(animal | it)"
  float reference = 0.0f;        // its value with nothing removed
  std::string removal;           // "mask" (with the token named in maskToken) or "delete"
  std::string maskToken;         // "[MASK]", "[UNK]", "zero pixels"; empty for delete
  int row = 0;                   // the token whose row of each map ranks the units ([CLS], or the pronoun)
  std::vector<int> units;        // the removable tokens' positions (faithfulness.h): 1 .. N-2 for a text, the patches
  std::vector<float> leaveOneOut;  // [units]: reference − score with that unit alone removed
  std::vector<RankingFaithfulness> methods;
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
  //   "cross"    [target, source]                       seq2seq (RNN)
  //   "cross"    [layers, heads, target, source]        seq2seq (transformer: MarianMT, BART)
  //   "encoder_self" [layers, heads, source, source], "decoder_self" [layers, heads, target, target]  (transformer)
  //   "self"     [layers, heads, tokens, tokens]        encoder, vit
  //   "rollout"  [tokens, tokens]                       encoder, vit with --rollout
  //   "value_norm" [layers, heads, tokens, tokens], "value_norm_sum", "alti", "globenc" and "value_zeroing"
  //   [layers, tokens, tokens], "alti_rollout", "globenc_rollout", "value_zeroing_rollout" [tokens, tokens]
  //                                                     encoder, vit with --method (contributions.h, value_zeroing.h)
  //   "cross_norm" [target, source]                    seq2seq (RNN) with --method value-norm: a_tj ‖h_j‖ of the best
  //                                                     hypothesis (weighted_norms.h)
  //   "sentence" [sentences]                            han
  //   "sentence_norm" [sentences]                       han with --method value-norm: a_i ‖h_i‖
  std::map<std::string, Tensor> attention;
  // Ragged attention: one tensor per group, e.g. "word": one [words_i] per sentence (han); "word_norm" the same with
  // --method value-norm: a_t ‖h_t‖ (weighted_norms.h).
  std::map<std::string, std::vector<Tensor>> raggedAttention;
  // seq2seq with a beam: the n-best list, best first; hypotheses[0] is what tokens.target and
  // attention.cross show. Empty for greedy or forced decoding and for other kinds.
  std::vector<Hypothesis> hypotheses;
  std::optional<Occlusion> occlusion;  // han with RunOptions::occlusion
  std::optional<HeadKnockout> headKnockout;  // encoder, vit with RunOptions::headKnockout
  std::optional<EdgeKnockout> edgeKnockout;  // encoder, vit with RunOptions::edgeKnockout
  std::optional<Faithfulness> faithfulness;  // encoder, vit with RunOptions::faithfulness
  // RunOptions::hiddenStates (encoder, vit), each written at the top level of the trace JSON:
  //   "hidden"        [tokens, hidden]   the last hidden state (vit: after the final layer norm)
  //   "pooled"        [hidden]           the pooler's output, for models that have one (BERT's tanh pooler)
  //   "logits"        [labels] or [tokens, labels]   a classification head's raw outputs
  //   "start_logits", "end_logits"  [tokens]         a question-answering head's raw outputs
  std::map<std::string, Tensor> outputs;
  // RunOptions::keepAttentionBlocks or contributions (encoder, vit): one per layer, for the contribution methods.
  // Not written to JSON.
  std::vector<AttentionBlockParts> attentionBlocks;
  std::vector<std::string> warnings;  // shown to the user, e.g. "input truncated to 512 tokens"
  double inferenceMs = 0.0;
  int threads = 0;                // threads the run was allowed (Model::run's choice), "threads" in the JSON
  std::int64_t productFlops = 0;  // FLOPs of its matrix products, "product_flops" in the JSON
};

// One trace as a single-line JSON object (the `attnviz run` format, documented in README.md).
std::string traceToJson(const Trace& trace);

}  // namespace attnviz
