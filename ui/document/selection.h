// Selection: what the user is looking at, shared by every panel of a Workspace. Panels write it on
// hover/click and listen to it to highlight; they never talk to each other.
//
//   connect(&ws->selection(), &Selection::cellChanged, this, &MyPanel::highlight);
//   ws->selection().setCell(row, column);   // emits cellChanged once, only if it changed
//
// No bounce: every setter compares before it stores and emits only on change; a setter called again
// from a slot while that same signal is being delivered is ignored (re-entry guard), so a panel that
// echoes the value back cannot start a loop.
#pragma once

#include <QObject>
#include <QString>

namespace attnviz::ui {

class Selection : public QObject {
  Q_OBJECT

 public:
  static constexpr int kNone = -1;

  explicit Selection(QObject* parent = nullptr);

  int row() const { return row_; }            // focused token on the rows axis, kNone if none
  int column() const { return column_; }      // focused token on the columns axis, kNone if none
  int layer() const { return layer_; }        // attention layer shown by layered maps
  int head() const { return head_; }          // attention head shown by layered maps
  int sentence() const { return sentence_; }  // han: focused sentence, kNone if none
  int patch() const { return patch_; }        // vit: focused image patch, kNone if none
  QString variant() const { return variant_; }  // name of the model variant being compared, may be empty
  int hypothesis() const { return hypothesis_; }  // seq2seq: shown beam hypothesis, 0 = the best

  void setCell(int row, int column);  // one cellChanged for both axes
  void setRow(int row) { setCell(row, column_); }
  void setColumn(int column) { setCell(row_, column); }
  void clearCell() { setCell(kNone, kNone); }
  void setLayer(int layer);
  void setHead(int head);
  void setLayerHead(int layer, int head);  // one layerHeadChanged for both
  void setSentence(int sentence);
  void setPatch(int patch);
  void setVariant(const QString& variant);
  void setHypothesis(int hypothesis);
  // Back to nothing focused, layer 0 head 0, best hypothesis (e.g. when the current model changes).
  void reset();

 signals:
  void cellChanged(int row, int column);
  void layerHeadChanged(int layer, int head);
  void sentenceChanged(int sentence);
  void patchChanged(int patch);
  void variantChanged(const QString& variant);
  void hypothesisChanged(int hypothesis);

 private:
  int row_ = kNone;
  int column_ = kNone;
  int layer_ = 0;
  int head_ = 0;
  int sentence_ = kNone;
  int patch_ = kNone;
  QString variant_;
  int hypothesis_ = 0;
  // Re-entry guards, one per signal (see the header comment): a slot may change another property.
  bool inCell_ = false;
  bool inLayerHead_ = false;
  bool inSentence_ = false;
  bool inPatch_ = false;
  bool inVariant_ = false;
  bool inHypothesis_ = false;
};

}  // namespace attnviz::ui
