#include "engine/models/seq2seq/seq2seq_model.h"

#include <algorithm>

#include "engine/core/error.h"
#include "engine/io/package.h"
#include "engine/models/rnn/weighted_norms.h"
#include "engine/models/seq2seq/decoding.h"
#include "engine/models/seq2seq/seq2seq_tokenizer.h"

namespace attnviz {

namespace seq2seq {

namespace {

constexpr const char* kPad = "<pad>";
constexpr const char* kUnk = "<unk>";
constexpr const char* kSos = "<sos>";
constexpr const char* kEos = "<eos>";

Vocabulary readVocabulary(const Package& package, const std::string& role, std::int64_t expectedSize,
                          const std::string& sizeKey, const Config& c) {
  if (!package.hasFile(role))
    throw ModelFileError(package.path() + "/attnviz.json", "\"files\" has no \"" + role +
                                                               "\" entry; a seq2seq package needs source_vocab and "
                                                               "target_vocab; re-export with models/seq2seq/train.py");
  Vocabulary v(package.readLines(role), package.path() + "/" + package.manifest().files.at(role));
  if (v.size() != expectedSize)
    throw ModelFileError(v.where(), "has " + std::to_string(v.size()) + " tokens but attnviz.json says " + sizeKey +
                                        " " + std::to_string(expectedSize));
  v.requireToken(c.padId, kPad, "pad_id");
  v.requireToken(c.unkId, kUnk, "unk_id");
  v.requireToken(c.sosId, kSos, "sos_id");
  v.requireToken(c.eosId, kEos, "eos_id");
  return v;
}

std::vector<std::string> tokensOf(const Vocabulary& vocab, const std::vector<std::int64_t>& ids) {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (std::int64_t id : ids) out.push_back(vocab.token(id));
  return out;
}

std::string unfinishedWarning(std::int64_t limit) {
  return "decoding stopped after " + std::to_string(limit) +
         " tokens without <eos> (the limit is 2 x source tokens + 10); the translation may be cut short";
}

}  // namespace

Seq2seqModel::Seq2seqModel(const Package& package) {
  const Manifest& m = package.manifest();
  const std::string manifestWhere = package.path() + "/attnviz.json";
  config_ = readConfig(m.architecture, manifestWhere);
  const std::string attention(attentionName(config_.attention));
  if (!m.variant.empty() && m.variant != attention)
    throw ModelFileError(manifestWhere, "variant \"" + m.variant + "\" disagrees with architecture attention \"" +
                                            attention + "\"; re-export the package with models/seq2seq/train.py");
  for (const auto& [role, file] : m.files)
    if (role != "weights" && role != "source_vocab" && role != "target_vocab")
      throw ModelFileError(manifestWhere, "\"files\" has role '" + role + "' (" + file +
                                              "), which a seq2seq package does not have (it takes weights, "
                                              "source_vocab, target_vocab); re-export with models/seq2seq/train.py");
  sourceVocab_ = readVocabulary(package, "source_vocab", config_.sourceVocabSize, "source_vocab_size", config_);
  targetVocab_ = readVocabulary(package, "target_vocab", config_.targetVocabSize, "target_vocab_size", config_);

  WeightSet w = package.weights();
  network_ = Network(config_, w);
  w.finish();

  info_.identity = {m.name, m.kind, m.variant.empty() ? attention : m.variant};
  info_.path = package.path();
  info_.format = package.formatDescription();
  info_.weightedNorms = true;  // --method value-norm: attention.cross_norm
  info_.parameterCount = w.parameterCount();
  info_.vocabSizes = {{"source", config_.sourceVocabSize}, {"target", config_.targetVocabSize}};
  info_.architecture = m.architecture.asText();
  info_.card = m.card;
}

TokenIds Seq2seqModel::sourceIds(std::string_view text, const std::string& origin, std::int64_t maxTokens) const {
  TokenIds out;
  std::vector<std::string> words = tokenize(text, origin);
  const auto room = static_cast<std::size_t>(std::min(maxTokens, config_.maxSourceTokens) - 1);  // <eos> takes one place
  if (words.size() > room) {
    out.droppedTokens = static_cast<std::int64_t>(words.size() - room);
    words.resize(room);
  }
  for (const auto& word : words) out.ids.push_back(sourceVocab_.id(word, config_.unkId));
  out.ids.push_back(config_.eosId);
  out.tokens = tokensOf(sourceVocab_, out.ids);
  return out;
}

TokenIds Seq2seqModel::targetIds(std::string_view text, const std::string& origin, std::int64_t maxTokens) const {
  TokenIds out;
  std::vector<std::string> words = tokenize(text, origin);
  const auto room = static_cast<std::size_t>(maxTokens - 1);  // <eos> takes one place
  if (words.size() > room) {
    out.droppedTokens = static_cast<std::int64_t>(words.size() - room);
    words.resize(room);
  }
  for (const auto& word : words) out.ids.push_back(targetVocab_.id(word, config_.unkId));
  out.ids.push_back(config_.eosId);
  out.tokens = tokensOf(targetVocab_, out.ids);
  return out;
}

Trace Seq2seqModel::runImpl(const Input& input, const RunOptions& options) const {
  checkLimit(kMaxTokensLimit, options.maxTokens, kMaxTokensLimit.option);
  if (input.kind == Input::Kind::TokenIds)
    throw InputError(input.origin, "this RNN seq2seq model takes text, not token ids (token ids are for Hugging Face "
                                   "MarianMT and BART checkpoints)");
  const bool userLimit = options.maxTokens < config_.maxSourceTokens;  // which limit cuts, for the warning
  const TokenIds source = sourceIds(input.text, input.origin, options.maxTokens);
  const Encoded encoded = network_.encode(source.ids);
  const std::int64_t limit = maxDecodeLength(source);

  Trace trace;
  trace.model = info_.identity;
  trace.input = input.text;
  trace.sourceTokens = source.tokens;
  if (source.droppedTokens > 0)
    trace.warnings.push_back("input truncated to " + std::to_string(std::min(options.maxTokens, config_.maxSourceTokens)) +
                             " tokens, <eos> included (" +
                             (userLimit ? limitNote(kMaxTokensLimit) : std::string("max_source_tokens")) + "); " +
                             std::to_string(source.droppedTokens) + " tokens were left out");

  Decoded best;
  if (options.target) {
    const TokenIds target = targetIds(*options.target, input.origin + " (target)", options.maxTokens);
    if (target.droppedTokens > 0)
      trace.warnings.push_back("target truncated to " + std::to_string(options.maxTokens) + " tokens, <eos> included (" +
                               limitNote(kMaxTokensLimit) + "); " + std::to_string(target.droppedTokens) +
                               " tokens were left out");
    best = forced(network_, encoded, target.ids);
  } else if (options.beam == 1) {
    best = greedy(network_, encoded, limit);
  } else {
    std::vector<Decoded> nBest = beamSearch(network_, encoded, options.beam, limit);
    for (const Decoded& d : nBest) trace.hypotheses.push_back({tokensOf(targetVocab_, d.ids), d.score, d.attention});
    best = std::move(nBest.front());
  }
  if (!best.finished) trace.warnings.push_back(unfinishedWarning(limit));
  trace.targetTokens = tokensOf(targetVocab_, best.ids);
  trace.prediction.translation = translationText(trace.targetTokens);
  trace.prediction.forced = options.target.has_value();
  trace.attention["cross"] = best.attention;
  if (options.contributions.valueNorm)  // a_tj ‖h_j‖ of the best hypothesis (weighted_norms.h)
    trace.attention["cross_norm"] = weightedNorms(best.attention, encoded.annotations);
  return trace;
}

}  // namespace seq2seq

std::unique_ptr<Model> loadSeq2seq(const Package& package) { return std::make_unique<seq2seq::Seq2seqModel>(package); }

}  // namespace attnviz
