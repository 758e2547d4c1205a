#include "engine/models/han/han_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/core/error.h"
#include "engine/io/package.h"
#include "engine/io/weight_set.h"
#include "engine/analysis/rank_correlation.h"
#include "engine/models/han/han_text.h"

namespace attnviz {

namespace han {

namespace {

constexpr const char* kFix = "re-export with models/han/train.py";
// A warning when at least this share of the words is outside the vocabulary: the text is probably not what
// the model was trained on (English movie reviews).
constexpr double kUnknownShareWarning = 0.2;
// Occlusion classifies this many changed documents per batched call, checking for cancel in between.
constexpr std::size_t kOcclusionBatch = 64;

std::string count(std::size_t n, const std::string& what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

// Keeps the first maxWords words of the document (whole sentences, then part of one) and says what was left out.
void cutToWordLimit(Trace& trace, std::int64_t maxWords) {
  std::size_t kept = 0, total = 0, keptSentences = 0;
  for (const auto& sentence : trace.sentences) total += sentence.size();
  if (static_cast<std::int64_t>(total) <= maxWords) return;
  for (auto& sentence : trace.sentences) {
    const std::size_t room = static_cast<std::size_t>(maxWords) - kept;
    if (room == 0) break;
    if (sentence.size() > room) sentence.resize(room);
    kept += sentence.size();
    ++keptSentences;
  }
  trace.sentences.resize(keptSentences);
  trace.warnings.push_back("document cut to its first " + std::to_string(kept) + " words (" + limitNote(kMaxTokensLimit) +
                           "); " + count(total - kept, "word") + " left out");
}

// [rows, d] from a list of [d] vectors, leaving out row `skip` (or none when skip is npos) and putting
// `replacement` at row `replace`.
Tensor stackRows(const std::vector<Tensor>& rows, std::size_t skip, std::size_t replace = std::string::npos,
                 const Tensor* replacement = nullptr) {
  const std::int64_t d = rows.front().numel();
  const auto n = static_cast<std::int64_t>(rows.size() - (skip < rows.size() ? 1 : 0));
  Tensor out({n, d});
  std::int64_t r = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i == skip) continue;
    const Tensor& row = i == replace ? *replacement : rows[i];
    std::copy_n(row.data(), d, out.data() + r++ * d);
  }
  return out;
}

}  // namespace

HanModel::HanModel(const Package& package) {
  const Manifest& m = package.manifest();
  const std::string manifestWhere = package.path() + "/attnviz.json";
  config_ = readConfig(m.architecture, manifestWhere);
  for (const auto& [role, file] : m.files)
    if (role != "weights" && role != "vocab" && role != "labels")
      throw ModelFileError(manifestWhere, "\"files\" has role '" + role + "' (" + file +
                                              "), which a han package does not have (it takes weights, vocab, labels); " + kFix);
  for (const char* role : {"vocab", "labels"})
    if (!package.hasFile(role))
      throw ModelFileError(manifestWhere, std::string("\"files\" has no \"") + role + "\" entry; a han package needs " +
                                              "weights, vocab and labels; " + kFix);
  vocab_ = seq2seq::Vocabulary(package.readLines("vocab"), package.path() + "/" + m.files.at("vocab"));
  if (vocab_.size() != config_.vocabSize)
    throw ModelFileError(vocab_.where(), "has " + std::to_string(vocab_.size()) + " words but attnviz.json says vocab_size " +
                                             std::to_string(config_.vocabSize));
  vocab_.requireToken(config_.padId, "<pad>", "pad_id");
  vocab_.requireToken(config_.unkId, "<unk>", "unk_id");
  labels_ = package.readLines("labels");
  if (static_cast<std::int64_t>(labels_.size()) != config_.classes)
    throw ModelFileError(package.path() + "/" + m.files.at("labels"),
                         "lists " + count(labels_.size(), "label") + " but attnviz.json says classes " +
                             std::to_string(config_.classes));

  WeightSet w = package.weights();
  network_ = Network(config_, w);
  w.finish();

  info_.identity = {m.name, m.kind, m.variant};
  info_.path = package.path();
  info_.format = package.formatDescription();
  info_.weightedNorms = true;  // --method value-norm: word_norm, sentence_norm
  info_.parameterCount = w.parameterCount();
  info_.vocabSizes = {{"words", config_.vocabSize}};
  info_.labels = labels_;
  info_.architecture = m.architecture.asText();
  info_.card = m.card;

  // Warm-up: the first run after loading makes oneDNN's kernels (~100 ms); do it here, on the loading
  // thread, so that the user's first document is as fast as the next ones.
  network_.classify({stackRows(std::vector<Tensor>{network_.encodeSentences({{config_.unkId}}).front().vector},
                               std::string::npos)});
}

std::vector<std::int64_t> HanModel::ids(const std::vector<std::string>& words) const {
  std::vector<std::int64_t> out;
  out.reserve(words.size());
  for (const std::string& word : words) out.push_back(vocab_.id(word, config_.unkId));
  return out;
}

Trace HanModel::runImpl(const Input& input, const RunOptions& options) const {
  checkLimit(kMaxTokensLimit, options.maxTokens, kMaxTokensLimit.option);

  Trace trace;
  trace.model = info_.identity;
  trace.input = input.text;
  trace.sentences = splitSentences(input.text, options.sentences, input.origin);
  if (trace.sentences.empty())
    throw InputError(input.origin, "the text has no words to classify (it is empty or only spaces)");
  if (static_cast<std::int64_t>(trace.sentences.size()) > config_.maxSentences) {
    trace.warnings.push_back("document cut to its first " + std::to_string(config_.maxSentences) + " sentences (max_sentences); " +
                             count(trace.sentences.size() - static_cast<std::size_t>(config_.maxSentences), "sentence") +
                             " left out");
    trace.sentences.resize(static_cast<std::size_t>(config_.maxSentences));
  }
  std::size_t cutSentences = 0, words = 0, unknown = 0;
  for (auto& sentence : trace.sentences) {
    if (static_cast<std::int64_t>(sentence.size()) > config_.maxWordsPerSentence) {
      sentence.resize(static_cast<std::size_t>(config_.maxWordsPerSentence));
      ++cutSentences;
    }
  }
  if (cutSentences)
    trace.warnings.push_back(count(cutSentences, "sentence") + " cut to " + std::to_string(config_.maxWordsPerSentence) +
                             " words (max_words_per_sentence)");
  cutToWordLimit(trace, options.maxTokens);

  std::vector<std::vector<std::int64_t>> sentenceIds;
  for (const auto& sentence : trace.sentences) {
    sentenceIds.push_back(ids(sentence));
    words += sentence.size();
    unknown += static_cast<std::size_t>(std::count(sentenceIds.back().begin(), sentenceIds.back().end(), config_.unkId));
    trace.sourceTokens.insert(trace.sourceTokens.end(), sentence.begin(), sentence.end());
  }
  if (static_cast<double>(unknown) >= kUnknownShareWarning * static_cast<double>(words))
    trace.warnings.push_back(count(unknown, "word") + " of " + std::to_string(words) +
                             " are not in the model's vocabulary and are read as <unk>; the model was trained on English "
                             "movie reviews");
  std::vector<EncodedSentence> encoded = network_.encodeSentences(sentenceIds);
  std::vector<Tensor> vectors;
  std::vector<Tensor>& wordWeights = trace.raggedAttention["word"];
  for (EncodedSentence& e : encoded) {
    vectors.push_back(std::move(e.vector));
    wordWeights.push_back(std::move(e.wordWeights));
    if (options.contributions.valueNorm) trace.raggedAttention["word_norm"].push_back(std::move(e.wordNorms));
  }
  const Classified c = std::move(network_.classify({stackRows(vectors, std::string::npos)}).front());
  trace.attention["sentence"] = c.sentenceWeights;
  if (options.contributions.valueNorm) trace.attention["sentence_norm"] = c.sentenceNorms;  // weighted_norms.h
  const std::int64_t best = std::max_element(c.probabilities.values().begin(), c.probabilities.values().end()) -
                            c.probabilities.values().begin();
  trace.prediction.label = labels_[static_cast<std::size_t>(best)];
  for (std::size_t i = 0; i < labels_.size(); ++i)
    trace.prediction.probabilities.emplace_back(labels_[i], c.probabilities.data()[i]);
  return trace;
}

std::optional<Occlusion> HanModel::occlusion(const Trace& trace, const OcclusionControl& control) const {
  const std::vector<std::vector<std::string>>& sentences = trace.sentences;
  if (sentences.empty()) throw InternalError("han::HanModel::occlusion", "the trace has no sentences");
  const std::size_t s = sentences.size();
  std::vector<std::vector<std::int64_t>> sentenceIds;
  int total = static_cast<int>(s);
  for (const auto& sentence : sentences) {
    if (sentence.empty()) throw InternalError("han::HanModel::occlusion", "the trace has an empty sentence");
    sentenceIds.push_back(ids(sentence));
    total += static_cast<int>(sentence.size());
  }
  const std::vector<EncodedSentence> encoded = network_.encodeSentences(sentenceIds);
  std::vector<Tensor> vectors;
  for (const EncodedSentence& e : encoded) vectors.push_back(e.vector);
  const Classified full = network_.classify({stackRows(vectors, std::string::npos)}).front();
  const float* fullProbabilities = full.probabilities.data();
  const std::int64_t label = std::max_element(fullProbabilities, fullProbabilities + config_.classes) - fullProbabilities;
  const float reference = fullProbabilities[label];
  constexpr float kUndefined = std::numeric_limits<float>::quiet_NaN();

  Occlusion out;
  out.label = labels_[static_cast<std::size_t>(label)];
  out.sentence.assign(s, kUndefined);
  out.word.resize(s);
  int done = 0;
  // Counts finished units; false when the user cancelled.
  const auto advance = [&](int units) -> bool {
    done += units;
    if (control.progress) control.progress(done, total);
    return !(control.cancel && control.cancel->load());
  };
  // Each unit's document is classified in batches of kOcclusionBatch, with progress and a cancel check
  // between batches.
  if (s > 1) {
    for (std::size_t first = 0; first < s; first += kOcclusionBatch) {
      const std::size_t last = std::min(s, first + kOcclusionBatch);
      std::vector<Tensor> documents;
      for (std::size_t i = first; i < last; ++i) documents.push_back(stackRows(vectors, i));
      const std::vector<Classified> results = network_.classify(documents);
      for (std::size_t i = first; i < last; ++i)
        out.sentence[i] = reference - results[i - first].probabilities.data()[label];
      if (!advance(static_cast<int>(last - first))) return std::nullopt;
    }
  } else if (!advance(1)) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < s; ++i) {
    const std::vector<std::int64_t>& sentence = sentenceIds[i];
    const std::size_t n = sentence.size();
    if (n == 1) {  // a one-word sentence without its word is no sentence
      out.word[i].push_back(out.sentence[i]);
      if (!advance(1)) return std::nullopt;
      continue;
    }
    out.word[i].resize(n);
    for (std::size_t first = 0; first < n; first += kOcclusionBatch) {
      const std::size_t last = std::min(n, first + kOcclusionBatch);
      std::vector<std::vector<std::int64_t>> shorter;
      for (std::size_t j = first; j < last; ++j) {
        shorter.push_back(sentence);
        shorter.back().erase(shorter.back().begin() + static_cast<std::ptrdiff_t>(j));
      }
      const std::vector<EncodedSentence> changed = network_.encodeSentences(shorter);
      std::vector<Tensor> documents;
      for (const EncodedSentence& e : changed) documents.push_back(stackRows(vectors, std::string::npos, i, &e.vector));
      const std::vector<Classified> results = network_.classify(documents);
      for (std::size_t j = first; j < last; ++j)
        out.word[i][j] = reference - results[j - first].probabilities.data()[label];
      if (!advance(static_cast<int>(last - first))) return std::nullopt;
    }
  }

  // Kendall tau-b: words by sentence weight x word weight, sentences by sentence weight.
  std::vector<float> attention, effects;
  for (std::size_t i = 0; i < s; ++i)
    for (std::size_t j = 0; j < sentences[i].size(); ++j) {
      attention.push_back(full.sentenceWeights.data()[i] * encoded[i].wordWeights.data()[j]);
      effects.push_back(out.word[i][j]);
    }
  out.kendallTauWord = kendallTauB(attention, effects);
  out.kendallTauSentence = kendallTauB(full.sentenceWeights.values(), out.sentence);
  return out;
}

}  // namespace han

std::unique_ptr<Model> loadHan(const Package& package) { return std::make_unique<han::HanModel>(package); }

}  // namespace attnviz
