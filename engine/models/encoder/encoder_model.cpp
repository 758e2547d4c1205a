#include "engine/models/encoder/encoder_model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <optional>
#include <vector>

#include "engine/core/error.h"
#include "engine/io/package.h"
#include "engine/io/weight_set.h"
#include "engine/model/attention_flow.h"
#include "engine/model/rollout.h"
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

struct ClassifierHead {
  ops::Linear pooler;      // [hidden -> hidden] on the [CLS] row, then tanh (BERT) or ReLU (DistilBERT)
  ops::Linear classifier;  // [hidden -> labels]
  EncoderParts::Head kind = EncoderParts::Head::BertPooler;
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
  Trace run(const Input& input, const RunOptions& options) const override;

 private:
  // x: [N, hidden] -> [N, hidden]; probs receives this layer's attention [heads, N, N].
  Tensor layerForward(const EncoderLayer& layer, const Tensor& x, Tensor& probs) const;
  // x: the last layer's states [N, hidden]; one link per pronoun token, in text order.
  std::vector<CoreferenceLink> resolvePronouns(const Tensor& x, const TokenizedText& tokens, const std::string& text) const;

  EncoderConfig config_;
  ModelInfo info_;
  EncoderTokenize tokenize_;
  std::vector<std::string> labels_;
  Tensor wordEmbeddings_, positionEmbeddings_, typeEmbeddings_;  // [vocab|positions|types, hidden]
  LayerNormWeights embeddingNorm_;
  std::vector<EncoderLayer> layers_;
  std::optional<ClassifierHead> head_;
  std::optional<PointerHead> pointer_;
  Bf16Layers<EncoderLayer> bf16Layers_;  // RunOptions::bf16
};

EncoderModel::EncoderModel(EncoderParts parts, WeightSet& w)
    : config_(parts.config), info_(std::move(parts.info)), tokenize_(std::move(parts.tokenize)), labels_(std::move(parts.labels)) {
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
  if (!labels_.empty()) {
    const auto n = static_cast<std::int64_t>(labels_.size());
    head_ = ClassifierHead{takeLinear(w, "pooler.dense", hidden, hidden), takeLinear(w, "classifier", hidden, n), parts.head};
  }
  if (parts.coreference) {
    const auto size = parts.coreference->size;
    pointer_ = PointerHead{takeLinear(w, "coreference.query", hidden, size), takeLinear(w, "coreference.key", hidden, size),
                           *parts.coreference};
  }
  info_.parameterCount = w.parameterCount();
  info_.labels = labels_;
}

Tensor EncoderModel::layerForward(const EncoderLayer& layer, const Tensor& x, Tensor& probs) const {
  const Tensor context = selfAttention(layer.qkv, x, config_.numHeads, probs);  // [N, hidden]
  const Tensor a = ops::layerNorm(layer.attentionOut(context, x), layer.attentionNorm.gamma, layer.attentionNorm.beta,
                                  config_.layerNormEps);
  const Tensor h = layer.intermediate(a);  // [N, intermediate], GELU applied
  return ops::layerNorm(layer.output(h, a), layer.outputNorm.gamma, layer.outputNorm.beta, config_.layerNormEps);
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
    links.push_back(std::move(link));
  }
  return links;
}

Trace EncoderModel::run(const Input& input, const RunOptions& options) const {
  if (input.kind != Input::Kind::Text)
    throw InputError(input.origin, "an encoder model takes text, not an image");
  if (options.target) throw UsageError("--target", "only seq2seq models take a target; this model is an encoder");
  if (options.occlusion)
    throw UsageError("--occlusion", "occlusion (leave one word or sentence out) is for han models; this model is an encoder");
  if (options.beam != 1) throw UsageError("--beam", "only seq2seq models decode with a beam; this model is an encoder");
  const auto start = std::chrono::steady_clock::now();

  checkLimit(kMaxTokensLimit, options.maxTokens, kMaxTokensLimit.option);
  const bool userLimit = options.maxTokens < config_.maxPositions;  // which limit cuts, for the warning
  const std::int64_t maxTokens = userLimit ? options.maxTokens : config_.maxPositions;
  TokenizedText tokens = tokenize_(input.text, maxTokens, input.origin);
  const auto n = static_cast<std::int64_t>(tokens.ids.size());
  std::vector<std::int64_t> positions(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) positions[static_cast<std::size_t>(i)] = i;

  // x: [N, hidden] = word + position + token type 0, layer-normalised.
  Tensor x = ops::add(ops::add(ops::embedding(wordEmbeddings_, tokens.ids), ops::embedding(positionEmbeddings_, positions)),
                      typeEmbeddings_.slice(0));
  x = ops::layerNorm(x, embeddingNorm_.gamma, embeddingNorm_.beta, config_.layerNormEps);

  Tensor self({config_.numLayers, config_.numHeads, n, n});
  const std::vector<EncoderLayer>& layers = options.bf16 ? bf16Layers_.of(layers_) : layers_;
  for (std::int64_t l = 0; l < config_.numLayers; ++l) {
    Tensor probs;
    x = layerForward(layers[static_cast<std::size_t>(l)], x, probs);
    std::copy(probs.values().begin(), probs.values().end(), self.slice(l).data());
  }

  Trace trace;
  trace.model = info_.identity;
  trace.input = input.text;
  if (pointer_) trace.prediction.coreference = resolvePronouns(x, tokens, input.text);
  trace.sourceTokens = std::move(tokens.tokens);
  trace.attention["self"] = self;
  if (options.rollout != RolloutFusion::None) trace.attention["rollout"] = attentionRollout(self, options.rollout, options.rolloutDiscard);
  if (options.flow) trace.attention["flow"] = attentionFlow(self, {0});  // from [CLS]
  if (head_) {
    Tensor pooled = head_->pooler(x.slice(0).reshape({1, config_.hiddenSize}));  // [1, hidden]
    if (head_->kind == EncoderParts::Head::BertPooler) {
      pooled = ops::tanh(pooled);
    } else {
      for (float& v : pooled.values()) v = std::max(v, 0.0f);
    }
    const Tensor probabilities = ops::softmax(head_->classifier(pooled));                        // [1, labels]
    std::size_t best = 0;
    for (std::size_t i = 0; i < labels_.size(); ++i) {
      trace.prediction.probabilities.emplace_back(labels_[i], probabilities.data()[i]);
      if (probabilities.data()[i] > probabilities.data()[best]) best = i;
    }
    trace.prediction.label = labels_[best];
  }
  if (tokens.droppedTokens > 0)
    trace.warnings.push_back("input truncated to " + std::to_string(maxTokens) + " tokens (" +
                             (userLimit ? limitNote(kMaxTokensLimit) : std::string("max_position_embeddings")) + "); " +
                             std::to_string(tokens.droppedTokens) + " tokens at the end were left out");
  trace.inferenceMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
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
  if (package.hasFile("labels")) parts.labels = package.readLines("labels");
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
