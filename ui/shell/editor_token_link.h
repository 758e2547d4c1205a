// EditorTokenLink: links the input editor to the Selection. Hovering a word of the editor focuses its
// source token (the heatmap column; a pinned row stays) in every panel; the focused tokens are shaded in the
// editor: the column (key) in red and, where rows are tokens of the input too (encoders, not seq2seq's target
// rows), the row (query) in amber. Token positions come from token_spans.h, matched against the shown trace's
// source tokens while the trace is of the editor's text. han traces: the editor's words are tokens.source (all
// sentences in order) while the Selection is (row = sentence, column = word in it); the link converts between
// the two.
// A truncated input (the trace warns "input truncated …" / "document cut …"): the text after the last token the
// model read is greyed with a wavy underline, and its tooltip quotes the warning (the limit).
// A pin that followed its word to a new index after an edit, or was released, is said in the status bar.
//
//   new EditorTokenLink(editor, &workspace, editor);   // owned by the editor
#pragma once

#include <QObject>
#include <QPointer>
#include <vector>

#include "ui/shell/token_spans.h"

class QPlainTextEdit;

namespace attnviz::ui {

class Workspace;

class EditorTokenLink : public QObject {
  Q_OBJECT

 public:
  EditorTokenLink(QPlainTextEdit* editor, Workspace* workspace, QObject* parent = nullptr);

  // The source token under a point of the editor's viewport, -1 for none.
  int tokenAtPoint(const QPoint& viewportPos) const;
  // Where a source token is in the editor's viewport (for tests); empty when it has no span.
  QRect tokenRect(int token) const;
  // Where the model stopped reading a truncated input (a text position), -1 when it read it all.
  int cutPosition() const { return cutAt_; }
  QString cutToolTip() const;  // what the greyed part's tooltip says, empty when nothing was cut

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void recompute();
  void highlight();  // the Selection's tokens and the cut part, as the editor's extra selections
  QPlainTextEdit* editor() const;  // null once the editor is gone or being destroyed

  QPointer<QObject> editorObject_;
  QPointer<Workspace> workspace_;
  std::vector<TokenSpan> spans_;
  int hovered_ = -1;
  int cutAt_ = -1;
  QString cutWarning_;  // the trace's warning that says it was cut
};

}  // namespace attnviz::ui
