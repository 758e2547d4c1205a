#include "ui/shell/notes_dock.h"

#include <QFileInfo>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScopedValueRollback>
#include <QVBoxLayout>

namespace attnviz::ui {

NotesDock::NotesDock(QWidget* parent) : QDockWidget(tr("Notes"), parent) {
  setObjectName(QStringLiteral("notesDock"));
  auto* body = new QWidget(this);
  auto* layout = new QVBoxLayout(body);
  layout->setContentsMargins(4, 4, 4, 4);
  caption_ = new QLabel(body);
  caption_->setStyleSheet(QStringLiteral("color: #707070;"));
  caption_->setWordWrap(true);
  editor_ = new QPlainTextEdit(body);
  editor_->setObjectName(QStringLiteral("notesEditor"));
  editor_->setPlaceholderText(tr("Notes on this view: what you see, what to check. Saved with the session."));
  editor_->setToolTip(tr("A note for the current model and tab; each view keeps its own, saved in the session file"));
  layout->addWidget(caption_);
  layout->addWidget(editor_, 1);
  setWidget(body);
  connect(editor_, &QPlainTextEdit::textChanged, this, [this] {
    if (showing_) return;
    notes_[current_] = editor_->toPlainText();
    emit notesChanged();
  });
  showCurrent();
}

void NotesDock::setView(const QString& model, const QString& view) {
  const Key key{model, view};
  if (key == current_) return;
  current_ = key;
  showCurrent();
}

QString NotesDock::note() const { return notes_.value(current_); }

void NotesDock::setNote(const QString& text) { editor_->setPlainText(text); }  // textChanged stores it

QList<SessionNote> NotesDock::notes() const {
  QList<SessionNote> out;
  for (auto it = notes_.begin(); it != notes_.end(); ++it) {
    if (!it.value().trimmed().isEmpty()) out.append({it.key().first, it.key().second, it.value()});
  }
  return out;
}

void NotesDock::setNotes(const QList<SessionNote>& notes) {
  notes_.clear();
  for (const SessionNote& n : notes) notes_[{n.model, n.view}] = n.text;
  showCurrent();
  emit notesChanged();
}

void NotesDock::showCurrent() {
  const QString model = current_.first.isEmpty() ? tr("no model") : QFileInfo(current_.first).fileName();
  caption_->setText(current_.second.isEmpty() ? model : tr("%1 · %2").arg(model, current_.second));
  const QScopedValueRollback guard(showing_, true);
  if (editor_->toPlainText() != notes_.value(current_)) editor_->setPlainText(notes_.value(current_));
}

}  // namespace attnviz::ui
