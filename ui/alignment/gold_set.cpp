#include "ui/alignment/gold_set.h"

#include <QFileInfo>

#include "engine/align/word_alignment.h"
#include "engine/core/error.h"

namespace attnviz::ui {

QString GoldSentence::sourceText() const { return QString::fromStdString(attnviz::joinWords(source)); }
QString GoldSentence::targetText() const { return QString::fromStdString(attnviz::joinWords(target)); }

GoldSet::GoldSet(QObject* parent) : QObject(parent) {}

void GoldSet::load(const QString& alignmentPath, const QString& sourcePath, const QString& targetPath) {
  const std::string wpt = alignmentPath.toStdString();
  const std::map<int, attnviz::GoldAlignment> links = attnviz::readWptAlignments(wpt);
  const auto source = attnviz::readSentences(sourcePath.toStdString());
  const auto target = attnviz::readSentences(targetPath.toStdString());
  if (source.size() != target.size()) {
    throw attnviz::InputError(targetPath.toStdString(), "has " + std::to_string(target.size()) + " sentences but " +
                                                            sourcePath.toStdString() + " has " +
                                                            std::to_string(source.size()) + "; pick the matching pair");
  }
  std::vector<GoldSentence> sentences(source.size());
  int count = 0;
  for (std::size_t i = 0; i < source.size(); ++i) {
    sentences[i].number = static_cast<int>(i) + 1;
    sentences[i].source = source[i];
    sentences[i].target = target[i];
  }
  for (const auto& [number, gold] : links) {
    if (number < 1 || number > static_cast<int>(sentences.size())) {
      throw attnviz::InputError(wpt, "has links for sentence " + std::to_string(number) + " but the sentence files have " +
                                         std::to_string(sentences.size()) + " sentences; pick the matching files");
    }
    GoldSentence& s = sentences[static_cast<std::size_t>(number - 1)];
    attnviz::checkGoldWithin(gold, static_cast<int>(s.source.size()), static_cast<int>(s.target.size()),
                             wpt + ": sentence " + std::to_string(number));
    s.links = gold;
    count += static_cast<int>(gold.possible.size());
  }
  emit aboutToChange();  // the old set is still readable
  sentences_ = std::move(sentences);
  alignmentPath_ = alignmentPath;
  links_ = count;
  current_ = -1;
  corpusAer_.clear();
  emit changed();
  emit currentChanged(current_);
  emit corpusAerChanged();
}

void GoldSet::clear() {
  if (sentences_.empty()) return;
  emit aboutToChange();
  sentences_.clear();
  alignmentPath_.clear();
  links_ = 0;
  current_ = -1;
  corpusAer_.clear();
  emit changed();
  emit currentChanged(current_);
  emit corpusAerChanged();
}

QString GoldSet::description() const {
  if (sentences_.empty()) return tr("no gold alignments loaded");
  return tr("%1 · %2 sentences · %L3 links").arg(QFileInfo(alignmentPath_).fileName()).arg(size()).arg(links_);
}

void GoldSet::setCurrent(int index) {
  if (index < -1 || index >= size()) index = -1;
  if (index == current_) return;
  current_ = index;
  emit currentChanged(current_);
}

void GoldSet::setCorpusAer(const QMap<int, CorpusAer>& results) {
  corpusAer_ = results;
  emit corpusAerChanged();
}

}  // namespace attnviz::ui
