#include "ui/kinds/han/han_document.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace attnviz::ui {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

}  // namespace

HanDocument HanDocument::fromTrace(const attnviz::Trace& trace, const attnviz::Occlusion* occlusion) {
  HanDocument d;
  const auto sentence = trace.attention.find("sentence");
  const auto word = trace.raggedAttention.find("word");
  if (sentence == trace.attention.end() || word == trace.raggedAttention.end()) return d;
  const std::size_t n = trace.sentences.size();
  if (n == 0 || sentence->second.rank() != 1 || static_cast<std::size_t>(sentence->second.dim(0)) != n ||
      word->second.size() != n)
    return d;
  for (std::size_t s = 0; s < n; ++s) {
    const auto& tokens = trace.sentences[s];
    const attnviz::Tensor& w = word->second[s];
    if (w.rank() != 1 || static_cast<std::size_t>(w.dim(0)) != tokens.size()) return HanDocument{};
    QStringList ws;
    for (const std::string& t : tokens) ws << QString::fromStdString(t);
    d.words.push_back(ws);
    d.wordWeights.emplace_back(w.data(), w.data() + w.dim(0));
  }
  d.sentenceWeights.assign(sentence->second.data(), sentence->second.data() + n);
  const attnviz::Prediction& p = trace.prediction;
  if (p.label) d.label = QString::fromStdString(*p.label);
  QStringList probs;
  for (const auto& [name, prob] : p.probabilities) {
    probs << QStringLiteral("%1 %2").arg(QString::fromStdString(name), QString::number(prob, 'f', 3));
    if (p.label && name == *p.label) d.probability = prob;
  }
  d.probabilities = probs.join(QStringLiteral(" · "));
  if (occlusion) d.occlusion = *occlusion;
  return d;
}

int HanDocument::wordCount(int sentence) const {
  return sentence >= 0 && sentence < sentenceCount() ? static_cast<int>(words[static_cast<std::size_t>(sentence)].size()) : 0;
}

float HanDocument::shownWeight(int sentence, int word, bool scaleBySentence) const {
  if (!valid(sentence, word)) return kNaN;
  const auto s = static_cast<std::size_t>(sentence);
  const float w = wordWeights[s][static_cast<std::size_t>(word)];
  return scaleBySentence ? std::sqrt(std::max(0.0f, sentenceWeights[s])) * w : w;
}

float HanDocument::maxShownWeight(bool scaleBySentence) const {
  float m = 0.0f;
  for (int s = 0; s < sentenceCount(); ++s)
    for (int w = 0; w < wordCount(s); ++w) m = std::max(m, shownWeight(s, w, scaleBySentence));
  return m;
}

float HanDocument::wordEffect(int sentence, int word) const {
  if (!occlusion || !valid(sentence, word) || static_cast<std::size_t>(sentence) >= occlusion->word.size()) return kNaN;
  const auto& row = occlusion->word[static_cast<std::size_t>(sentence)];
  return static_cast<std::size_t>(word) < row.size() ? row[static_cast<std::size_t>(word)] : kNaN;
}

float HanDocument::sentenceEffect(int sentence) const {
  if (!occlusion || sentence < 0 || static_cast<std::size_t>(sentence) >= occlusion->sentence.size()) return kNaN;
  return occlusion->sentence[static_cast<std::size_t>(sentence)];
}

float HanDocument::maxAbsWordEffect() const {
  float m = 0.0f;
  if (occlusion)
    for (const auto& row : occlusion->word)
      for (float v : row)
        if (!std::isnan(v)) m = std::max(m, std::abs(v));
  return m;
}

float HanDocument::maxAbsSentenceEffect() const {
  float m = 0.0f;
  if (occlusion)
    for (float v : occlusion->sentence)
      if (!std::isnan(v)) m = std::max(m, std::abs(v));
  return m;
}

}  // namespace attnviz::ui
