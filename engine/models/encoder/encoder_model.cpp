#include "engine/models/encoder/encoder_model.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <optional>
#include <vector>

#include "engine/core/error.h"
#include "engine/io/package.h"
#include "engine/io/weight_set.h"
#include "engine/models/encoder/mention_candidates.h"
#include "engine/models/transformer/bf16_layers.h"
#include "engine/models/transformer/self_attention.h"
#include "engine/ops/ops.h"

namespace attnviz {

namespace {

struct LayerNormWeights {
  Tensor gamma, beta;  // [hidden]
};

struct EncoderLayer {
  ops::Linear qkv;                // [hidden -> 3 * hidden]: query, key and value stacked (one call)
  ops::Linear attentionOut;       // [hidden -> hidden], + residual
  LayerNormWeights attentionNorm;
  ops::Linear intermediate;       // [hidden -> intermediate], GELU fused
  ops::Linear output;             // [intermediate -> hidden], + residual
  LayerNormWeights outputNorm;

  EncoderLayer withPrecision(ops::Precision p) const {
    return {qkv.withPrecision(p), attentionOut.withPrecision(p), attentionNorm, intermediate.withPrecision(p),
            output.withPrecision(p), outputNorm};
  }
};

// The parts above the last layer (EncoderParts::Pooler, ::TaskHead), each optional.
struct TaskHeads {
  std::optional<ops::Linear> pooler;      // [hidden -> hidden] on the [CLS] row, then tanh (BERT) or ReLU (DistilBERT)
  EncoderParts::Pooler poolerKind = EncoderParts::Pooler::None;
  std::optional<ops::Linear> classifier;  // [hidden -> labels], on the pooled row or on every token
  std::optional<ops::Linear> qa;          // [hidden -> 2]: start and end logits per token
  EncoderParts::TaskHead task = EncoderParts::TaskHead::None;
  EncoderParts::Scoring scoring = EncoderParts::Scoring::Softmax;
};

// The tokens of one input, with the segment (token type) of each.
struct EncoderTokens {
  TokenizedText text;
  std::vector<std::int64_t> types;  // [N]
  std::string joined;               // the input text the spans index into (a pair: "a\nb")
};

ops::Linear takeLinear(WeightSet& w, const std::string& prefix, std::int64_t in, std::int64_t out,
                       ops::LinearOptions options = {}) {
  return ops::Linear(w.take(prefix + ".weight", {out, in}), w.take(prefix + ".bias", {out}), options);
}

LayerNormWeights takeNorm(WeightSet& w, const std::string& prefix, std::int64_t hidden) {
  return {w.take(prefix + ".weight", {hidden}), w.take(prefix + ".bias", {hidden})};
}

struct PointerHead {
  ops::Linear query, key;  // [hidden -> size]
  EncoderParts::CoreferencePointer config;
};

class EncoderModel final : public Model {
 public:
  EncoderModel(EncoderParts parts, WeightSet& w);
  const ModelInfo& info() const override { return info_; }

 protected:
  Trace runImpl(const Input& input, const RunOptions& options) const override;

 private:
  // The input's tokens and segments; InputError for an image, an unknown id or (without a tokenizer) a text.
  EncoderTokens tokensOf(const Input& input, std::int64_t maxTokens) const;
  EncoderTokens pairTokens(const Input& input, std::int64_t maxTokens) const;
  EncoderTokens idTokens(const Input& input, std::int64_t maxTokens) const;
  // RunOptions::removed: the tokens at those positions masked (maskId_) or left out.
  void removeTokens(EncoderTokens& tokens, const TokenRemoval& removal) const;
  // x: the last layer's states [N, hidden]; fills the prediction and, with hiddenStates, trace.outputs.
  void runHeads(const Tensor& x, const EncoderTokens& tokens, bool hiddenStates, Trace& trace) const;
  // x: [N, hidden] -> [N, hidden]; probs: this layer's attention [heads, N, N], written in place. With `keep`, the
  // block's parts are written there for the contribution methods.
  // options: the run's interventions (applyInterventions: blocked edges, knocked-out heads) for layer `index`.
  Tensor layerForward(const EncoderLayer& layer, std::int64_t index, const Tensor& x, Tensor probs, AttentionBlockParts* keep,
                      const RunOptions& options) const;
  // x: the last layer's states [N, hidden]; one link per pronoun token, in text order.
  std::vector<CoreferenceLink> resolvePronouns(const Tensor& x, const TokenizedText& tokens, const std::string& text) const;

  EncoderConfig config_;
  ModelInfo info_;
  EncoderTokenize tokenize_;
  EncoderTokenName tokenName_;
  std::string noTokenizerReason_;
  std::optional<std::int64_t> maskId_;  // [MASK], else [UNK] (<mask>, <unk>), for masking; none without a vocabulary
  std::vector<std::string> labels_;
  Tensor wordEmbeddings_, positionEmbeddings_, typeEmbeddings_;  // [vocab|positions|types, hidden]
  LayerNormWeights embeddingNorm_;
  std::vector<EncoderLayer> layers_;
  TaskHeads heads_;
  std::optional<PointerHead> pointer_;
  Bf16Layers<EncoderLayer> bf16Layers_;  // RunOptions::bf16
};

EncoderModel::EncoderModel(EncoderParts parts, WeightSet& w)
    : config_(parts.config),
      info_(std::move(parts.info)),
      tokenize_(std::move(parts.tokenize)),
      tokenName_(std::move(parts.tokenName)),
      noTokenizerReason_(std::move(parts.noTokenizerReason)),
      labels_(std::move(parts.labels)) {
  if (tokenName_) {
    std::optional<std::int64_t> unk;
    for (std::int64_t id = 0; id < config_.vocabSize && !maskId_; ++id) {
      const std::string name = tokenName_(id);
      if (name == "[MASK]" || name == "<mask>") maskId_ = id;
      if (!unk && (name == "[UNK]" || name == "<unk>")) unk = id;
    }
    if (!maskId_) maskId_ = unk;
  }
  const auto hidden = config_.hiddenSize;
  wordEmbeddings_ = w.take("embeddings.word_embeddings.weight", {config_.vocabSize, hidden});
  positionEmbeddings_ = w.take("embeddings.position_embeddings.weight", {config_.maxPositions, hidden});
  typeEmbeddings_ = parts.tokenTypeEmbeddings
                        ? w.take("embeddings.token_type_embeddings.weight", {config_.typeVocabSize, hidden})
                        : Tensor({1, hidden});  // no token types: adds zeros
  embeddingNorm_ = takeNorm(w, "embeddings.LayerNorm", hidden);
  for (std::int64_t l = 0; l < config_.numLayers; ++l) {
    const std::string p = "encoder.layer." + std::to_string(l);
    EncoderLayer layer;
    layer.qkv = takeStackedQkv(w, p + ".attention.self", hidden);
    layer.attentionOut = takeLinear(w, p + ".attention.output.dense", hidden, hidden);
    layer.attentionNorm = takeNorm(w, p + ".attention.output.LayerNorm", hidden);
    layer.intermediate = takeLinear(w, p + ".intermediate.dense", hidden, config_.intermediateSize, {ops::Activation::Gelu});
    layer.output = takeLinear(w, p + ".output.dense", config_.intermediateSize, hidden);
    layer.outputNorm = takeNorm(w, p + ".output.LayerNorm", hidden);
    layers_.push_back(std::move(layer));
  }
  using TaskHead = EncoderParts::TaskHead;
  heads_.task = parts.head;
  heads_.scoring = parts.scoring;
  heads_.poolerKind = parts.pooler;
  if (parts.pooler != EncoderParts::Pooler::None) heads_.pooler = takeLinear(w, "pooler.dense", hidden, hidden);
  if (parts.head == TaskHead::SequenceClassification && !heads_.pooler)
    throw InternalError(info_.path, "a sequence classifier needs a pooler");
  if (parts.head == TaskHead::SequenceClassification || parts.head == TaskHead::TokenClassification) {
    if (labels_.empty()) throw InternalError(info_.path, "a classifier without labels");
    heads_.classifier = takeLinear(w, "classifier", hidden, static_cast<std::int64_t>(labels_.size()));
  }
  if (parts.head == TaskHead::QuestionAnswering) heads_.qa = takeLinear(w, "qa_outputs", hidden, 2);
  if (parts.coreference) {
    const auto size = parts.coreference->size;
    pointer_ = PointerHead{takeLinear(w, "coreference.query", hidden, size), takeLinear(w, "coreference.key", hidden, size),
                           *parts.coreference};
  }
  info_.parameterCount = w.parameterCount();
  info_.labels = labels_;
  info_.tokenIdsOnly = !tokenize_;
}

Tensor EncoderModel::layerForward(const EncoderLayer& layer, std::int64_t index, const Tensor& x, Tensor probs,
                                  AttentionBlockParts* keep, const RunOptions& options) const {
  const Tensor projected = layer.qkv(x);                                // [N, 3 * hidden]
  Tensor context = selfAttention(projected, config_.numHeads, probs);  // [N, hidden]
  applyInterventions(projected, config_.numHeads, config_.numLayers, index, options, probs, context);
  const Tensor residual = layer.attentionOut(context, x);                    // LN1's input
  const LayerNormWeights& norm1 = layer.attentionNorm;
  const float eps = config_.layerNormEps;
  const Tensor a = ops::layerNorm(residual, norm1.gamma, norm1.beta, eps);
  const Tensor h = layer.intermediate(a);  // [N, intermediate], GELU applied
  const Tensor preNorm2 = layer.output(h, a);
  Tensor out = ops::layerNorm(preNorm2, layer.outputNorm.gamma, layer.outputNorm.beta, eps);
  if (keep) {
    // The rest of the layer for B other contexts [B * N, hidden], each with this layer's residual input x.
    auto finish = [&layer, x, eps](const Tensor& contexts) {
      const Tensor r = layer.attentionOut(contexts, repeatRows(x, contexts.dim(0) / x.dim(0)));
      const Tensor a2 = ops::layerNorm(r, layer.attentionNorm.gamma, layer.attentionNorm.beta, eps);
      return ops::layerNorm(layer.output(layer.intermediate(a2), a2), layer.outputNorm.gamma, layer.outputNorm.beta, eps);
    };
    *keep = {.postLayerNorm = true, .input = x, .values = stackedValues(projected), .residual = residual,
             .outWeight = layer.attentionOut.weight(), .outBias = *layer.attentionOut.bias(),
             .norm1 = {norm1.gamma, norm1.beta, eps}, .context = context, .output = out,
             .norm2 = {layer.outputNorm.gamma, layer.outputNorm.beta, eps}, .norm2Input = preNorm2,
             .finishLayer = finish};
  }
  return out;
}

std::vector<CoreferenceLink> EncoderModel::resolvePronouns(const Tensor& x, const TokenizedText& tokens,
                                                          const std::string& text) const {
  const auto n = static_cast<std::int64_t>(tokens.tokens.size());
  auto wordPieces = [&](std::int64_t word) {
    return std::count(tokens.words.begin(), tokens.words.end(), word);
  };
  auto written = [&](std::size_t begin, std::size_t end) { return text.substr(begin, end - begin); };
  const EncoderParts::CoreferencePointer& c = pointer_->config;
  // Candidate antecedents: [CLS] and [SEP] never; with mentionsOnly, only the tokens of mention words.
  std::vector<bool> candidate(static_cast<std::size_t>(n), true);
  if (c.mentionsOnly) candidate = mentionTokens(tokens, text, c.pronouns, c.determiners, c.unk);
  candidate.front() = candidate.back() = false;
  std::vector<CoreferenceLink> links;
  Tensor queries, keys;  // [N, size], computed at the first pronoun
  for (std::int64_t i = 1; i + 1 < n; ++i) {
    const auto iu = static_cast<std::size_t>(i);
    const auto& pronouns = c.pronouns;
    std::string lower = tokens.tokens[iu];
    for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (std::find(pronouns.begin(), pronouns.end(), lower) == pronouns.end() || wordPieces(tokens.words[iu]) != 1)
      continue;
    if (queries.numel() == 0) {
      queries = pointer_->query(x);
      keys = pointer_->key(x);
    }
    const std::int64_t size = queries.dim(1);
    const float scale = 1.0f / std::sqrt(static_cast<float>(size));
    // Softmax over the candidates 1 .. n-2 except i.
    std::vector<double> scores(static_cast<std::size_t>(n), -INFINITY);
    double best = -INFINITY;
    for (std::int64_t j = 1; j + 1 < n; ++j) {
      if (j == i || !candidate[static_cast<std::size_t>(j)]) continue;
      double s = 0;
      for (std::int64_t d = 0; d < size; ++d) s += double(queries.data()[i * size + d]) * keys.data()[j * size + d];
      scores[static_cast<std::size_t>(j)] = s * scale;
      best = std::max(best, s * scale);
    }
    if (best == -INFINITY) continue;  // no candidate: nothing to point to, no link
    double total = 0;
    std::int64_t argmax = -1;
    for (std::int64_t j = 1; j + 1 < n; ++j) {
      if (j == i || !candidate[static_cast<std::size_t>(j)]) continue;
      total += std::exp(scores[static_cast<std::size_t>(j)] - best);
      if (argmax < 0 || scores[static_cast<std::size_t>(j)] > scores[static_cast<std::size_t>(argmax)]) argmax = j;
    }
    CoreferenceLink link;
    link.pronoun = i;
    link.antecedent = argmax;
    link.pronounText = written(tokens.spans[iu].begin, tokens.spans[iu].end);
    // The whole word of the antecedent token: the bytes from its first to its last piece.
    const std::int64_t word = tokens.words[static_cast<std::size_t>(argmax)];
    std::size_t begin = text.size(), end = 0;
    for (std::int64_t j = 1; j + 1 < n; ++j)
      if (tokens.words[static_cast<std::size_t>(j)] == word) {
        begin = std::min(begin, tokens.spans[static_cast<std::size_t>(j)].begin);
        end = std::max(end, tokens.spans[static_cast<std::size_t>(j)].end);
      }
    link.antecedentText = written(begin, end);
    link.score = static_cast<float>(1.0 / total);  // exp(best - best) / total
    link.probabilities.assign(static_cast<std::size_t>(n), 0.0f);
    for (std::int64_t j = 1; j + 1 < n; ++j) {
      const double sj = scores[static_cast<std::size_t>(j)];
      if (sj != -INFINITY) link.probabilities[static_cast<std::size_t>(j)] = static_cast<float>(std::exp(sj - best) / total);
    }
    links.push_back(std::move(link));
  }
  return links;
}

bool isSpecialToken(const std::string& token) {
  return token.size() > 2 && token.front() == '[' && token.back() == ']';
}

EncoderTokens EncoderModel::tokensOf(const Input& input, std::int64_t maxTokens) const {
  if (input.kind == Input::Kind::TokenIds) return idTokens(input, maxTokens);
  if (input.kind != Input::Kind::Text)
    throw InputError(input.origin, std::string("an encoder model takes text or token ids, not ") + input.kindName());
  if (!tokenize_)
    throw InputError(input.origin, "this model has no tokenizer (" + noTokenizerReason_ +
                                       "), so it cannot read text; give token ids instead (--token-ids \"101 7592 102\", "
                                       "or Run > Input Is Token Ids in the window)");
  if (input.textPair) return pairTokens(input, maxTokens);
  EncoderTokens t;
  t.text = tokenize_(input.text, maxTokens, input.origin);
  t.types.assign(t.text.ids.size(), 0);
  t.joined = input.text;
  return t;
}

// [CLS] a [SEP] b [SEP] with segments 0 .. 0 1 .. 1, as BertTokenizer pairs two texts; when too long, pieces are
// cut from the end of the longer text first (transformers' "longest_first").
EncoderTokens EncoderModel::pairTokens(const Input& input, std::int64_t maxTokens) const {
  const std::string& b = *input.textPair;
  if (maxTokens < 3)
    throw InputError(input.origin, "a text pair needs at least 3 tokens ([CLS] a [SEP] b [SEP] without a and b); the limit is " +
                                       std::to_string(maxTokens));
  TokenizedText first = tokenize_(input.text, std::max<std::int64_t>(maxTokens, config_.maxPositions), input.origin);
  TokenizedText second = tokenize_(b, std::max<std::int64_t>(maxTokens, config_.maxPositions), input.origin + " (pair)");
  std::int64_t dropped = first.droppedTokens + second.droppedTokens;
  auto pieces = [](const TokenizedText& t) { return static_cast<std::int64_t>(t.tokens.size()) - 2; };
  auto dropLast = [](TokenizedText& t) {  // the last piece before [SEP]
    const auto at = static_cast<std::ptrdiff_t>(t.tokens.size() - 2);
    t.tokens.erase(t.tokens.begin() + at);
    t.ids.erase(t.ids.begin() + at);
    t.spans.erase(t.spans.begin() + at);
    t.words.erase(t.words.begin() + at);
  };
  while (pieces(first) + pieces(second) + 3 > maxTokens && pieces(first) + pieces(second) > 0) {
    dropLast(pieces(first) > pieces(second) ? first : second);
    ++dropped;
  }
  EncoderTokens t;
  t.joined = input.text + "\n" + b;
  t.text = std::move(first);
  t.types.assign(t.text.ids.size(), 0);
  const std::size_t offset = input.text.size() + 1;
  const std::int64_t wordOffset = 1 + *std::max_element(t.text.words.begin(), t.text.words.end());
  for (std::size_t i = 1; i < second.tokens.size(); ++i) {  // second's [CLS] left out
    t.text.tokens.push_back(second.tokens[i]);
    t.text.ids.push_back(second.ids[i]);
    TokenizedText::Span span = second.spans[i];
    if (second.words[i] >= 0) span.begin += offset, span.end += offset;
    t.text.spans.push_back(span);
    t.text.words.push_back(second.words[i] >= 0 ? second.words[i] + wordOffset : -1);
    t.types.push_back(1);
  }
  t.text.droppedTokens = dropped;
  return t;
}

// Token ids exactly as given; tokens named from the vocabulary ("#id" without one), "##" pieces joined to the word
// before them, bracketed special tokens in no word.
EncoderTokens EncoderModel::idTokens(const Input& input, std::int64_t maxTokens) const {
  const auto n = static_cast<std::int64_t>(input.tokenIds.size());
  if (n == 0) throw InputError(input.origin, "has no token ids");
  if (n > config_.maxPositions)
    throw InputError(input.origin, "has " + std::to_string(n) + " token ids but the model takes at most " +
                                       std::to_string(config_.maxPositions) + " (max_position_embeddings); give fewer");
  if (n > maxTokens)
    throw InputError(input.origin, "has " + std::to_string(n) + " token ids, more than the limit of " +
                                       std::to_string(maxTokens) + " (" + limitNote(kMaxTokensLimit) + "); raise it or give fewer");
  if (!input.tokenTypeIds.empty() && static_cast<std::int64_t>(input.tokenTypeIds.size()) != n)
    throw InputError(input.origin, "has " + std::to_string(input.tokenTypeIds.size()) + " segment ids for " +
                                       std::to_string(n) + " token ids; give one per token");
  EncoderTokens t;
  t.types = input.tokenTypeIds.empty() ? std::vector<std::int64_t>(static_cast<std::size_t>(n), 0) : input.tokenTypeIds;
  std::int64_t word = -1;
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t id = input.tokenIds[static_cast<std::size_t>(i)];
    const std::int64_t type = t.types[static_cast<std::size_t>(i)];
    if (id < 0 || id >= config_.vocabSize)
      throw InputError(input.origin, "token id " + std::to_string(id) + " (position " + std::to_string(i) +
                                         ") is outside the vocabulary of " + std::to_string(config_.vocabSize) +
                                         " (ids 0 .. " + std::to_string(config_.vocabSize - 1) + ")");
    if (type < 0 || type >= typeEmbeddings_.dim(0))
      throw InputError(input.origin, "segment id " + std::to_string(type) + " (position " + std::to_string(i) + ") is " +
                                         (typeEmbeddings_.dim(0) == 1 && type > 0
                                              ? std::string("not 0, and this model has no segment embeddings (DistilBERT)")
                                              : "outside the model's " + std::to_string(typeEmbeddings_.dim(0)) +
                                                    " segments (type_vocab_size)"));
    const std::string token = tokenName_ ? tokenName_(id) : "#" + std::to_string(id);
    const bool special = isSpecialToken(token);
    if (!special && !(token.rfind("##", 0) == 0 && word >= 0)) ++word;
    t.text.tokens.push_back(token);
    t.text.ids.push_back(id);
    t.text.spans.push_back({});
    t.text.words.push_back(special ? -1 : word);
  }
  return t;
}

namespace {

// Pieces i .. j joined as words: "##" pieces glued to the piece before them.
std::string joinPieces(const std::vector<std::string>& tokens, std::int64_t first, std::int64_t last) {
  std::string text;
  for (std::int64_t i = first; i <= last; ++i) {
    const std::string& t = tokens[static_cast<std::size_t>(i)];
    if (t.rfind("##", 0) == 0 && i > first) text += t.substr(2);
    else text += (text.empty() ? "" : " ") + t;
  }
  return text;
}

std::vector<float> softmaxOf(std::span<const float> logits) {
  std::vector<float> p(logits.begin(), logits.end());
  if (p.empty()) return p;
  const float top = *std::max_element(p.begin(), p.end());
  double total = 0;
  for (float& v : p) total += (v = std::exp(v - top));
  for (float& v : p) v = static_cast<float>(v / total);
  return p;
}

}  // namespace

void EncoderModel::runHeads(const Tensor& x, const EncoderTokens& tokens, bool hiddenStates, Trace& trace) const {
  using TaskHead = EncoderParts::TaskHead;
  using Scoring = EncoderParts::Scoring;
  const auto n = x.dim(0);
  Prediction& p = trace.prediction;
  if (hiddenStates) trace.outputs["hidden"] = x;
  Tensor pooled;  // [1, hidden]
  if (heads_.pooler) {
    pooled = (*heads_.pooler)(x.slice(0).reshape({1, config_.hiddenSize}));
    if (heads_.poolerKind == EncoderParts::Pooler::BertTanh) {
      pooled = ops::tanh(pooled);
      if (hiddenStates) trace.outputs["pooled"] = pooled.reshape({config_.hiddenSize});
    } else {
      for (float& v : pooled.values()) v = std::max(v, 0.0f);  // DistilBERT's pre_classifier; not a pooler output
    }
  }
  const auto labels = static_cast<std::int64_t>(labels_.size());
  if (heads_.task == TaskHead::SequenceClassification) {
    const Tensor logits = (*heads_.classifier)(pooled).reshape({labels});  // [labels]
    if (hiddenStates) trace.outputs["logits"] = logits;
    const std::span<const float> z = logits.values();
    if (heads_.scoring == Scoring::Regression) {
      for (std::int64_t i = 0; i < labels; ++i) p.scores.emplace_back(labels_[static_cast<std::size_t>(i)], z[static_cast<std::size_t>(i)]);
    } else if (heads_.scoring == Scoring::Sigmoid) {
      p.multiLabel = true;
      std::string chosen;
      for (std::int64_t i = 0; i < labels; ++i) {
        const float prob = 1.0f / (1.0f + std::exp(-z[static_cast<std::size_t>(i)]));
        p.probabilities.emplace_back(labels_[static_cast<std::size_t>(i)], prob);
        if (prob >= 0.5f) chosen += (chosen.empty() ? "" : ", ") + labels_[static_cast<std::size_t>(i)];
      }
      p.label = chosen.empty() ? std::string("(no label at p >= 0.5)") : chosen;
    } else {
      const std::vector<float> prob = softmaxOf(z);
      const auto best = std::max_element(prob.begin(), prob.end()) - prob.begin();
      for (std::int64_t i = 0; i < labels; ++i) p.probabilities.emplace_back(labels_[static_cast<std::size_t>(i)], prob[static_cast<std::size_t>(i)]);
      p.label = labels_[static_cast<std::size_t>(best)];
    }
  }
  if (heads_.task == TaskHead::TokenClassification) {
    const Tensor logits = (*heads_.classifier)(x);  // [N, labels]
    if (hiddenStates) trace.outputs["logits"] = logits;
    for (std::int64_t i = 0; i < n; ++i) {
      const std::vector<float> prob = softmaxOf(logits.slice(i).values());
      const auto best = std::max_element(prob.begin(), prob.end()) - prob.begin();
      p.tokenLabels.push_back(labels_[static_cast<std::size_t>(best)]);
      p.tokenLabelProbabilities.push_back(prob[static_cast<std::size_t>(best)]);
    }
  }
  if (heads_.task == TaskHead::QuestionAnswering) {
    const Tensor both = (*heads_.qa)(x);  // [N, 2]
    Tensor start({n}), end({n});
    for (std::int64_t i = 0; i < n; ++i) start.data()[i] = both.data()[2 * i], end.data()[i] = both.data()[2 * i + 1];
    if (hiddenStates) trace.outputs["start_logits"] = start, trace.outputs["end_logits"] = end;
    p.startProbabilities = softmaxOf(start.values());
    p.endProbabilities = softmaxOf(end.values());
    // The answer lies in the context: the second segment when there is one, else every token but the special ones.
    const bool hasContext = std::find(tokens.types.begin(), tokens.types.end(), 1) != tokens.types.end();
    auto inContext = [&](std::int64_t i) {
      const auto u = static_cast<std::size_t>(i);
      return !isSpecialToken(tokens.text.tokens[u]) && (!hasContext || tokens.types[u] == 1);
    };
    AnswerSpan best;
    bool found = false;
    for (std::int64_t s = 0; s < n; ++s) {
      if (!inContext(s)) continue;
      for (std::int64_t e = s; e < n && e - s < AnswerSpan::kMaxAnswerTokens && inContext(e); ++e) {
        const float score = p.startProbabilities[static_cast<std::size_t>(s)] * p.endProbabilities[static_cast<std::size_t>(e)];
        if (!found || score > best.score) best.start = s, best.end = e, best.score = score, found = true;
      }
    }
    if (found) {
      const auto& spans = tokens.text.spans;
      const auto s = static_cast<std::size_t>(best.start), e = static_cast<std::size_t>(best.end);
      best.text = spans[e].end > spans[s].begin ? tokens.joined.substr(spans[s].begin, spans[e].end - spans[s].begin)
                                                : joinPieces(tokens.text.tokens, best.start, best.end);
      p.answer = best;
    }
  }
}

void EncoderModel::removeTokens(EncoderTokens& t, const TokenRemoval& removal) const {
  const auto n = static_cast<std::int64_t>(t.text.ids.size());
  std::vector<bool> removed(static_cast<std::size_t>(n), false);
  for (const int p : removal.positions) {
    if (p < 0 || p >= n) throw UsageError("removed tokens", "position " + std::to_string(p) + " is outside the input's " + std::to_string(n) + " tokens");
    if (removed[static_cast<std::size_t>(p)]) throw UsageError("removed tokens", "position " + std::to_string(p) + " is given twice");
    removed[static_cast<std::size_t>(p)] = true;
  }
  if (removal.how == TokenRemoval::How::Mask) {
    if (!maskId_) throw UsageError("--removal mask", "this model's vocabulary has neither [MASK] nor [UNK]; use --removal delete");
    const std::string name = tokenName_(*maskId_);
    for (const int p : removal.positions) {
      t.text.ids[static_cast<std::size_t>(p)] = *maskId_;
      t.text.tokens[static_cast<std::size_t>(p)] = name;
    }
    return;
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < removed.size(); ++i) {
    if (removed[i]) continue;
    t.text.ids[kept] = t.text.ids[i];
    t.text.tokens[kept] = std::move(t.text.tokens[i]);
    t.text.spans[kept] = t.text.spans[i];
    t.text.words[kept] = t.text.words[i];
    t.types[kept] = t.types[i];
    ++kept;
  }
  for (auto* v : {&t.text.ids, &t.text.words, &t.types}) v->resize(kept);
  t.text.tokens.resize(kept);
  t.text.spans.resize(kept);
}

Trace EncoderModel::runImpl(const Input& input, const RunOptions& options) const {
  checkLimit(kMaxTokensLimit, options.maxTokens, kMaxTokensLimit.option);
  const bool userLimit = options.maxTokens < config_.maxPositions;  // which limit cuts, for the warning
  const std::int64_t maxTokens = userLimit ? options.maxTokens : config_.maxPositions;
  EncoderTokens encoded = tokensOf(input, maxTokens);
  if (options.removed.any()) removeTokens(encoded, options.removed);
  TokenizedText& tokens = encoded.text;
  const auto n = static_cast<std::int64_t>(tokens.ids.size());
  std::vector<std::int64_t> positions(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) positions[static_cast<std::size_t>(i)] = i;

  // x: [N, hidden] = word + position + token type (segment) embeddings, layer-normalised. A model without segment
  // embeddings (DistilBERT) adds a row of zeros; its pair segments still tell a question-answering head the context.
  const std::vector<std::int64_t> types = typeEmbeddings_.dim(0) > 1 ? encoded.types : std::vector<std::int64_t>(tokens.ids.size(), 0);
  Tensor x = ops::add(ops::add(ops::embedding(wordEmbeddings_, tokens.ids), ops::embedding(positionEmbeddings_, positions)),
                      ops::embedding(typeEmbeddings_, types));
  x = ops::layerNorm(x, embeddingNorm_.gamma, embeddingNorm_.beta, config_.layerNormEps);

  Tensor self = Tensor::uninitialized({config_.numLayers, config_.numHeads, n, n});  // each layer writes its slice
  const std::vector<EncoderLayer>& layers = options.bf16 ? bf16Layers_.of(layers_) : layers_;
  const bool keepBlocks = options.keepAttentionBlocks || options.contributions.any();
  std::vector<AttentionBlockParts> blocks(keepBlocks ? static_cast<std::size_t>(config_.numLayers) : 0);
  for (std::int64_t l = 0; l < config_.numLayers; ++l) {
    const auto u = static_cast<std::size_t>(l);
    x = layerForward(layers[u], l, x, self.slice(l), keepBlocks ? &blocks[u] : nullptr, options);
  }

  Trace trace;
  trace.model = info_.identity;
  trace.input = input.kind == Input::Kind::TokenIds ? std::string() : encoded.joined;
  if (pointer_ && input.kind == Input::Kind::Text) trace.prediction.coreference = resolvePronouns(x, tokens, encoded.joined);
  if (pointer_ && input.kind != Input::Kind::Text)
    trace.warnings.push_back("the coreference head resolves pronouns of a text; token ids give no links");
  runHeads(x, encoded, options.hiddenStates, trace);
  trace.sourceTokens = std::move(tokens.tokens);
  trace.attention["self"] = std::move(self);
  trace.attentionBlocks = std::move(blocks);
  if (tokens.droppedTokens > 0)
    trace.warnings.push_back("input truncated to " + std::to_string(maxTokens) + " tokens (" +
                             (userLimit ? limitNote(kMaxTokensLimit) : std::string("max_position_embeddings")) + "); " +
                             std::to_string(tokens.droppedTokens) +
                             (input.textPair ? " tokens were left out, from the end of the longer text first"
                                             : " tokens at the end were left out"));
  return trace;
}

}  // namespace

std::unique_ptr<Model> makeEncoder(EncoderParts parts, WeightSet& weights) {
  return std::make_unique<EncoderModel>(std::move(parts), weights);
}

std::unique_ptr<Model> loadEncoder(const Package& package) {
  const Manifest& m = package.manifest();
  EncoderParts parts;
  parts.config = readEncoderConfig(m.architecture, package.path() + "/attnviz.json");
  std::vector<std::string> vocab = package.readLines("vocab");
  if (static_cast<std::int64_t>(vocab.size()) != parts.config.vocabSize)
    throw ModelFileError(package.path() + "/" + m.files.at("vocab"),
                         "has " + std::to_string(vocab.size()) + " tokens but attnviz.json says vocab_size " +
                             std::to_string(parts.config.vocabSize));
  auto tokenizer = std::make_shared<const BasicTokenizer>(std::move(vocab), parts.config.lowercase,
                                                          package.path() + "/" + m.files.at("vocab"));
  parts.tokenize = [tokenizer](std::string_view text, std::int64_t maxTokens, const std::string& origin) {
    return tokenizer->encode(text, maxTokens, origin);
  };
  parts.tokenName = [tokenizer](std::int64_t id) { return tokenizer->token(id); };
  if (package.hasFile("labels")) {
    parts.labels = package.readLines("labels");
    parts.head = EncoderParts::TaskHead::SequenceClassification;
    parts.pooler = EncoderParts::Pooler::BertTanh;
  }
  parts.info.identity = {m.name, m.kind, m.variant};
  parts.info.path = package.path();
  parts.info.format = package.formatDescription();
  parts.info.vocabSizes = {{"source", parts.config.vocabSize}};
  parts.info.architecture = m.architecture.asText();
  parts.info.card = m.card;

  WeightSet w = package.weights();
  if (parts.labels.empty() && w.has("classifier.weight"))
    throw ModelFileError(package.path(), "the weights have a classifier but the package lists no \"labels\" file; "
                                         "add one (one label per line) and re-export with models/export.py");
  auto model = makeEncoder(std::move(parts), w);
  w.finish();
  return model;
}

}  // namespace attnviz
