#include "ui/shell/editor_token_link.h"

#include <QEvent>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QTextBlock>

#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

// han traces: the Selection's row is a sentence and its column a word of it, while the editor's spans follow
// tokens.source (all sentences' words in order). These convert between the two; other kinds use the column.
std::pair<int, int> sentenceWordOf(const attnviz::Trace& trace, int flat) {
  for (std::size_t s = 0; s < trace.sentences.size() && flat >= 0; ++s) {
    const int n = static_cast<int>(trace.sentences[s].size());
    if (flat < n) return {static_cast<int>(s), flat};
    flat -= n;
  }
  return {-1, -1};
}

int flatOf(const attnviz::Trace& trace, int sentence, int word) {
  if (sentence < 0 || word < 0 || sentence >= static_cast<int>(trace.sentences.size())) return -1;
  int flat = 0;
  for (int s = 0; s < sentence; ++s) flat += static_cast<int>(trace.sentences[static_cast<std::size_t>(s)].size());
  return word < static_cast<int>(trace.sentences[static_cast<std::size_t>(sentence)].size()) ? flat + word : -1;
}

}  // namespace

EditorTokenLink::EditorTokenLink(QPlainTextEdit* editor, Workspace* workspace, QObject* parent)
    : QObject(parent), editorObject_(editor), workspace_(workspace) {
  editor->viewport()->setMouseTracking(true);
  editor->viewport()->installEventFilter(this);
  connect(workspace_, &Workspace::shownTraceChanged, this, &EditorTokenLink::recompute);
  connect(editor, &QPlainTextEdit::textChanged, this, &EditorTokenLink::recompute);
  connect(&workspace_->selection(), &Selection::cellChanged, this, [this](int row, int column) {
    const TracePtr trace = workspace_->shownTrace();
    highlight(trace && !trace->sentences.empty() ? flatOf(*trace, row, column) : column);
  });
  recompute();
}

QPlainTextEdit* EditorTokenLink::editor() const {
  // qobject_cast, not a static cast: while the editor is being destroyed its viewport still sends events, and the
  // object is then only a QWidget (the cast gives null instead of undefined behaviour).
  return qobject_cast<QPlainTextEdit*>(editorObject_.data());
}

void EditorTokenLink::recompute() {
  QPlainTextEdit* const edit = editor();
  spans_.clear();
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const QString text = edit ? edit->toPlainText() : QString();
  if (trace && QString::fromStdString(trace->input) == text) spans_ = tokenSpans(text, trace->sourceTokens);
  const Selection* sel = workspace_ ? &workspace_->selection() : nullptr;
  highlight(!sel ? -1 : trace && !trace->sentences.empty() ? flatOf(*trace, sel->row(), sel->column()) : sel->column());
}

int EditorTokenLink::tokenAtPoint(const QPoint& pos) const {
  QPlainTextEdit* const edit = editor();
  if (!edit || spans_.empty()) return -1;
  const QTextCursor c = edit->cursorForPosition(pos);
  const QRect r = edit->cursorRect(c);
  if (pos.y() < r.top() || pos.y() > r.bottom()) return -1;  // below the last line
  // The cursor lands between characters: the one under the pointer is before it when the pointer is left of it.
  const int at = pos.x() < r.x() ? c.position() - 1 : c.position();
  return tokenAt(spans_, at);
}

QRect EditorTokenLink::tokenRect(int token) const {
  QPlainTextEdit* const edit = editor();
  if (!edit || token < 0 || token >= static_cast<int>(spans_.size()) || spans_[static_cast<std::size_t>(token)].start < 0) return {};
  const TokenSpan& s = spans_[static_cast<std::size_t>(token)];
  QTextCursor c(edit->document());
  c.setPosition(s.start);
  const QRect a = edit->cursorRect(c);
  c.setPosition(s.start + s.length);
  const QRect b = edit->cursorRect(c);
  return QRect(QPoint(a.left(), a.top()), QPoint(std::max(b.left(), a.left() + 1), a.bottom()));
}

bool EditorTokenLink::eventFilter(QObject* watched, QEvent* event) {
  QPlainTextEdit* const edit = editor();
  if (!edit || watched != edit->viewport() || !workspace_) return false;
  if (event->type() == QEvent::MouseMove) {
    const int token = tokenAtPoint(static_cast<QMouseEvent*>(event)->position().toPoint());
    if (token != hovered_) {
      hovered_ = token;
      const TracePtr trace = workspace_->shownTrace();
      if (trace && !trace->sentences.empty()) {
        const auto [sentence, word] = sentenceWordOf(*trace, token);
        if (sentence >= 0) workspace_->selection().setSentence(sentence);
        workspace_->selection().setCell(sentence, word);
      } else {
        workspace_->selection().setCell(Selection::kNone, token);
      }
    }
  } else if (event->type() == QEvent::Leave && hovered_ >= 0) {
    hovered_ = -1;
    workspace_->selection().clearCell();
  }
  return false;
}

void EditorTokenLink::highlight(int column) {
  QPlainTextEdit* const edit = editor();
  if (!edit) return;
  QList<QTextEdit::ExtraSelection> extras;
  if (column >= 0 && column < static_cast<int>(spans_.size()) && spans_[static_cast<std::size_t>(column)].start >= 0) {
    const TokenSpan& s = spans_[static_cast<std::size_t>(column)];
    QTextEdit::ExtraSelection sel;
    sel.cursor = QTextCursor(edit->document());
    sel.cursor.setPosition(s.start);
    sel.cursor.setPosition(s.start + s.length, QTextCursor::KeepAnchor);
    sel.format.setBackground(QColor(0xf6, 0xd5, 0xd1));
    sel.format.setForeground(QColor(0xa0, 0x20, 0x10));
    extras << sel;
  }
  edit->setExtraSelections(extras);
}

}  // namespace attnviz::ui
