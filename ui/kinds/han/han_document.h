// HanDocument: what the saliency and occlusion panels show of one han trace — the words of each sentence,
// word attention within each sentence, sentence attention, the prediction, and (once computed) the
// leave-one-out occlusion effects — in plain vectors, so the painter needs no Trace.
//
//   HanDocument doc = HanDocument::fromTrace(*trace, ws.occlusionFor(trace));
//   doc.wordWeights[s][w];   // attention of word w within sentence s (each sentence sums to 1)
//   doc.shownWeight(s, w, true);   // sqrt(sentence weight) x word weight, as Yang et al. 2016 draw it
#pragma once

#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

#include "engine/api/trace.h"

namespace attnviz::ui {

struct HanDocument {
  std::vector<QStringList> words;               // [sentences][words_i]
  std::vector<float> sentenceWeights;           // [sentences], sums to 1
  std::vector<std::vector<float>> wordWeights;  // [sentences][words_i], each sums to 1
  QString label;                                // predicted label, may be empty
  float probability = 0.0f;                     // of the predicted label
  QString probabilities;                        // "negative 0.070 · positive 0.930"
  std::optional<attnviz::Occlusion> occlusion;  // leave-one-out effects, when computed

  // Empty (no sentences) when the trace is not a han trace or its shapes disagree.
  static HanDocument fromTrace(const attnviz::Trace& trace, const attnviz::Occlusion* occlusion);

  bool empty() const { return words.empty(); }
  int sentenceCount() const { return static_cast<int>(words.size()); }
  int wordCount(int sentence) const;  // 0 outside
  bool valid(int sentence, int word) const { return word >= 0 && word < wordCount(sentence); }
  // Word colour value: the word weight, or sqrt(sentence weight) x word weight when scaled by its sentence
  // (Yang et al. 2016, section 3.6: only important words of important sentences stand out).
  float shownWeight(int sentence, int word, bool scaleBySentence) const;
  float maxShownWeight(bool scaleBySentence) const;
  // Occlusion effect of a word / sentence: p(label | doc) - p(label | doc without it); NaN when unknown.
  float wordEffect(int sentence, int word) const;
  float sentenceEffect(int sentence) const;
  float maxAbsWordEffect() const;      // 0 when none is known
  float maxAbsSentenceEffect() const;  // 0 when none is known
};

}  // namespace attnviz::ui
