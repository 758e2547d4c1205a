#include "engine/models/aligner/aligner_model.h"

#include <algorithm>
#include <cmath>

#include "engine/core/error.h"
#include "engine/io/package.h"
#include "engine/models/aligner/parallel_corpus.h"
#include "engine/models/seq2seq/seq2seq_tokenizer.h"

namespace attnviz {

namespace aligner {

namespace {

constexpr const char* kFix = "retrain it with attnviz train-aligner";
constexpr const char* kUnk = "<unk>";
constexpr const char* kEos = "<eos>";
constexpr std::int64_t kUnknown = -1;

// An F32 value that must be an integer in [min, max]: ids and offsets of the table.
std::int64_t exactInteger(float value, std::int64_t min, std::int64_t max, const std::string& where) {
  const double v = value;
  if (!std::isfinite(v) || v != std::floor(v) || v < static_cast<double>(min) || v > static_cast<double>(max))
    throw ModelFileError(where, "is " + std::to_string(v) + ", expected an integer in [" + std::to_string(min) + ", " +
                                    std::to_string(max) + "]; " + kFix);
  return static_cast<std::int64_t>(v);
}

double numberIn(const Params& p, const std::string& key, double min, double max, bool minOpen, const std::string& where) {
  const double v = p.getNumber(key);
  if (!std::isfinite(v) || v > max || (minOpen ? v <= min : v < min))
    throw ModelFileError(where, "key '" + key + "' is " + std::to_string(v) + ", expected a number in " +
                                    (minOpen ? "(" : "[") + std::to_string(min) + ", " + std::to_string(max) + "]; " + kFix);
  return v;
}

seq2seq::Vocabulary readVocabulary(const Package& package, const std::string& role, std::int64_t expectedSize,
                                   const std::string& sizeKey) {
  if (!package.hasFile(role))
    throw ModelFileError(package.path() + "/attnviz.json",
                         "\"files\" has no \"" + role + "\" entry; an aligner package needs source_vocab and target_vocab; " + kFix);
  seq2seq::Vocabulary v(package.readLines(role), package.path() + "/" + package.manifest().files.at(role));
  if (v.size() != expectedSize)
    throw ModelFileError(v.where(), "has " + std::to_string(v.size()) + " tokens but attnviz.json says " + sizeKey + " " +
                                        std::to_string(expectedSize) + "; " + kFix);
  return v;
}

}  // namespace

AlignerModel::AlignerModel(const Package& package) {
  const Manifest& m = package.manifest();
  const std::string where = package.path() + "/attnviz.json";
  const Params& a = m.architecture;
  for (const auto& [role, file] : m.files)
    if (role != "weights" && role != "source_vocab" && role != "target_vocab")
      throw ModelFileError(where, "\"files\" has role '" + role + "' (" + file +
                                      "), which an aligner package does not have (it takes weights, source_vocab, "
                                      "target_vocab); " + kFix);
  const std::string tokenizer = a.getString("tokenizer");
  if (tokenizer != kTokenizerName)
    throw ModelFileError(where, "key 'tokenizer' is \"" + tokenizer + "\"; aligner packages use \"" + kTokenizerName +
                                    "\" (the seq2seq models' tokenizer); " + kFix);
  prior_.diagonal = true;
  prior_.nullProbability = numberIn(a, "null_probability", 0.0, 1.0, false, where);
  if (prior_.nullProbability >= 1.0)
    throw ModelFileError(where, "key 'null_probability' is 1: every word would align to NULL; " + std::string(kFix));
  prior_.tension = numberIn(a, "diagonal_tension", 0.0, kMaxTension, false, where);
  unseen_ = numberIn(a, "unseen_probability", 0.0, 1.0, true, where);
  const std::int64_t sourceSize = a.getInt("source_vocab_size", 1, kMaxExactFloatInteger - 1);
  const std::int64_t targetSize = a.getInt("target_vocab_size", 0, kMaxExactFloatInteger);
  const std::int64_t entries = a.getInt("table_entries", 0, kMaxExactFloatInteger);

  sourceVocab_ = readVocabulary(package, "source_vocab", sourceSize, "source_vocab_size");
  targetVocab_ = readVocabulary(package, "target_vocab", targetSize, "target_vocab_size");
  if (sourceVocab_.token(0) != kNullWord)
    throw ModelFileError(sourceVocab_.where(), "line 1 is \"" + sourceVocab_.token(0) + "\", expected \"" + kNullWord +
                                                   "\" (source id 0 is NULL); " + kFix);

  WeightSet w = package.weights();
  const Tensor rowStart = w.take("ttable.row_start", {sourceSize + 1});
  const Tensor target = w.take("ttable.target", {entries});
  const Tensor probability = w.take("ttable.probability", {entries});
  w.finish();
  const std::string file = w.source();
  table_.rowStart.resize(static_cast<std::size_t>(sourceSize) + 1);
  table_.target.resize(static_cast<std::size_t>(entries));
  table_.probability.assign(probability.data(), probability.data() + entries);
  for (std::int64_t e = 0; e <= sourceSize; ++e) {
    const std::string at = file + ": ttable.row_start[" + std::to_string(e) + "]";
    const std::int64_t start = exactInteger(rowStart.data()[e], 0, entries, at);
    if (e == 0 && start != 0) throw ModelFileError(at, "is " + std::to_string(start) + ", expected 0; " + kFix);
    if (e > 0 && start < static_cast<std::int64_t>(table_.rowStart[e - 1]))
      throw ModelFileError(at, "is below the row before it (rows must not overlap); " + std::string(kFix));
    table_.rowStart[e] = static_cast<std::uint64_t>(start);
  }
  if (static_cast<std::int64_t>(table_.rowStart.back()) != entries)
    throw ModelFileError(file + ": ttable.row_start[" + std::to_string(sourceSize) + "]",
                         "is " + std::to_string(table_.rowStart.back()) + ", expected table_entries " +
                             std::to_string(entries) + "; " + kFix);
  for (std::int64_t e = 0; e < sourceSize; ++e) {
    for (std::uint64_t k = table_.rowStart[e]; k < table_.rowStart[e + 1]; ++k) {
      const std::string at = file + ": ttable.target[" + std::to_string(k) + "]";
      const std::int64_t f = exactInteger(target.data()[k], 0, targetSize - 1, at);
      if (k > table_.rowStart[e] && f <= static_cast<std::int64_t>(table_.target[k - 1]))
        throw ModelFileError(at, "is not above the entry before it in its row (targets must ascend, once each); " +
                                     std::string(kFix));
      table_.target[k] = static_cast<std::uint32_t>(f);
      const float p = table_.probability[k];
      if (!std::isfinite(p) || p <= 0.0f || p > 1.0f)
        throw ModelFileError(file + ": ttable.probability[" + std::to_string(k) + "]",
                             "is " + std::to_string(p) + ", expected a probability in (0, 1]; " + kFix);
    }
  }

  info_.identity = {m.name, m.kind, m.variant};
  info_.path = package.path();
  info_.format = package.formatDescription();
  info_.parameterCount = entries;
  info_.vocabSizes = {{"source", sourceSize}, {"target", targetSize}};
  info_.architecture = a.asText();
  info_.card = m.card;
}

Trace AlignerModel::runImpl(const Input& input, const RunOptions& options) const {
  if (!options.target)
    throw UsageError("--target", "an aligner aligns a given sentence pair and translates nothing; give the target "
                                 "sentence with --target (or --target-lines)");
  checkLimit(kMaxTokensLimit, options.maxTokens, kMaxTokensLimit.option);
  Trace trace;
  trace.model = info_.identity;
  trace.input = input.text;
  // One side's tokens, cut to maxTokens - 1 (<eos> takes a place), and their ids (kUnknown for a word absent).
  const auto side = [&](const std::string& text, const std::string& origin, const seq2seq::Vocabulary& vocab,
                        const char* name, std::vector<std::string>& tokens, std::vector<std::int64_t>& ids) {
    tokens = seq2seq::tokenize(text, origin);
    const auto room = static_cast<std::size_t>(options.maxTokens - 1);
    if (tokens.size() > room) {
      trace.warnings.push_back(std::string(name) + " truncated to " + std::to_string(options.maxTokens) +
                               " tokens, <eos> included (" + limitNote(kMaxTokensLimit) + "); " +
                               std::to_string(tokens.size() - room) + " tokens were left out");
      tokens.resize(room);
    }
    for (std::string& token : tokens) {
      ids.push_back(vocab.id(token, kUnknown));
      if (ids.back() == kUnknown || (&vocab == &sourceVocab_ && ids.back() == 0)) {
        ids.back() = kUnknown;
        token = kUnk;
      }
    }
    tokens.emplace_back(kEos);
  };
  std::vector<std::int64_t> sourceIds, targetIds;
  side(input.text, input.origin, sourceVocab_, "input", trace.sourceTokens, sourceIds);
  side(*options.target, input.origin + " (target)", targetVocab_, "target", trace.targetTokens, targetIds);

  // Ids as alignmentPosteriors takes them: an unknown word gets an id no row or target has.
  const auto unknownId = static_cast<std::uint32_t>(kMaxExactFloatInteger);
  std::vector<std::uint32_t> e, f;
  for (std::int64_t id : sourceIds) e.push_back(id == kUnknown ? unknownId : static_cast<std::uint32_t>(id));
  for (std::int64_t id : targetIds) f.push_back(id == kUnknown ? unknownId : static_cast<std::uint32_t>(id));
  const std::vector<double> q = alignmentPosteriors(e, f, prior_, [this](std::uint32_t source, std::uint32_t target) {
    const std::int64_t k = table_.find(source, target);
    return k < 0 ? unseen_ : static_cast<double>(table_.probability[k]);
  });

  const auto m = static_cast<std::int64_t>(e.size()), n = static_cast<std::int64_t>(f.size());
  Tensor cross({n + 1, m + 1});  // [T, S]
  float* c = cross.data();
  for (std::int64_t j = 0; j < n; ++j) {
    const double* row = &q[static_cast<std::size_t>(j * (m + 1))];  // column 0: NULL
    for (std::int64_t i = 0; i < m; ++i) c[j * (m + 1) + i] = static_cast<float>(row[i + 1]);
    c[j * (m + 1) + m] = static_cast<float>(row[0]);
  }
  c[n * (m + 1) + m] = 1.0f;
  trace.attention["cross"] = std::move(cross);
  trace.prediction.translation = seq2seq::translationText(trace.targetTokens);
  trace.prediction.forced = true;
  return trace;
}

}  // namespace aligner

std::unique_ptr<Model> loadAligner(const Package& package) { return std::make_unique<aligner::AlignerModel>(package); }

}  // namespace attnviz
