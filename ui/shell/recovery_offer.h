// Crash recovery: after attnviz was killed or crashed, its last autosave (autosave.h) is offered in the next
// window's message bar — Restore brings back the models, input, view and notes; Discard deletes it.
//
//   offerRecovery(window, Autosave::defaultDir());   // at start, once the window exists
#pragma once

#include <QString>

namespace attnviz::ui {

class MainWindow;

// Offers the newest orphaned autosave in autosaveDir; false when there is none. An unreadable autosave is
// reported and left in place for the user to inspect.
bool offerRecovery(MainWindow& window, const QString& autosaveDir);

}  // namespace attnviz::ui
