// saveAtomically: write a file all at once or not at all (QSaveFile: a temporary file beside the
// target, renamed over it on success). Every export goes through it, so a failed export never leaves
// a partial file and never clobbers the old one.
//
//   SaveResult r = saveAtomically(path, [&](QIODevice& out, QString& error) { return out.write(bytes) == bytes.size(); });
//   if (!r) messageBar->showMessage("export", MessageBar::Error, r.error);
#pragma once

#include <QString>
#include <functional>

class QIODevice;

namespace attnviz::ui {

struct SaveResult {
  bool ok = false;
  QString error;  // "Could not write /x/y.png: Permission denied", empty when ok
  explicit operator bool() const { return ok; }
};

// write() fills `out`; it returns false (optionally setting `error`) to abandon the file.
SaveResult saveAtomically(const QString& path, const std::function<bool(QIODevice& out, QString& error)>& write);

}  // namespace attnviz::ui
