#include "ui/shell/editor_token_link.h"

#include <QCoreApplication>
#include <QEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QStatusTipEvent>
#include <QTextBlock>
#include <QToolTip>

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

// The warning of a trace whose input was cut at the end (encoder, seq2seq: "input truncated to N tokens …"; han:
// "document cut to its first N words …"), empty when it was read whole.
QString cutWarningOf(const attnviz::Trace& trace) {
  for (const std::string& w : trace.warnings)
    if (w.rfind("input truncated", 0) == 0 || w.rfind("document cut to its first", 0) == 0) return QString::fromStdString(w);
  return {};
}

}  // namespace

EditorTokenLink::EditorTokenLink(QPlainTextEdit* editor, Workspace* workspace, QObject* parent)
    : QObject(parent), editorObject_(editor), workspace_(workspace) {
  editor->viewport()->setMouseTracking(true);
  editor->viewport()->installEventFilter(this);
  connect(workspace_, &Workspace::shownTraceChanged, this, &EditorTokenLink::recompute);
  connect(editor, &QPlainTextEdit::textChanged, this, &EditorTokenLink::recompute);
  connect(&workspace_->selection(), &Selection::cellChanged, this, &EditorTokenLink::highlight);
  connect(&workspace_->selection(), &Selection::pinFollowed, this, [this](const QString& note) {
    if (QPlainTextEdit* const edit = this->editor()) {
      QStatusTipEvent tip(note);  // the main window's status bar shows it
      QCoreApplication::sendEvent(edit, &tip);
    }
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
  cutAt_ = -1;
  cutWarning_.clear();
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  const QString text = edit ? edit->toPlainText() : QString();
  if (trace && QString::fromStdString(trace->input) == text) {
    spans_ = tokenSpans(text, trace->sourceTokens);
    cutWarning_ = cutWarningOf(*trace);
    if (!cutWarning_.isEmpty()) {
      int end = coveredEnd(spans_);
      while (end < text.size() && text[end].isSpace()) ++end;
      if (end < text.size()) cutAt_ = end;
    }
  }
  highlight();
}

QString EditorTokenLink::cutToolTip() const {
  if (cutAt_ < 0) return {};
  return tr("Not read by the model: beyond its limit — %1").arg(cutWarning_);
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
  if (event->type() == QEvent::ToolTip && cutAt_ >= 0) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QTextCursor c = edit->cursorForPosition(help->pos());
    if (c.position() > cutAt_) {  // over the greyed part: the limit, not the editor's own tooltip
      QToolTip::showText(help->globalPos(), cutToolTip(), edit->viewport());
      return true;
    }
  } else if (event->type() == QEvent::MouseMove) {
    const int token = tokenAtPoint(static_cast<QMouseEvent*>(event)->position().toPoint());
    if (token != hovered_) {
      hovered_ = token;
      const TracePtr trace = workspace_->shownTrace();
      if (trace && !trace->sentences.empty()) {
        const auto [sentence, word] = sentenceWordOf(*trace, token);
        if (sentence >= 0) workspace_->selection().setSentence(sentence);
        workspace_->selection().setCell(sentence, word);
      } else {
        workspace_->selection().setCell(workspace_->selection().pinnedRow(), token);  // a pinned query stays
      }
    }
  } else if (event->type() == QEvent::Leave && hovered_ >= 0) {
    hovered_ = -1;
    workspace_->selection().releaseHover();
  }
  return false;
}

void EditorTokenLink::highlight() {
  QPlainTextEdit* const edit = editor();
  if (!edit) return;
  QList<QTextEdit::ExtraSelection> extras;
  auto mark = [&](int from, int to, const QTextCharFormat& format) {
    QTextEdit::ExtraSelection sel;
    sel.cursor = QTextCursor(edit->document());
    sel.cursor.setPosition(from);
    sel.cursor.setPosition(to, QTextCursor::KeepAnchor);
    sel.format = format;
    extras << sel;
  };
  if (cutAt_ >= 0) {
    QTextCharFormat cut;
    cut.setForeground(QColor(0x90, 0x90, 0x90));
    cut.setBackground(QColor(0xee, 0xee, 0xee));
    cut.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    cut.setUnderlineColor(QColor(0xb0, 0x50, 0x30));
    mark(cutAt_, static_cast<int>(edit->document()->characterCount()) - 1, cut);
  }
  auto markToken = [&](int token, const QColor& background, const QColor& foreground) {
    if (token < 0 || token >= static_cast<int>(spans_.size()) || spans_[static_cast<std::size_t>(token)].start < 0) return;
    const TokenSpan& s = spans_[static_cast<std::size_t>(token)];
    QTextCharFormat f;
    f.setBackground(background);
    f.setForeground(foreground);
    mark(s.start, s.start + s.length, f);
  };
  const TracePtr trace = workspace_ ? workspace_->shownTrace() : nullptr;
  if (trace && workspace_) {
    const Selection& sel = workspace_->selection();
    int query = -1, key = sel.column();
    if (!trace->sentences.empty()) key = flatOf(*trace, sel.row(), sel.column());
    else if (trace->targetTokens.empty()) query = sel.row();  // rows are input tokens too (seq2seq: target tokens)
    if (query != key) markToken(query, QColor(0xfb, 0xe3, 0x9c), QColor(0x5c, 0x40, 0x00));
    markToken(key, QColor(0xf6, 0xd5, 0xd1), QColor(0xa0, 0x20, 0x10));
  }
  edit->setExtraSelections(extras);
}

}  // namespace attnviz::ui
