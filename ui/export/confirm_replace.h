// confirmReplace: before a file the user named is written, ask whether to replace one that is already there
// (the file dialogs ask on their own, but not about a name typed into the export dialog or a suffix added after).
//
//   if (!confirmReplace(this, path)) return;   // the user said no: write nothing
#pragma once

#include <QString>

class QWidget;

namespace attnviz::ui {

// True when nothing is at `path`, or the user chose Replace; false (and nothing changes) otherwise. A folder at
// `path` is never replaced: the user is told and false is returned.
bool confirmReplace(QWidget* parent, const QString& path);

}  // namespace attnviz::ui
