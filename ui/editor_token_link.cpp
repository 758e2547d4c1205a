#include "ui/editor_token_link.h"

#include <QEvent>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QTextBlock>

#include "ui/workspace.h"

namespace attnviz::ui {

EditorTokenLink::EditorTokenLink(QPlainTextEdit* editor, Workspace* workspace, QObject* parent)
    : QObject(parent), editor_(editor), workspace_(workspace) {
  editor_->viewport()->setMouseTracking(true);
  editor_->viewport()->installEventFilter(this);
  connect(workspace_, &Workspace::shownTraceChanged, this, &EditorTokenLink::recompute);
  connect(editor_, &QPlainTextEdit::textChanged, this, &EditorTokenLink::recompute);
  connect(&workspace_->selection(), &Selection::cellChanged, this, [this](int, int column) { highlight(column); });
  recompute();
}

void EditorTokenLink::recompute() {
  spans_.clear();
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const QString text = editor_ ? editor_->toPlainText() : QString();
  if (trace && QString::fromStdString(trace->input) == text) spans_ = tokenSpans(text, trace->sourceTokens);
  highlight(workspace_ ? workspace_->selection().column() : -1);
}

int EditorTokenLink::tokenAtPoint(const QPoint& pos) const {
  if (!editor_ || spans_.empty()) return -1;
  const QTextCursor c = editor_->cursorForPosition(pos);
  const QRect r = editor_->cursorRect(c);
  if (pos.y() < r.top() || pos.y() > r.bottom()) return -1;  // below the last line
  // The cursor lands between characters: the one under the pointer is before it when the pointer is left of it.
  const int at = pos.x() < r.x() ? c.position() - 1 : c.position();
  return tokenAt(spans_, at);
}

QRect EditorTokenLink::tokenRect(int token) const {
  if (!editor_ || token < 0 || token >= static_cast<int>(spans_.size()) || spans_[static_cast<std::size_t>(token)].start < 0) return {};
  const TokenSpan& s = spans_[static_cast<std::size_t>(token)];
  QTextCursor c(editor_->document());
  c.setPosition(s.start);
  const QRect a = editor_->cursorRect(c);
  c.setPosition(s.start + s.length);
  const QRect b = editor_->cursorRect(c);
  return QRect(QPoint(a.left(), a.top()), QPoint(std::max(b.left(), a.left() + 1), a.bottom()));
}

bool EditorTokenLink::eventFilter(QObject* watched, QEvent* event) {
  if (!editor_ || watched != editor_->viewport() || !workspace_) return false;
  if (event->type() == QEvent::MouseMove) {
    const int token = tokenAtPoint(static_cast<QMouseEvent*>(event)->position().toPoint());
    if (token != hovered_) {
      hovered_ = token;
      workspace_->selection().setCell(Selection::kNone, token);
    }
  } else if (event->type() == QEvent::Leave && hovered_ >= 0) {
    hovered_ = -1;
    workspace_->selection().clearCell();
  }
  return false;
}

void EditorTokenLink::highlight(int column) {
  if (!editor_) return;
  QList<QTextEdit::ExtraSelection> extras;
  if (column >= 0 && column < static_cast<int>(spans_.size()) && spans_[static_cast<std::size_t>(column)].start >= 0) {
    const TokenSpan& s = spans_[static_cast<std::size_t>(column)];
    QTextEdit::ExtraSelection sel;
    sel.cursor = QTextCursor(editor_->document());
    sel.cursor.setPosition(s.start);
    sel.cursor.setPosition(s.start + s.length, QTextCursor::KeepAnchor);
    sel.format.setBackground(QColor(0xf6, 0xd5, 0xd1));
    sel.format.setForeground(QColor(0xa0, 0x20, 0x10));
    extras << sel;
  }
  editor_->setExtraSelections(extras);
}

}  // namespace attnviz::ui
