// Selection: what the user is looking at, shared by every panel of a Workspace. Panels write it on
// hover/click and listen to it to highlight; they never talk to each other.
//
//   connect(&ws->selection(), &Selection::cellChanged, this, &MyPanel::highlight);
//   ws->selection().setCell(row, column);   // emits cellChanged once, only if it changed
//
// No bounce: every setter compares before it stores and emits only on change; a setter called again
// from a slot while that same signal is being delivered is ignored (re-entry guard), so a panel that
// echoes the value back cannot start a loop.
//
// The pin: a row clicked to stay the focus while the pointer moves on (Arcs, heatmap, Patches). Hovers write the
// cell; a hover that ends goes back to the pin (releaseHover). A new trace remaps row, column and pin to the token
// each was on (followAxes, by text along the two token lists: token_follow.h), or releases them, and says so.
#pragma once

#include <QObject>
#include <QString>
#include <string>
#include <vector>

namespace attnviz {
struct Trace;
}

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
  // Back to nothing focused or pinned, layer 0 head 0, best hypothesis (e.g. when the current model changes).
  void reset();

  int pinnedRow() const { return pinnedRow_; }  // kNone if nothing is pinned
  // Pins `row` and focuses it (the column is kept); kNone releases the pin and leaves the cell as it is.
  void setPinnedRow(int row);
  // A hover ended (the pointer left a map, a token, the editor): back to the pinned row, or nothing, no column.
  void releaseHover() { setCell(pinnedRow_, kNone); }

  // The tokens that row and column index: the shown trace's axes (encoder, vit: tokens.source both; seq2seq:
  // tokens.target x tokens.source; han: one entry per sentence, no columns).
  struct Axes {
    std::vector<std::string> rows;
    std::vector<std::string> columns;
    std::string input;  // the text or image path they came from: a new input with the same tokens still says so
    bool operator==(const Axes&) const = default;
  };
  // New axes (a new trace): row, column and pin move to the token each was on in the old axes, or are released
  // (a patch goes with its row). Returns what became of the pin for the user ("Pin on “it” released: …", "Pin kept on
  // “patch 1,2” …" for another image of the same grid), empty when nothing was pinned or neither the axes nor the
  // input changed; the same text is emitted as pinFollowed. The first axes after
  // reset() are taken as they are.
  QString followAxes(Axes axes);
  static Axes axesOf(const attnviz::Trace& trace);

 signals:
  void cellChanged(int row, int column);
  void layerHeadChanged(int layer, int head);
  void sentenceChanged(int sentence);
  void patchChanged(int patch);
  void variantChanged(const QString& variant);
  void hypothesisChanged(int hypothesis);
  void pinChanged(int row);
  void pinFollowed(const QString& note);  // followAxes kept, moved or released the pin

 private:
  int row_ = kNone;
  int column_ = kNone;
  int layer_ = 0;
  int head_ = 0;
  int sentence_ = kNone;
  int patch_ = kNone;
  QString variant_;
  int hypothesis_ = 0;
  int pinnedRow_ = kNone;
  Axes axes_;  // of the trace the indices above belong to; empty after reset()
  // Re-entry guards, one per signal (see the header comment): a slot may change another property.
  bool inCell_ = false;
  bool inLayerHead_ = false;
  bool inSentence_ = false;
  bool inPatch_ = false;
  bool inVariant_ = false;
  bool inHypothesis_ = false;
  bool inPin_ = false;
};

}  // namespace attnviz::ui
