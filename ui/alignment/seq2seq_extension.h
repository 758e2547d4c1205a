// Seq2seqExtension: what seq2seq models add to the Workspace (kind_extension.h): the gold alignments the user loaded
// (gold_set.h), picking one of their sentences as the input, and the corpus AER of the models over the whole set,
// computed in the background (corpus_aer.h).
//
//   Seq2seqExtension& s = ws.extension<Seq2seqExtension>();
//   s.gold().load("dev.wa.nonullalign", "dev.e", "dev.f");   // throws attnviz::Error
//   s.useGoldSentence(3);   // its source into the editor, its target force-decoded; runs now
//   s.startCorpusAer();     // the compared models (or the current one); results land in gold().corpusAer()
#pragma once

#include "engine/align/extraction.h"
#include "ui/document/kind_extension.h"
#include "ui/alignment/corpus_aer.h"
#include "ui/alignment/gold_set.h"

namespace attnviz::ui {

class Seq2seqExtension : public KindExtension {
  Q_OBJECT

 public:
  explicit Seq2seqExtension(Workspace& workspace);
  ~Seq2seqExtension() override;

  GoldSet& gold() { return gold_; }
  const GoldSet& gold() const { return gold_; }
  // Picks gold sentence `index`: its source becomes the input and its target the forced target; runs now.
  void useGoldSentence(int index);
  // The picked gold sentence while the input and target are still its own, else -1.
  int activeGoldSentence() const;
  // AER over the whole gold set, in the background, for the compared models (or the current one);
  // results land in gold().corpusAer().
  void startCorpusAer();
  void cancelCorpusAer() { corpusAer_.cancel(); }
  CorpusAerRunner& corpusAerRunner() { return corpusAer_; }

  // How links are read from the cross map (rule, Shift-Att, threshold) and which map of a transformer's
  // [L, H, T, S] (layer, head; -1 = mean over that axis): the sentence AER, the corpus AER and the drawn links
  // all use it. The default: argmax of the mean of all layers and heads.
  const attnviz::ExtractionMethod& method() const { return method_; }
  void setMethod(const attnviz::ExtractionMethod& method);

 signals:
  void methodChanged();

 private:
  attnviz::ExtractionMethod method_;
  GoldSet gold_;
  CorpusAerRunner corpusAer_;
};

}  // namespace attnviz::ui
