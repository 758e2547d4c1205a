// The Help menu's pages as HTML, so they can be shown in a dialog and checked in tests: the current model's card
// (what it is, its architecture, training data, metrics and provenance), the About text (versions of attnviz, Qt
// and oneDNN, and the CPU kernels oneDNN uses here) and the keyboard shortcuts of a window's menus.
//
//   showHelpPage(this, tr("Model card"), modelCardHtml(model->info()));
//   showHelpPage(this, tr("Keyboard shortcuts"), shortcutsHtml(menuBar()));
#pragma once

#include <QString>

class QMenuBar;
class QWidget;

namespace attnviz {
struct ModelInfo;
}

namespace attnviz::ui {

QString modelCardHtml(const attnviz::ModelInfo& info);
QString aboutHtml();
// Every action of every menu that has a shortcut, by menu, in menu order.
QString shortcutsHtml(const QMenuBar* menus);

// A resizable, non-modal page with a Close button (and Copy via the text's context menu).
void showHelpPage(QWidget* parent, const QString& title, const QString& html);

}  // namespace attnviz::ui
