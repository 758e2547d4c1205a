// NotesDock: what the user writes about a view, one note per model and tab ("the coreference head resolves
// 'it' here; cf. layer 5"). The note shown follows the current model and tab; the notes travel in the session
// file (session_state.h) and in autosaves.
//
//   auto* notes = new NotesDock(this);
//   notes->setView(modelPath, tabTitle);   // shows that view's note, keeping the one being left
//   QList<SessionNote> all = notes->notes();
#pragma once

#include <QDockWidget>
#include <QList>
#include <QMap>
#include <QPair>

#include "ui/session/session_state.h"

class QLabel;
class QPlainTextEdit;

namespace attnviz::ui {

class NotesDock : public QDockWidget {
  Q_OBJECT

 public:
  explicit NotesDock(QWidget* parent = nullptr);

  void setView(const QString& model, const QString& view);
  QString note() const;  // of the current view
  void setNote(const QString& text);
  QList<SessionNote> notes() const;  // every non-empty note
  void setNotes(const QList<SessionNote>& notes);
  QPlainTextEdit* editor() const { return editor_; }

 signals:
  void notesChanged();

 private:
  using Key = QPair<QString, QString>;  // model path, tab title
  void showCurrent();

  QLabel* caption_ = nullptr;
  QPlainTextEdit* editor_ = nullptr;
  QMap<Key, QString> notes_;
  Key current_;
  bool showing_ = false;  // writing the editor from notes_: its textChanged is not an edit
};

}  // namespace attnviz::ui
