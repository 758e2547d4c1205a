#include "tests/ui/fake_han.h"

#include <QString>
#include <QRegularExpression>
#include <QStringList>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <thread>

#include "engine/core/error.h"

namespace attnviz::test {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

float polarity(const std::string& w) {
  static const std::map<std::string, float> kLexicon{
      {"great", 1.0f}, {"wonderful", 1.0f}, {"loved", 1.0f}, {"best", 0.8f}, {"good", 0.6f}, {"superb", 1.0f},
      {"awful", -1.0f}, {"boring", -0.9f}, {"worst", -1.0f}, {"bad", -0.7f}, {"hated", -1.0f}, {"dull", -0.6f}};
  const auto it = kLexicon.find(w);
  return it == kLexicon.end() ? 0.0f : it->second;
}

float noise(const std::string& w) { return static_cast<float>(std::hash<std::string>{}(w) % 97) / 97.0f * 0.5f; }

std::vector<float> softmax(const std::vector<float>& logits) {
  std::vector<float> out(logits.size());
  if (logits.empty()) return out;
  const float top = *std::max_element(logits.begin(), logits.end());
  float sum = 0;
  for (std::size_t i = 0; i < logits.size(); ++i) sum += out[i] = std::exp(logits[i] - top);
  for (float& v : out) v /= sum;
  return out;
}

std::vector<std::string> tokens(const QString& text) {
  std::vector<std::string> out;
  for (QString w : text.toLower().split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
    QString tail;
    while (!w.isEmpty() && QStringLiteral(".,!?;:").contains(w.back())) {
      tail.prepend(w.back());
      w.chop(1);
    }
    if (!w.isEmpty()) out.push_back(w.toStdString());
    for (QChar c : tail) out.push_back(QString(c).toStdString());
  }
  return out;
}

std::vector<std::vector<std::string>> splitByPunctuation(const QString& text) {
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> current;
  for (const std::string& t : tokens(text)) {
    current.push_back(t);
    if (t == "." || t == "!" || t == "?") out.push_back(std::exchange(current, {}));
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

// Kendall tau-b, O(n^2), pairs with a NaN left out (tests only; the engine has the fast one).
double tauB(const std::vector<float>& a, const std::vector<float>& b) {
  double concordant = 0, discordant = 0, tiesA = 0, tiesB = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) continue;
    for (std::size_t j = i + 1; j < a.size(); ++j) {
      if (std::isnan(a[j]) || std::isnan(b[j])) continue;
      const double da = a[i] - a[j], db = b[i] - b[j];
      if (da == 0 && db == 0) continue;
      if (da == 0) ++tiesA;
      else if (db == 0) ++tiesB;
      else if ((da > 0) == (db > 0)) ++concordant;
      else ++discordant;
    }
  }
  const double n = std::sqrt((concordant + discordant + tiesA) * (concordant + discordant + tiesB));
  return n > 0 ? (concordant - discordant) / n : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

FakeHan::FakeHan(Options options) : options_(std::move(options)) {
  info_.identity = {options_.name, "han", options_.variant};
  info_.path = "fake:han-" + options_.variant;
  info_.format = "test double";
  info_.labels = {"negative", "positive"};
}

std::vector<std::vector<std::string>> FakeHan::split(const std::string& text, attnviz::SentenceMode mode) {
  const QString q = QString::fromStdString(text);
  QStringList lines = q.split(QLatin1Char('\n'));
  lines.removeIf([](const QString& l) { return l.trimmed().isEmpty(); });
  bool oneEach = lines.size() >= 2;
  for (const QString& l : lines) oneEach = oneEach && splitByPunctuation(l).size() <= 1;
  if (mode == attnviz::SentenceMode::Lines || (mode == attnviz::SentenceMode::Auto && oneEach)) {
    std::vector<std::vector<std::string>> out;
    for (const QString& l : lines) {
      auto t = tokens(l);
      if (!t.empty()) out.push_back(std::move(t));
    }
    return out;
  }
  return splitByPunctuation(q);
}

FakeHan::Scores FakeHan::score(const std::vector<std::vector<std::string>>& sentences) const {
  Scores s;
  std::vector<float> sentenceLogits, sentencePolarity;
  for (const auto& words : sentences) {
    std::vector<float> logits;
    for (const std::string& w : words) logits.push_back(options_.sharpness * (2.0f * std::abs(polarity(w)) + noise(w)));
    s.word.push_back(softmax(logits));
    float pol = 0;
    for (std::size_t i = 0; i < words.size(); ++i) pol += s.word.back()[i] * polarity(words[i]);
    sentencePolarity.push_back(pol);
    sentenceLogits.push_back(3.0f * std::abs(pol) + noise(words.empty() ? std::string() : words.front()));
  }
  s.sentence = softmax(sentenceLogits);
  float doc = 0.1f;
  for (std::size_t i = 0; i < sentences.size(); ++i) doc += 4.0f * s.sentence[i] * sentencePolarity[i];
  s.positive = 1.0f / (1.0f + std::exp(-doc));
  return s;
}

attnviz::Trace FakeHan::runImpl(const attnviz::Input& input, const attnviz::RunOptions& options) const {
  ++runs_;
  lastMode_ = options.sentences;
  const auto sentences = split(input.text, options.sentences);
  if (sentences.empty()) throw attnviz::InputError(input.origin, "the input has no words");
  const Scores s = score(sentences);
  attnviz::Trace t;
  t.model = info_.identity;
  t.input = input.text;
  t.sentences = sentences;
  for (const auto& words : sentences) t.sourceTokens.insert(t.sourceTokens.end(), words.begin(), words.end());
  attnviz::Tensor sentence({static_cast<std::int64_t>(sentences.size())});
  for (std::size_t i = 0; i < sentences.size(); ++i) sentence.data()[i] = s.sentence[i];
  t.attention["sentence"] = std::move(sentence);
  for (const auto& w : s.word) {
    attnviz::Tensor words({static_cast<std::int64_t>(w.size())});
    std::copy(w.begin(), w.end(), words.data());
    t.raggedAttention["word"].push_back(std::move(words));
  }
  const bool positive = s.positive >= 0.5f;
  t.prediction.label = positive ? "positive" : "negative";
  t.prediction.probabilities = {{"negative", 1.0f - s.positive}, {"positive", s.positive}};
  return t;
}

std::optional<attnviz::Occlusion> FakeHan::occlusion(const attnviz::Trace& trace, const attnviz::OcclusionControl& control) const {
  ++occlusionStarted_;
  const auto& sentences = trace.sentences;
  const bool positive = trace.prediction.label == std::optional<std::string>("positive");
  auto p = [&](const std::vector<std::vector<std::string>>& doc) {
    const float pos = score(doc).positive;
    return positive ? pos : 1.0f - pos;
  };
  const float full = p(sentences);
  int total = static_cast<int>(sentences.size());
  for (const auto& s : sentences) total += static_cast<int>(s.size());
  int done = 0;
  auto step = [&]() -> bool {  // false: cancelled
    if (control.cancel && control.cancel->load()) {
      ++occlusionCancelled_;
      return false;
    }
    if (options_.occlusionDelayMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(options_.occlusionDelayMs));
    ++occlusionUnits_;
    if (control.progress) control.progress(++done, total);
    return true;
  };
  attnviz::Occlusion o;
  o.label = positive ? "positive" : "negative";
  for (std::size_t s = 0; s < sentences.size(); ++s) {
    std::vector<float> row;
    for (std::size_t w = 0; w < sentences[s].size(); ++w) {
      if (!step()) return std::nullopt;
      auto doc = sentences;
      doc[s].erase(doc[s].begin() + static_cast<std::ptrdiff_t>(w));
      if (doc[s].empty()) doc.erase(doc.begin() + static_cast<std::ptrdiff_t>(s));
      row.push_back(doc.empty() ? kNaN : full - p(doc));
    }
    o.word.push_back(std::move(row));
  }
  for (std::size_t s = 0; s < sentences.size(); ++s) {
    if (!step()) return std::nullopt;
    auto doc = sentences;
    doc.erase(doc.begin() + static_cast<std::ptrdiff_t>(s));
    o.sentence.push_back(doc.empty() ? kNaN : full - p(doc));
  }
  const Scores a = score(sentences);
  std::vector<float> attention, effect;
  for (std::size_t s = 0; s < sentences.size(); ++s)
    for (std::size_t w = 0; w < sentences[s].size(); ++w) {
      attention.push_back(a.sentence[s] * a.word[s][w]);
      effect.push_back(o.word[s][w]);
    }
  o.kendallTauWord = tauB(attention, effect);
  o.kendallTauSentence = tauB(a.sentence, o.sentence);
  return o;
}

}  // namespace attnviz::test
