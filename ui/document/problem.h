// Problem: an engine error (attnviz::Error: kind, where, message) or any other exception, caught at
// the UI boundary and turned into text for the message bar. Never thrown; passed by value in signals.
//
//   try { model->run(input, opts); } catch (...) { Problem p = Problem::fromCurrentException(); }
#pragma once

#include <QMetaType>
#include <QString>

namespace attnviz::ui {

struct Problem {
  QString kind;     // "input error", "model file error", ... (attnviz::kindName)
  QString where;    // the file, tensor or input it is about; may be empty
  QString message;  // what went wrong, and the fix when the engine knows it

  // "where: message", or just the message.
  QString text() const { return where.isEmpty() ? message : where + QStringLiteral(": ") + message; }
  // Call inside a catch block only.
  static Problem fromCurrentException();
};

}  // namespace attnviz::ui

Q_DECLARE_METATYPE(attnviz::ui::Problem)
