// The Help menu's pages as HTML, so they can be shown in a dialog and checked in tests: the current model's card
// (what it is, its architecture, training data, metrics and provenance), the About text (versions of attnviz, Qt
// and oneDNN, and the CPU kernels oneDNN uses here) and the keyboard shortcuts of a window's menus.
//
//   showHelpPage(this, tr("Model card"), modelCardHtml(model->info()));
//   showHelpPage(this, tr("Keyboard shortcuts"), shortcutsHtml(menuBar()));
#pragma once

#include <QString>

class QDialog;
class QMenuBar;
class QWidget;

namespace attnviz {
struct ModelInfo;
}

namespace attnviz::ui {

// Layers and heads count from 1 throughout, as the panels do (a card's "layer 2 head 3 (0-based)" is shown as
// "layer 3, head 4"); the Architecture table is the configuration as written.
QString modelCardHtml(const attnviz::ModelInfo& info);
QString aboutHtml();
// Every action of every menu that has a shortcut, by menu, in menu order.
QString shortcutsHtml(const QMenuBar* menus);

// A resizable, non-modal page with a Close button (and Copy via the text's context menu); long values wrap. Deleted
// when closed.
QDialog* showHelpPage(QWidget* parent, const QString& title, const QString& html);
// Shows other content in a page showHelpPage made (the model card following the current model).
void updateHelpPage(QDialog* dialog, const QString& title, const QString& html);

}  // namespace attnviz::ui
