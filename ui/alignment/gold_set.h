// GoldSet: gold word alignments the user loaded — a WPT 2003 alignment file (`sent src tgt S|P`,
// 1-based) and its two sentence files (one pre-tokenised sentence per line, source then target) — the
// sentence picked, and the corpus AER of the models over the whole set. Held by the Workspace's Seq2seqExtension.
//
//   ws.extension<Seq2seqExtension>().gold().load("dev.wa.nonullalign", "dev.e", "dev.f");   // throws attnviz::Error
//   ws.extension<Seq2seqExtension>().useGoldSentence(3);   // its source into the editor, its target force-decoded, links drawn
//   const GoldSentence& s = ws.extension<Seq2seqExtension>().gold().at(3);   s.links.sure, s.source (words)
#pragma once

#include <QMap>
#include <QObject>
#include <QString>
#include <string>
#include <vector>

#include "engine/align/alignment.h"

namespace attnviz::ui {

struct GoldSentence {
  int number = 0;                   // 1-based, as in the files
  std::vector<std::string> source;  // words
  std::vector<std::string> target;
  attnviz::GoldAlignment links;     // (source word, target word), 0-based
  QString sourceText() const;       // what the model is given: attnviz::joinWords (single spaces)
  QString targetText() const;
};

// AER of one model over the whole gold set (corpus_aer.h computes it).
struct CorpusAer {
  QString label;            // the model's label
  attnviz::AerCounts counts;  // summed over the sentences used
  int sentences = 0;        // sentences used
  int skipped = 0;          // sentences whose tokens could not be matched to the gold words, or failed
  QString firstProblem;     // why the first skipped one was skipped
  QString method;           // the map and rule used: "layer 2, mean of heads · shift-att" (crossMapTitle)
};

class GoldSet : public QObject {
  Q_OBJECT

 public:
  explicit GoldSet(QObject* parent = nullptr);

  // Reads the three files (sentence i of each text file is sentence i of the alignments) and checks
  // every link against its sentence. Throws attnviz::Error naming the file and line; keeps the old set then.
  void load(const QString& alignmentPath, const QString& sourcePath, const QString& targetPath);
  void clear();

  bool isEmpty() const { return sentences_.empty(); }
  int size() const { return static_cast<int>(sentences_.size()); }
  const GoldSentence& at(int index) const { return sentences_.at(static_cast<std::size_t>(index)); }
  QString alignmentPath() const { return alignmentPath_; }
  QString description() const;  // "dev.wa.nonullalign · 37 sentences · 1,784 links"

  int current() const { return current_; }  // index of the picked sentence, -1 for none
  void setCurrent(int index);

  const QMap<int, CorpusAer>& corpusAer() const { return corpusAer_; }  // by model index
  void setCorpusAer(const QMap<int, CorpusAer>& results);

 signals:
  void aboutToChange();  // a new set replaces this one, or it is cleared; at() still reads the old set
  void changed();        // loaded or cleared
  void currentChanged(int index);
  void corpusAerChanged();

 private:
  std::vector<GoldSentence> sentences_;
  QString alignmentPath_;
  int links_ = 0;
  int current_ = -1;
  QMap<int, CorpusAer> corpusAer_;
};

}  // namespace attnviz::ui
