// SessionState: everything a .attnviz session file holds, and its JSON form (documented in README.md,
// "Session files"). Plain data: session_apply.h captures it from a window and restores it into one.
//
//   SessionState s;  s.models = {"/data/bert-coref"};  s.input = "The animal didn't cross the street";
//   QByteArray json = sessionToJson(s, QDir("/papers/fig3"));          // model paths also stored relative
//   SessionState back = sessionFromJson(json, "/papers/fig3/a.attnviz");  // throws attnviz::Error
//
// Reading treats the file as hostile: at most kMaxSessionBytes, every count and string bounded, numbers
// clamped into their ranges, unknown keys ignored (a newer attnviz may add some), a wrong type or a missing
// "format" is an InputError naming the file and the key.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include "engine/api/model.h"
#include "ui/compare/compare_run.h"

namespace attnviz::ui {

struct SessionNote {
  QString model;  // the model's path ("" for notes taken with no model open)
  QString view;   // the tab's title, e.g. "Attention"
  QString text;
  bool operator==(const SessionNote&) const = default;
};

struct SessionState {
  static constexpr int kVersion = 1;

  QStringList models;  // paths as opened, in the Models dock's order
  int current = -1;    // index into models
  QString input;       // the input text
  QString image;       // vit input image ("" none)
  QString target;        // seq2seq forced target ("" none)
  QString targetSource;  // the source sentence it was made for (Workspace::forcedTarget); an older file: `input`
  bool targetKept = false;  // kept for every sentence
  // The run settings, as Workspace::runOptions() holds them: beam and sentences (saved under "input"), rollout,
  // rolloutDiscard and bf16 (under "run"); RunOptions' other fields are not saved. Beam 5: Workspace's default.
  attnviz::RunOptions run = [] {
    attnviz::RunOptions options;
    options.beam = 5;
    return options;
  }();
  bool tokenIds = false;  // the input text holds token ids (Workspace::tokenIdsInput)

  // The Selection (selection.h); -1 = nothing focused.
  int layer = 0, head = 0, row = -1, column = -1, sentence = -1, patch = -1, hypothesis = 0;

  QList<int> compared;  // indices into models
  int reference = -1;
  CompareTarget compareTarget = CompareTarget::ReferenceOutput;

  QString tab;                         // the shown tab's title
  QMap<QString, QJsonObject> panels;   // panel id -> its view controls (panel_controls.h)
  QMap<QString, QByteArray> splitters; // "tab/index" -> QSplitter::saveState()
  QByteArray windowState;              // QMainWindow::saveState(): docks
  QByteArray windowGeometry;           // QMainWindow::saveGeometry()
  QList<SessionNote> notes;
};

// Bounds on what a session file may hold (hostile files; generous for real use).
inline constexpr qint64 kMaxSessionBytes = 16 << 20;
inline constexpr int kMaxSessionModels = 64;
inline constexpr int kMaxSessionNotes = 1000;
inline constexpr int kMaxSessionTextChars = 4 << 20;  // input text, as the editor's text file limit
inline constexpr int kMaxSessionNoteChars = 1 << 20;
inline constexpr int kMaxSessionPanels = 64;

// JSON of the state; model paths are also written relative to `sessionDir`, so a project folder can move.
QByteArray sessionToJson(const SessionState& state, const QDir& sessionDir);
// Parses a session file's bytes; `path` names the file in errors and resolves relative model paths (a model
// found at its relative path wins over a stale absolute one). Throws attnviz::InputError(path).
SessionState sessionFromJson(const QByteArray& json, const QString& path);
// Reads and parses a session file (size-checked before reading). Throws attnviz::Error.
SessionState readSessionFile(const QString& path);

}  // namespace attnviz::ui
