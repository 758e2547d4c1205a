#include "tests/ui/fake_seq2seq.h"

#include <QString>
#include <QStringList>
#include <chrono>
#include <cmath>
#include <map>
#include <thread>

#include "engine/core/error.h"

namespace attnviz::test {
namespace {

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  for (const QString& w : QString::fromStdString(text).toLower().split(QLatin1Char(' '), Qt::SkipEmptyParts))
    out.push_back(w.toStdString());
  return out;
}

// cross [T, S]: target row t peaks at source column min(t + shift, S - 2) (the last column is <eos>);
// the <eos> row peaks at the <eos> column. Rows are softmaxed, so each sums to 1.
attnviz::Tensor crossMap(std::int64_t rows, std::int64_t cols, int shift, float sharpness, std::size_t salt) {
  attnviz::Tensor t({rows, cols});
  for (std::int64_t i = 0; i < rows; ++i) {
    const std::int64_t peak = i == rows - 1 ? cols - 1 : std::min<std::int64_t>(i + shift, std::max<std::int64_t>(cols - 2, 0));
    float sum = 0;
    for (std::int64_t j = 0; j < cols; ++j) {
      const float noise = static_cast<float>(std::hash<std::size_t>{}(salt * 1000003u + static_cast<std::size_t>(i * 131 + j)) % 100) / 200.0f;
      const float v = std::exp((j == peak ? sharpness : 0.0f) + noise);
      t.at({i, j}) = v;
      sum += v;
    }
    for (std::int64_t j = 0; j < cols; ++j) t.at({i, j}) /= sum;
  }
  return t;
}

}  // namespace

FakeSeq2seq::FakeSeq2seq(Options options) : options_(std::move(options)) {
  info_.identity = {options_.name.empty() ? "fake-" + options_.kind + "-" + options_.variant : options_.name, options_.kind,
                    options_.variant};
  info_.path = "fake:" + options_.variant;
  info_.format = "test double";
  info_.vocabSizes = {{"source", 100}, {"target", options_.targetVocab}};
}

attnviz::RunOptions FakeSeq2seq::lastOptions() const {
  attnviz::RunOptions o;
  o.beam = lastBeam_.load();
  if (lastForced_.load()) o.target = "(forced)";
  return o;
}

std::string FakeSeq2seq::translate(const std::string& text, bool dropLastWord) {
  static const std::map<std::string, std::string> kDictionary{
      {"the", "le"}, {"cat", "chat"}, {"sat", "assis"}, {"on", "sur"}, {"mat", "tapis"}, {"a", "un"},
      {"dog", "chien"}, {"sleeps", "dort"}, {"is", "est"}, {"red", "rouge"}, {"house", "maison"}};
  std::vector<std::string> ws = words(text);
  if (dropLastWord && ws.size() > 1) ws.pop_back();
  std::string out;
  for (const std::string& w : ws) {
    const auto it = kDictionary.find(w);
    out += (out.empty() ? "" : " ") + (it == kDictionary.end() ? w : it->second);
  }
  return out;
}

attnviz::Trace FakeSeq2seq::runImpl(const attnviz::Input& input, const attnviz::RunOptions& options) const {
  ++runs_;
  lastBeam_ = options.beam;
  lastForced_ = options.target.has_value();
  if (options_.delayMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(options_.delayMs));
  if (words(input.text).empty()) throw attnviz::InputError(input.origin, "the input has no words");
  if (options.target && words(*options.target).empty()) throw attnviz::InputError("--target", "the target has no words");
  if (options_.kind == "aligner" && !options.target) throw attnviz::UsageError("--target", "an aligner needs the target to align");
  attnviz::Trace t;
  t.model = info_.identity;
  t.input = input.text;
  t.sourceTokens = words(input.text);
  t.sourceTokens.push_back("<eos>");
  const std::string translation = options.target ? *options.target : translate(input.text, options_.dropLastWord);
  t.targetTokens = words(translation);
  t.targetTokens.push_back("<eos>");
  t.prediction.translation = translation;
  t.prediction.forced = options.target.has_value();
  const auto rows = static_cast<std::int64_t>(t.targetTokens.size());
  const auto cols = static_cast<std::int64_t>(t.sourceTokens.size());
  const std::size_t salt = std::hash<std::string>{}(options_.variant);
  t.attention["cross"] = crossMap(rows, cols, 0, options_.sharpness, salt);
  if (options_.layers > 0) {
    attnviz::Tensor layered({options_.layers, options_.heads, rows, cols});
    float* out = layered.data();
    for (int l = 0; l < options_.layers; ++l) {
      for (int h = 0; h < options_.heads; ++h) {
        const attnviz::Tensor one = crossMap(rows, cols, l, options_.sharpness, salt + static_cast<std::size_t>(h));
        out = std::copy(one.data(), one.data() + rows * cols, out);
      }
    }
    t.attention["cross"] = std::move(layered);
    return t;
  }
  if (!options.target && options.beam > 1) {
    for (int k = 0; k < options.beam; ++k) {
      attnviz::Hypothesis h;
      h.tokens = t.targetTokens;
      if (k > 0) h.tokens.insert(h.tokens.end() - 1, "v" + std::to_string(k));  // "le chat v2 <eos>"
      h.score = -0.25f - 0.5f * static_cast<float>(k);
      h.cross = crossMap(static_cast<std::int64_t>(h.tokens.size()), cols, k, options_.sharpness, salt);
      t.hypotheses.push_back(std::move(h));
    }
    t.attention["cross"] = t.hypotheses.front().cross;
  }
  return t;
}

}  // namespace attnviz::test
