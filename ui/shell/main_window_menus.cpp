// MainWindow::buildMenus: the File, Edit, View, Run and Help menus, their shortcuts and tooltips (main_window.h).
#include "ui/shell/main_window.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QStyle>
#include <algorithm>

#include "engine/core/text_file.h"
#include "engine/ops/cpu_capabilities.h"
#include "ui/document/workspace.h"
#include "ui/export/confirm_replace.h"
#include "ui/export/data_export.h"
#include "ui/export/export_dialog.h"
#include "ui/export/layout_figure.h"
#include "ui/kinds/kind_ui.h"
#include "ui/panels/panel_area.h"
#include "ui/shell/editor_token_link.h"
#include "ui/shell/help_pages.h"
#include "ui/shell/limits_dialog.h"
#include "ui/shell/message_bar.h"
#include "ui/shell/models_dock.h"
#include "ui/shell/notes_dock.h"
#include "ui/shell/recent_files.h"
#include "ui/shell/session_controller.h"

namespace attnviz::ui {

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(style()->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open Model…"), this,
                                  &MainWindow::openModelDialog);
  open->setShortcut(QKeySequence::Open);
  open->setToolTip(tr("Open a model file or .zip package"));
  QAction* openDir = file->addAction(style()->standardIcon(QStyle::SP_DirOpenIcon), tr("Open Model &Folder…"), this,
                                     &MainWindow::openModelFolderDialog);
  openDir->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
  openDir->setToolTip(tr("Open a model package folder"));
  QAction* openText = openTextAction_ = file->addAction(tr("Open &Text File…"), this, &MainWindow::openTextFileDialog);
  openText->setShortcut(QKeySequence(tr("Ctrl+T")));
  openText->setToolTip(tr("Load a .txt file (a review, a document) as the input"));
  QAction* openImageAction = openImageAction_ = file->addAction(tr("Open &Image…"), this, &MainWindow::openImageDialog);
  openImageAction->setShortcut(QKeySequence(tr("Ctrl+I")));
  openImageAction->setToolTip(tr("Choose the image Vision Transformer (vit) models run on (PNG, JPEG, BMP, ...)"));
  QAction* pasteImageAction = pasteImageAction_ = file->addAction(tr("&Paste Image"), this, [this] { pasteImage(QApplication::clipboard()->mimeData()); });
  pasteImageAction->setObjectName(QStringLiteral("pasteImageAction"));
  // Ctrl+V too: an image model hides the text box, so nothing else takes the plain paste key then.
  pasteImageAction->setShortcuts({QKeySequence(tr("Ctrl+Shift+V")), QKeySequence::Paste});
  pasteImageAction->setToolTip(tr("Run vit models on the image in the clipboard (a screenshot, an image copied in a browser "
                                  "or a copied image file); Ctrl+V in the input does the same when the clipboard holds no text"));
  recentMenu_ = file->addMenu(tr("&Recent Models"));
  rebuildRecentMenu();
  file->addSeparator();
  QAction* openSession = file->addAction(tr("Open &Session…"), this, &MainWindow::openSessionDialog);
  openSession->setShortcut(QKeySequence(tr("Ctrl+Alt+O")));
  openSession->setToolTip(tr("Open a .attnviz session: its models, input, selection, panel settings, layout and notes"));
  QAction* saveSessionAction = file->addAction(tr("&Save Session"), this, &MainWindow::saveSession);
  saveSessionAction->setShortcut(QKeySequence::Save);
  saveSessionAction->setToolTip(tr("Save the models, input, selection, panel settings, layout and notes to the session file"));
  QAction* saveAs = file->addAction(tr("Save Session &As…"), this, &MainWindow::saveSessionAsDialog);
  saveAs->setShortcut(QKeySequence(tr("Ctrl+Shift+S")));
  saveAs->setToolTip(tr("Save the session to a new .attnviz file"));
  recentSessionsMenu_ = file->addMenu(tr("Recent Sess&ions"));
  rebuildRecentSessionsMenu();
  file->addSeparator();
  QAction* fig = file->addAction(style()->standardIcon(QStyle::SP_DialogSaveButton), tr("Export &Figure…"), this,
                                 &MainWindow::exportFigureDialog);
  fig->setShortcut(QKeySequence(tr("Ctrl+E")));
  fig->setToolTip(tr("Save a panel as PNG, SVG or PDF, exactly as shown"));
  QAction* layoutFig = file->addAction(tr("Export &Layout Figure…"), this, &MainWindow::exportLayoutFigureDialog);
  layoutFig->setShortcut(QKeySequence(tr("Ctrl+Alt+E")));
  layoutFig->setToolTip(tr("Save every panel of the current tab as one figure, arranged as on screen and labelled (a), (b), …"));
  QAction* data = file->addAction(tr("Export &Data…"), this, &MainWindow::exportDataDialog);
  data->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
  data->setToolTip(tr("Save the trace as JSON or the shown matrix as CSV"));
  QAction* copyFig = file->addAction(tr("&Copy Figure"), this, [this] { copyFigure(); });
  copyFig->setShortcut(QKeySequence(tr("Ctrl+Shift+C")));
  copyFig->setToolTip(tr("Put the current tab's figure on the clipboard, as a PNG at twice the screen resolution and as SVG"));
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* run = menuBar()->addMenu(tr("&Run"));
  QAction* runNow = run->addAction(tr("Run &Now"), workspace_, &Workspace::runNow);
  runNow->setShortcuts({QKeySequence(tr("Ctrl+Return")), QKeySequence(Qt::Key_F5)});
  runNow->setToolTip(tr("Run the current model on the input without waiting for a pause in typing"));
  QAction* focusInput = run->addAction(tr("Edit &Input"), this, [this] { editor_->setFocus(); });
  focusInput->setShortcut(QKeySequence(tr("Ctrl+L")));
  QAction* tokenIds = run->addAction(tr("Input Is Token &Ids"));
  tokenIds->setCheckable(true);
  tokenIds->setObjectName(QStringLiteral("tokenIdsAction"));
  tokenIds->setShortcut(QKeySequence(tr("Ctrl+Shift+T")));
  tokenIds->setToolTip(tr("Read the input of text models as token ids, exactly as typed, special tokens included "
                          "(\"101 7592 102\"; segment ids after a bar: \"101 7592 102 | 0 0 0\"), as --token-ids does: "
                          "to reproduce another implementation's input"));
  connect(tokenIds, &QAction::toggled, workspace_, &Workspace::setTokenIdsInput);
  connect(workspace_, &Workspace::tokenIdsInputChanged, this, [this, tokenIds](bool on) {
    tokenIds->setChecked(on);
    onModelChanged();  // the editor's placeholder says what to type
  });
  run->addSeparator();
  QAction* bf16 = run->addAction(tr("Transformers in &bfloat16"));
  bf16->setCheckable(true);
  bf16->setObjectName(QStringLiteral("bf16Action"));
  bf16->setToolTip(tr("Run transformers' (encoders' and ViTs') matrix products in bfloat16 (oneDNN): about twice as fast on CPUs with "
                      "avx512_bf16; attention differs from float32 by a few thousandths"));
  // Only where oneDNN runs bf16 products (ops/cpu_capabilities.h); elsewhere the tooltip names what is missing.
  if (const auto& cpu = attnviz::ops::cpuCapabilities(); !cpu.bf16) {
    bf16->setEnabled(false);
    bf16->setToolTip(tr("Not available on this CPU: %1").arg(QString::fromStdString(cpu.bf16Reason)));
  }
  connect(bf16, &QAction::toggled, workspace_, &Workspace::setBf16);
  connect(workspace_, &Workspace::bf16Changed, bf16, &QAction::setChecked);  // the setting lives in the Workspace
  run->addSeparator();
  QAction* limits = run->addAction(tr("&Limits…"), this, &MainWindow::limitsDialog);
  limits->setToolTip(tr("Tokens per input, image size, model file size and map cells drawn at full detail"));

  QMenu* view = menuBar()->addMenu(tr("&View"));
  QAction* dock = modelsDock_->toggleViewAction();
  dock->setShortcut(QKeySequence(tr("Ctrl+1")));
  view->addAction(dock);
  QAction* notes = notesDock_->toggleViewAction();
  notes->setShortcut(QKeySequence(tr("Ctrl+2")));
  notes->setToolTip(tr("Show or hide your notes on the current view"));
  view->addAction(notes);
  view->addSeparator();
  // Alt+arrows: plain keys would type into the input, and Ctrl+arrows move by words there.
  const auto stepAction = [this, view](const QString& text, const QString& keys, const QString& tip, auto step) {
    QAction* a = view->addAction(text, this, step);
    a->setShortcut(QKeySequence(keys));
    a->setToolTip(tip);
    return a;
  };
  stepAction(tr("&Next Layer"), tr("Alt+Down"), tr("Show the next attention layer in every panel"), [this] { workspace_->stepLayer(1); });
  stepAction(tr("&Previous Layer"), tr("Alt+Up"), tr("Show the previous attention layer"), [this] { workspace_->stepLayer(-1); });
  stepAction(tr("Next &Head"), tr("Alt+Right"), tr("Show the next attention head in every panel"), [this] { workspace_->stepHead(1); });
  stepAction(tr("Previous H&ead"), tr("Alt+Left"), tr("Show the previous attention head"), [this] { workspace_->stepHead(-1); });
  view->addSeparator();
  const auto zoomAction = [this, view](const QString& text, QKeySequence keys, Panel::ZoomStep step) {
    QAction* a = view->addAction(text, this, [this, step] {
      const auto& panels = panelArea_->panels();
      if (!panels.empty()) panels[static_cast<std::size_t>(panelArea_->currentPanelIndex())]->zoom(step);
    });
    a->setShortcut(keys);
    a->setToolTip(tr("Zoom the map of the current tab (heatmaps)"));
  };
  zoomAction(tr("Zoom &In"), QKeySequence::ZoomIn, Panel::ZoomStep::In);
  zoomAction(tr("Zoom &Out"), QKeySequence::ZoomOut, Panel::ZoomStep::Out);
  zoomAction(tr("Zoom to &Fit"), QKeySequence(tr("Ctrl+0")), Panel::ZoomStep::Fit);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  QAction* card = help->addAction(tr("Model &Card"), this, &MainWindow::showModelCard);
  card->setShortcut(QKeySequence(tr("Ctrl+Shift+I")));
  card->setToolTip(tr("What the current model is: architecture, training data, metrics and provenance"));
  QAction* keys = help->addAction(tr("&Keyboard Shortcuts"), this,
                                  [this] { showHelpPage(this, tr("Keyboard shortcuts"), shortcutsHtml(menuBar())); });
  keys->setShortcut(QKeySequence::HelpContents);
  help->addAction(tr("&About attnviz"), this, [this] { showHelpPage(this, tr("About attnviz"), aboutHtml()); });
}

}  // namespace attnviz::ui
