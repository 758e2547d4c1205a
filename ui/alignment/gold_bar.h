// GoldBar: gold alignments in the alignment panel — load a WPT gold set, pick a sentence (its source
// goes into the editor and its target is force-decoded), see that sentence's AER, and run the AER
// over the whole set in the background (progress, cancel). The numbers come from the Workspace's
// GoldSet; the bar only asks and shows.
//
//   auto* bar = new GoldBar(this);  bar->setWorkspace(&ws);
//   bar->loadFiles("dev.wa.nonullalign", "dev.e", "dev.f");   // what the dialog does, for tests
#pragma once

#include <QWidget>

#include "ui/panels/workspace_listener.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace attnviz::ui {

class Workspace;

class GoldBar : public QWidget, public WorkspaceListener {
  Q_OBJECT

 public:
  explicit GoldBar(QWidget* parent = nullptr);

  bool loadFiles(const QString& alignmentPath, const QString& sourcePath, const QString& targetPath);
  QComboBox* sentenceBox() const { return sentence_; }
  QString sentenceAerText() const;  // as shown, e.g. "AER 0.250"
  QString corpusAerText() const;
  QPushButton* corpusButton() const { return corpus_; }
  QPushButton* cancelButton() const { return cancel_; }

 private:
  void attach() override;
  void openDialog();
  void rebuildSentences();
  void refresh();
  void refreshCorpus();

  QPushButton* load_ = nullptr;
  QLabel* file_ = nullptr;
  QComboBox* sentence_ = nullptr;
  QLabel* aer_ = nullptr;
  QPushButton* corpus_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QLabel* corpusResult_ = nullptr;
  QLabel* problem_ = nullptr;
  QString lastDir_;
  bool syncing_ = false;
};

}  // namespace attnviz::ui
