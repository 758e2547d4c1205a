// ForcedTarget: the seq2seq target the user asked a model to produce (forced decoding), kept with what it was made
// for, so that it never silently outlives it: the source sentence it belongs to (the input when it was typed, or a
// gold sentence's source) and the target vocabulary of the model it was made with. The Workspace holds one and
// releases it, saying why (Workspace::targetReleased), when the input or the model no longer fits, unless the user
// keeps it for every sentence (kept; another vocabulary releases even a kept target: its words mean others there).
//
//   ForcedTarget t{"je suis fatigué .", "I am tired."};
//   t.belongsTo("I  am tired.");          // true: the same sentence, spacing aside
//   t.belongsTo("The cat sat.");          // false: Workspace releases it
//   ForcedTarget::vocabularyOf(info);     // "target 8000" for a seq2seq model, "" for other kinds
#pragma once

#include <QString>

namespace attnviz {
struct ModelInfo;
}

namespace attnviz::ui {

struct ForcedTarget {
  QString text;        // as typed; whitespace-only counts as none
  QString source;      // the input (source sentence) it belongs to
  QString vocabulary;  // vocabularyOf() the model it was made with; "" until a seq2seq model is current
  bool kept = false;   // the user keeps it for every sentence (the run bar's Keep box)

  bool isSet() const { return !text.trimmed().isEmpty(); }
  // Whether it may be decoded with `input`: kept, or made for that sentence (compared with spacing simplified).
  bool belongsTo(const QString& input) const { return kept || input.simplified() == source.simplified(); }
  // A seq2seq model's target vocabulary as "target N" (ModelInfo::vocabSizes); "" for a model without one.
  static QString vocabularyOf(const attnviz::ModelInfo& info);
  // The text for a message: at most `maxChars` characters, "…" where it was cut, in quotes.
  static QString quoted(const QString& text, int maxChars = 40);
};

}  // namespace attnviz::ui
