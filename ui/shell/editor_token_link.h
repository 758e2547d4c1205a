// EditorTokenLink: links the input editor to the Selection. Hovering a word of the editor focuses its
// source token (the heatmap column) in every panel; a focused column is shaded in the editor. Token
// positions come from token_spans.h, matched against the shown trace's source tokens while the trace
// is of the editor's text. han traces: the editor's words are tokens.source (all sentences in order) while the
// Selection is (row = sentence, column = word in it); the link converts between the two.
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

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void recompute();
  void highlight(int column);
  QPlainTextEdit* editor() const;  // null once the editor is gone or being destroyed

  QPointer<QObject> editorObject_;
  QPointer<Workspace> workspace_;
  std::vector<TokenSpan> spans_;
  int hovered_ = -1;
};

}  // namespace attnviz::ui
