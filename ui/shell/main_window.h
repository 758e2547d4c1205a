// MainWindow: the attnviz window. Models dock (left), input editor, inline message bar and the
// panel area (centre), status bar (model, last inference time, warnings). Owns its Workspace unless
// given one. File menu: Open model…/folder…, Open text file… (the input), Recent models, Open/Save session,
// Recent sessions, Export figure…, Export data…, Quit. Dropping a .txt file loads it as the input, an image
// is the vit input, a .attnviz file opens as the session; anything else opens as a model. The Notes dock
// (right) keeps the user's notes per model and tab, saved with the session.
//
//   MainWindow w;                      // or MainWindow w(&workspace);
//   w.workspace()->openModel(path);
//   w.show();
#pragma once

#include <QDialog>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <optional>

#include "ui/export/figure_export.h"
#include "ui/export/figure_style.h"
#include "ui/shell/pasted_images.h"

class QAction;
class QLabel;
class QMimeData;
class QMenu;
class QPlainTextEdit;

namespace attnviz::ui {

class MessageBar;
class ModelsDock;
class NotesDock;
class Panel;
class PanelArea;
class RecentFiles;
class SessionController;
class Workspace;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(Workspace* workspace = nullptr, QWidget* parent = nullptr);
  ~MainWindow() override;

  Workspace* workspace() const { return workspace_; }
  QPlainTextEdit* editor() const { return editor_; }
  // `size`, or less on a smaller screen: at 1280x720 the window, its status bar and map labels must fit.
  static QSize boundedToScreen(QSize size);
  MessageBar* messageBar() const { return messageBar_; }
  PanelArea* panelArea() const { return panelArea_; }
  ModelsDock* modelsDock() const { return modelsDock_; }
  RecentFiles* recentModels() const { return recent_; }
  RecentFiles* recentSessions() const { return recentSessions_; }
  NotesDock* notesDock() const { return notesDock_; }
  SessionController* sessions() const { return sessions_; }
  QString statusText() const;  // model · time · warnings, as the status bar shows it

  // What the menu actions do, without dialogs (tests, scripting). Failures also go to the message bar.
  // With a style (figure_style.h), the figure as the export dialog set it up; without, exactly as on screen.
  SaveResult exportFigureTo(const QString& path, const FigureOptions& options, int panelIndex = 0,
                            const std::optional<FigureStyle>& style = std::nullopt);
  SaveResult exportDataTo(const QString& path, int panelIndex = 0);  // .json: trace, .csv: shown matrix
  // The panel's figure (default: the current tab's) on the clipboard as PNG (2x) and SVG; false and a message if not.
  bool copyFigure(int panelIndex = -1);
  // Every panel of the current tab as one figure, arranged as on screen and labelled (a), (b), ... (layout_figure.h).
  SaveResult exportLayoutFigureTo(const QString& path, const FigureOptions& options,
                                  const std::optional<FigureStyle>& style = std::nullopt);

  // What the export dialogs propose: model and first words of the input, in exportFolder() (export_folder.h).
  QString suggestedFileName(const QString& suffix) const;

  // Reads a UTF-8 text file (up to kMaxTextFileBytes) into the input editor; false and a message if it cannot.
  bool openTextFile(const QString& path);
  void openImage(const QString& path);  // the input of vit models
  // The clipboard's image (pixels, or a copied image file) as the vit input; false and a message when it holds none.
  bool pasteImage(const QMimeData* clipboard);
  static constexpr std::size_t kMaxTextFileBytes = 4u << 20;

  void openModelDialog();
  void openTextFileDialog();
  void openImageDialog();
  void openModelFolderDialog();
  void exportFigureDialog();
  void exportDataDialog();
  void exportLayoutFigureDialog();  // File > Export Layout Figure…: format, size (default: the tab's), DPI
  void openSessionDialog();
  bool saveSession();        // to the session's file, or asks for one when there is none
  bool saveSessionAsDialog();
  bool saveSessionTo(const QString& path);  // a message on failure
  void limitsDialog();  // Run > Limits…: applies and saves what the user accepts
  void showModelCard();  // Help > Model Card of the current model (a message when none is open)

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;  // Ctrl+V of an image in the input editor

 private:
  void buildMenus();
  void rebuildRecentMenu();
  void rebuildRecentSessionsMenu();
  void updateNotesView();
  void updateTitle();
  void onTraceChanged();
  void onRunErrorChanged(const QString& text);
  void onModelChanged();
  void onInputTextChanged(const QString& text);
  void updateStatus();
  void reportExport(const SaveResult& result, const QString& path, const QString& how = {});
  Panel* panelAt(int index) const;

  Workspace* workspace_ = nullptr;
  RecentFiles* recent_ = nullptr;
  RecentFiles* recentSessions_ = nullptr;
  NotesDock* notesDock_ = nullptr;
  SessionController* sessions_ = nullptr;
  ModelsDock* modelsDock_ = nullptr;
  PanelArea* panelArea_ = nullptr;
  MessageBar* messageBar_ = nullptr;
  QPlainTextEdit* editor_ = nullptr;
  // Input actions that apply to one kind of model only: enabled when the current model reads that input.
  QAction* openTextAction_ = nullptr;
  QAction* openImageAction_ = nullptr;
  QAction* pasteImageAction_ = nullptr;
  QLabel* prediction_ = nullptr;
  QPointer<QDialog> card_;  // Help > Model Card while it is open: it follows the current model
  QLabel* modelLabel_ = nullptr;
  QLabel* timeLabel_ = nullptr;
  QLabel* warningLabel_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QMenu* recentSessionsMenu_ = nullptr;
  QString lastDir_;
  bool syncingEditor_ = false;
  PastedImages pasted_;
  QTimer loadingNotice_;  // shows the loading message with Cancel once a load takes long
};

}  // namespace attnviz::ui
