#include "ui/alignment/seq2seq_extension.h"

#include "ui/document/workspace.h"

namespace attnviz::ui {

Seq2seqExtension::Seq2seqExtension(Workspace& workspace) : KindExtension(workspace) {
  connect(&corpusAer_, &CorpusAerRunner::finished, &gold_, &GoldSet::setCorpusAer);
  // The target of a gold sentence belongs to its gold set: replacing the set releases it, saying so (the dialog then
  // picks the new set's first sentence).
  connect(&gold_, &GoldSet::aboutToChange, this, [this] {
    const int active = activeGoldSentence();
    if (active >= 0 && workspace_.hasTarget())
      workspace_.releaseTarget(tr("the gold alignments it came from (sentence %1) were replaced").arg(gold_.at(active).number));
  });
  // A session being opened replaces the models: the corpus AER of the old ones stops.
  connect(&workspace_, &Workspace::modelsChanged, this, [this] {
    if (workspace_.models().empty()) corpusAer_.cancel();
  });
}

Seq2seqExtension::~Seq2seqExtension() { corpusAer_.cancel(); }

void Seq2seqExtension::useGoldSentence(int index) {
  if (index < 0 || index >= gold_.size()) return;
  gold_.setCurrent(index);
  const GoldSentence& s = gold_.at(index);
  workspace_.setInputText(s.sourceText());
  workspace_.setTarget(s.targetText(), s.sourceText());  // belongs to that sentence: editing it releases the target
  workspace_.runNow();
}

void Seq2seqExtension::setMethod(const attnviz::ExtractionMethod& method) {
  const attnviz::ExtractionMethod& m = method_;
  if (m.rule == method.rule && m.shift == method.shift && m.threshold == method.threshold && m.layer == method.layer &&
      m.head == method.head)
    return;
  method_ = method;
  emit methodChanged();
}

int Seq2seqExtension::activeGoldSentence() const {
  const int i = gold_.current();
  if (i < 0) return -1;
  const GoldSentence& s = gold_.at(i);
  return workspace_.inputText().simplified() == s.sourceText() && workspace_.target().simplified() == s.targetText() ? i
                                                                                                                      : -1;
}

void Seq2seqExtension::startCorpusAer() {
  if (gold_.isEmpty()) return;
  std::vector<AerModel> models;
  const int current = workspace_.currentIndex();
  const QList<int> which = workspace_.isComparing() ? workspace_.compared() : (current >= 0 ? QList<int>{current} : QList<int>{});
  for (int i : which) models.push_back({i, workspace_.models()[static_cast<std::size_t>(i)].model, workspace_.modelLabel(i)});
  if (models.empty()) return;
  std::vector<GoldSentence> sentences;
  for (int i = 0; i < gold_.size(); ++i) sentences.push_back(gold_.at(i));
  corpusAer_.start(models, sentences, method_);
}

}  // namespace attnviz::ui
