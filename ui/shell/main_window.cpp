#include "ui/shell/main_window.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScopedValueRollback>
#include <QStatusBar>
#include <algorithm>
#include <functional>
#include <QStyle>
#include <QTabWidget>
#include <QVBoxLayout>

#include "engine/core/text_file.h"
#include "engine/ops/cpu_capabilities.h"
#include "ui/kinds/kind_ui.h"
#include "ui/export/confirm_replace.h"
#include "ui/export/data_export.h"
#include "ui/shell/editor_token_link.h"
#include "ui/export/export_dialog.h"
#include "ui/shell/help_pages.h"
#include "ui/export/layout_figure.h"
#include "ui/shell/limits_dialog.h"
#include "ui/shell/message_bar.h"
#include "ui/shell/models_dock.h"
#include "ui/shell/notes_dock.h"
#include "ui/panels/panel_area.h"
#include "ui/shell/recent_files.h"
#include "ui/shell/session_controller.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

constexpr int kEditorLines = 3;
const char* const kRunKey = "run";
const char* const kExportKey = "export";
const char* const kTextFileKey = "textfile";
const char* const kPasteKey = "paste";
const char* const kLoadingKey = "loading";
constexpr int kLoadingNoticeMs = 700;

bool isTextFile(const QString& path) { return QFileInfo(path).suffix().compare(QLatin1String("txt"), Qt::CaseInsensitive) == 0; }
bool isSessionFile(const QString& path) { return QFileInfo(path).suffix().compare(QLatin1String("attnviz"), Qt::CaseInsensitive) == 0; }
bool isImageFile(const QString& path) {
  // npy: preprocessed pixels (Input::Kind::Pixels), run as they are
  static const QStringList kImages = {"png", "jpg", "jpeg", "bmp", "gif", "webp", "tif", "tiff", "pgm", "ppm", "npy"};
  return kImages.contains(QFileInfo(path).suffix().toLower());
}

// A recent-files menu: "&1 path" entries that call open(path), "(none)" when there are none, and Clear List.
void fillRecentMenu(QMenu* menu, RecentFiles* recent, const std::function<void(const QString&)>& open) {
  menu->clear();
  const QStringList paths = recent->paths();
  for (int i = 0; i < paths.size(); ++i) {
    const QString& p = paths[i];
    QAction* a = menu->addAction(QStringLiteral("&%1 %2").arg(i + 1).arg(QDir::toNativeSeparators(p)));
    QObject::connect(a, &QAction::triggered, menu, [open, p] { open(p); });
  }
  if (paths.isEmpty()) menu->addAction(QObject::tr("(none)"))->setEnabled(false);
  menu->addSeparator();
  menu->addAction(QObject::tr("&Clear List"), recent, &RecentFiles::clear)->setEnabled(!paths.isEmpty());
}

QString loadKey(const QString& path) { return QStringLiteral("load:") + path; }

// A file inside a model folder (its attnviz.json, say) opens the folder.
QString modelPathFor(const QString& picked) {
  const QFileInfo fi(picked);
  if (fi.isFile() && fi.fileName() == QLatin1String("attnviz.json")) return fi.absolutePath();
  return picked;
}

// The head's outputs in one line above the panels: a label with its probabilities (softmax, or independent sigmoids
// for a multi-label head), a regression score, the labels of the first tokens, a question-answering span.
QString predictionText(const attnviz::Prediction& p, const std::vector<std::string>& tokens) {
  if (p.empty()) return {};
  auto esc = [](const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); };
  QStringList parts;
  if (p.translation) parts << QObject::tr("Translation: <b>%1</b>").arg(esc(*p.translation));
  if (p.label) parts << QObject::tr("Prediction: <b>%1</b>").arg(esc(*p.label));
  if (!p.probabilities.empty()) {
    QStringList probs;
    for (const auto& [label, prob] : p.probabilities) probs << QStringLiteral("%1 %2").arg(esc(label), QString::number(prob, 'f', 3));
    parts << QStringLiteral("<span style='color:#555'>(%1%2)</span>")
                 .arg(p.multiLabel ? QObject::tr("multi-label, independent sigmoids: ") : QString(), probs.join(QStringLiteral(" · ")));
  }
  if (!p.scores.empty()) {
    QStringList scores;
    for (const auto& [label, score] : p.scores) scores << QStringLiteral("%1 = <b>%2</b>").arg(esc(label), QString::number(score, 'g', 5));
    parts << QObject::tr("Score (regression head, not a probability): %1").arg(scores.join(QStringLiteral(", ")));
  }
  if (!p.tokenLabels.empty()) {
    constexpr std::size_t kShown = 12;  // the rest is in the data export
    QStringList labelled;
    for (std::size_t i = 0; i < p.tokenLabels.size() && labelled.size() < static_cast<int>(kShown); ++i)
      if (i < tokens.size()) labelled << QStringLiteral("%1/<b>%2</b>").arg(esc(tokens[i]), esc(p.tokenLabels[i]));
    const std::size_t rest = p.tokenLabels.size() - static_cast<std::size_t>(labelled.size());
    parts << QObject::tr("Token labels: %1%2").arg(labelled.join(QLatin1Char(' ')),
                                                   rest ? QObject::tr(" … (%1 more; Export Data has all)").arg(rest) : QString());
  }
  if (p.answer)
    parts << QObject::tr("Answer: <b>%1</b> <span style='color:#555'>(tokens %2–%3 counting from 1, p(start)·p(end) = %4)</span>")
                 .arg(esc(p.answer->text))
                 .arg(p.answer->start + 1)
                 .arg(p.answer->end + 1)
                 .arg(QString::number(p.answer->score, 'f', 3));
  return parts.join(QLatin1Char(' '));
}

}  // namespace

MainWindow::MainWindow(Workspace* workspace, QWidget* parent)
    : QMainWindow(parent), workspace_(workspace ? workspace : new Workspace(this)) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowTitle(tr("attnviz"));
  setWindowIcon(QIcon(QStringLiteral(":/attnviz/icons/attnviz.svg")));
  setAcceptDrops(true);
  lastDir_ = QDir::currentPath();
  recent_ = new RecentFiles(QStringLiteral("recentModels"), this);
  recentSessions_ = new RecentFiles(QStringLiteral("recentSessions"), this);

  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(6, 6, 6, 2);
  layout->setSpacing(4);
  editor_ = new QPlainTextEdit(central);
  editor_->setObjectName(QStringLiteral("inputEditor"));
  editor_->setPlaceholderText(tr("Type a sentence; the panels update as you type."));
  editor_->setToolTip(tr("Input text. Each pause in typing runs the current model on it"));
  editor_->setTabChangesFocus(true);
  editor_->installEventFilter(this);  // Ctrl+V of an image
  QFont editorFont = editor_->font();
  editorFont.setPointSizeF(editorFont.pointSizeF() * 1.15);
  editor_->setFont(editorFont);
  editor_->setFixedHeight(QFontMetrics(editorFont).lineSpacing() * kEditorLines + 14);
  new EditorTokenLink(editor_, workspace_, editor_);  // hover a word: its token is focused everywhere
  prediction_ = new QLabel(central);
  prediction_->setObjectName(QStringLiteral("prediction"));
  prediction_->setTextFormat(Qt::RichText);
  prediction_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  messageBar_ = new MessageBar(central);
  panelArea_ = new PanelArea(central);
  panelArea_->setWorkspace(workspace_);
  layout->addWidget(editor_);
  layout->addWidget(prediction_);
  layout->addWidget(messageBar_);
  layout->addWidget(panelArea_, 1);
  setCentralWidget(central);

  modelsDock_ = new ModelsDock(workspace_, recent_, this);
  addDockWidget(Qt::LeftDockWidgetArea, modelsDock_);
  resizeDocks({modelsDock_}, {230}, Qt::Horizontal);
  notesDock_ = new NotesDock(this);
  addDockWidget(Qt::RightDockWidgetArea, notesDock_);
  notesDock_->hide();  // View > Notes (Ctrl+2); a session remembers whether it was open
  sessions_ = new SessionController(this);

  modelLabel_ = new QLabel(this);
  timeLabel_ = new QLabel(this);
  timeLabel_->setToolTip(tr("Time the last inference took"));
  warningLabel_ = new QLabel(this);
  statusBar()->addWidget(modelLabel_, 1);
  statusBar()->addPermanentWidget(warningLabel_);
  statusBar()->addPermanentWidget(timeLabel_);

  buildMenus();

  connect(editor_, &QPlainTextEdit::textChanged, this, [this] {
    if (!syncingEditor_) workspace_->setInputText(editor_->toPlainText());
  });
  connect(workspace_, &Workspace::inputTextChanged, this, &MainWindow::onInputTextChanged);
  connect(workspace_, &Workspace::shownTraceChanged, this, &MainWindow::onTraceChanged);
  connect(workspace_, &Workspace::runErrorChanged, this, &MainWindow::onRunErrorChanged);
  connect(workspace_, &Workspace::runningChanged, this, &MainWindow::updateStatus);
  connect(workspace_, &Workspace::currentModelChanged, this, &MainWindow::onModelChanged);
  connect(workspace_, &Workspace::loadingChanged, this, &MainWindow::updateStatus);
  // A load that takes a while gets a message with Cancel (a quick one never flashes it).
  loadingNotice_.setSingleShot(true);
  loadingNotice_.setInterval(kLoadingNoticeMs);
  connect(&loadingNotice_, &QTimer::timeout, this, [this] {
    messageBar_->showMessage(QLatin1String(kLoadingKey), MessageBar::Info,
                             tr("Loading the model… (large checkpoints take a while; the window stays usable)"));
    messageBar_->addButton(QLatin1String(kLoadingKey), tr("Cancel"), [this] { workspace_->cancelLoads(); });
  });
  connect(workspace_, &Workspace::loadingChanged, this, [this](bool loading) {
    if (loading) {
      loadingNotice_.start();
    } else {
      loadingNotice_.stop();
      messageBar_->clearMessage(QLatin1String(kLoadingKey));
    }
  });
  connect(workspace_, &Workspace::modelOpened, this, [this](int, const QString& path) {
    messageBar_->clearMessage(loadKey(path));
    recent_->add(path);
  });
  connect(workspace_, &Workspace::loadFailed, this, [this](const QString& path, const Problem& problem) {
    messageBar_->showMessage(loadKey(path), MessageBar::Error,
                             tr("Could not open the model — %1: %2").arg(problem.kind, problem.text()));
  });
  connect(modelsDock_, &ModelsDock::openRequested, this, &MainWindow::openModelDialog);
  connect(recent_, &RecentFiles::changed, this, &MainWindow::rebuildRecentMenu);
  connect(recentSessions_, &RecentFiles::changed, this, &MainWindow::rebuildRecentSessionsMenu);
  connect(sessions_, &SessionController::pathChanged, this, [this](const QString& path) {
    recentSessions_->add(path);
    updateTitle();
  });
  connect(panelArea_, &PanelArea::panelsChanged, this, &MainWindow::updateNotesView);
  connect(panelArea_->tabs(), &QTabWidget::currentChanged, this, &MainWindow::updateNotesView);

  onInputTextChanged(workspace_->inputText());
  onModelChanged();
  resize(1180, 760);
}

MainWindow::~MainWindow() = default;

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
  QAction* openText = file->addAction(tr("Open &Text File…"), this, &MainWindow::openTextFileDialog);
  openText->setShortcut(QKeySequence(tr("Ctrl+T")));
  openText->setToolTip(tr("Load a .txt file (a review, a document) as the input"));
  QAction* openImageAction = file->addAction(tr("Open &Image…"), this, &MainWindow::openImageDialog);
  openImageAction->setShortcut(QKeySequence(tr("Ctrl+I")));
  openImageAction->setToolTip(tr("Choose the image Vision Transformer (vit) models run on (PNG, JPEG, BMP, ...)"));
  QAction* pasteImageAction = file->addAction(tr("&Paste Image"), this, [this] { pasteImage(QApplication::clipboard()->mimeData()); });
  pasteImageAction->setObjectName(QStringLiteral("pasteImageAction"));
  pasteImageAction->setShortcut(QKeySequence(tr("Ctrl+Shift+V")));
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

void MainWindow::showModelCard() {
  const ModelPtr model = workspace_->currentModel();
  if (!model) {
    messageBar_->showMessage(QStringLiteral("card"), MessageBar::Info, tr("No model is open: open one to see its card."));
    return;
  }
  showHelpPage(this, tr("Model card: %1").arg(QString::fromStdString(model->info().identity.name)), modelCardHtml(model->info()));
}

void MainWindow::rebuildRecentMenu() {
  fillRecentMenu(recentMenu_, recent_, [this](const QString& path) { workspace_->openModel(path); });
}

void MainWindow::rebuildRecentSessionsMenu() {
  fillRecentMenu(recentSessionsMenu_, recentSessions_, [this](const QString& path) { sessions_->open(path); });
}

void MainWindow::openSessionDialog() {
  const QString p = QFileDialog::getOpenFileName(this, tr("Open session"), lastDir_, tr("attnviz sessions (*.attnviz);;All files (*)"));
  if (p.isEmpty()) return;
  lastDir_ = QFileInfo(p).absolutePath();
  sessions_->open(p);
}

bool MainWindow::saveSession() { return sessions_->path().isEmpty() ? saveSessionAsDialog() : saveSessionTo(sessions_->path()); }

bool MainWindow::saveSessionAsDialog() {
  const QString start = sessions_->path().isEmpty() ? suggestedFileName(QStringLiteral("attnviz")) : sessions_->path();
  QString p = QFileDialog::getSaveFileName(this, tr("Save session"), start, tr("attnviz sessions (*.attnviz)"));
  if (p.isEmpty()) return false;
  if (QFileInfo(p).suffix().isEmpty()) {
    p += QStringLiteral(".attnviz");
    if (!confirmReplace(this, p)) return false;  // the file dialog asked about the name without the suffix
  }
  lastDir_ = QFileInfo(p).absolutePath();
  return saveSessionTo(p);
}

bool MainWindow::saveSessionTo(const QString& path) {
  const SaveResult r = sessions_->save(path);
  reportExport(r, path);
  return r.ok;
}

void MainWindow::updateNotesView() {
  const int current = workspace_->currentIndex();
  const QString model = current >= 0 ? workspace_->models()[static_cast<std::size_t>(current)].path : QString();
  const QTabWidget* tabs = panelArea_->tabs();
  notesDock_->setView(model, tabs->count() > 0 ? tabs->tabText(tabs->currentIndex()) : QString());
}

void MainWindow::updateTitle() {
  const auto model = workspace_->currentModel();
  QStringList parts;
  if (!sessions_->path().isEmpty()) parts << QFileInfo(sessions_->path()).fileName();
  if (model) parts << QString::fromStdString(model->info().identity.name);
  parts << tr("attnviz");
  setWindowTitle(parts.join(QStringLiteral(" — ")));
}

void MainWindow::openModelDialog() {
  const QString p = QFileDialog::getOpenFileName(
      this, tr("Open model"), lastDir_,
      tr("Models (*.zip *.safetensors *.bin *.pt attnviz.json config.json);;All files (*)"));
  if (p.isEmpty()) return;
  lastDir_ = QFileInfo(p).absolutePath();
  workspace_->openModel(modelPathFor(p));
}

void MainWindow::openTextFileDialog() {
  const QString p = QFileDialog::getOpenFileName(this, tr("Open text file"), lastDir_, tr("Text (*.txt);;All files (*)"));
  if (p.isEmpty()) return;
  lastDir_ = QFileInfo(p).absolutePath();
  openTextFile(p);
}

bool MainWindow::openTextFile(const QString& path) {
  try {
    const std::string bytes = attnviz::readTextFile(path.toStdString(), kMaxTextFileBytes, "text files");
    const QString text = QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size()));
    messageBar_->clearMessage(QLatin1String(kTextFileKey));
    editor_->setPlainText(text);  // the editor's textChanged sets the Workspace's input
    workspace_->runNow();
    return true;
  } catch (...) {
    const Problem problem = Problem::fromCurrentException();
    messageBar_->showMessage(QLatin1String(kTextFileKey), MessageBar::Error, tr("Could not open the text file — %1").arg(problem.text()));
    return false;
  }
}

void MainWindow::openImageDialog() {
  const QString p = QFileDialog::getOpenFileName(this, tr("Open image"), lastDir_,
                                                 tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp *.tif *.tiff *.pgm *.ppm);;"
                                                    "Preprocessed pixels, float32 [3, H, W] (*.npy);;All files (*)"));
  if (p.isEmpty()) return;
  lastDir_ = QFileInfo(p).absolutePath();
  openImage(p);
}

void MainWindow::openImage(const QString& path) {
  workspace_->setImagePath(path);
  statusBar()->showMessage(tr("Image for vit models: %1").arg(QDir::toNativeSeparators(path)), 5000);
}

bool MainWindow::pasteImage(const QMimeData* clipboard) {
  QString problem = tr("the clipboard holds no image");
  if (clipboard && clipboard->hasUrls()) {  // a file copied in a file manager
    for (const QUrl& url : clipboard->urls()) {
      if (url.isLocalFile() && isImageFile(url.toLocalFile())) {
        messageBar_->clearMessage(QLatin1String(kPasteKey));
        openImage(url.toLocalFile());
        return true;
      }
    }
  }
  if (clipboard && clipboard->hasImage()) {
    const QString path = pasted_.save(qvariant_cast<QImage>(clipboard->imageData()), workspace_->limits().maxImagePixels, &problem);
    if (!path.isEmpty()) {
      messageBar_->clearMessage(QLatin1String(kPasteKey));
      openImage(path);
      return true;
    }
  }
  messageBar_->showMessage(QLatin1String(kPasteKey), MessageBar::Error, tr("Could not paste an image — %1").arg(problem));
  return false;
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  // Ctrl+V in the input with image pixels and no text in the clipboard, or a copied image file while a vit model is
  // current: the image is what the user means.
  if (watched == editor_ && event->type() == QEvent::KeyPress && static_cast<QKeyEvent*>(event)->matches(QKeySequence::Paste)) {
    const QMimeData* clipboard = QApplication::clipboard()->mimeData();
    const bool imageFile = clipboard && clipboard->hasUrls() && !clipboard->urls().isEmpty() &&
                           clipboard->urls().front().isLocalFile() && isImageFile(clipboard->urls().front().toLocalFile());
    const bool imageModel = kindCan(workspace_->currentKind(), &KindCapabilities::image);
    if (clipboard && ((clipboard->hasImage() && !clipboard->hasText()) || (imageFile && imageModel))) {
      pasteImage(clipboard);
      return true;
    }
  }
  return QMainWindow::eventFilter(watched, event);
}

void MainWindow::openModelFolderDialog() {
  const QString p = QFileDialog::getExistingDirectory(this, tr("Open model folder"), lastDir_);
  if (p.isEmpty()) return;
  lastDir_ = QFileInfo(p).absolutePath();
  workspace_->openModel(p);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  const QMimeData* mime = event->mimeData();
  if (!mime->hasUrls()) return;
  for (const QUrl& url : mime->urls()) {
    if (url.isLocalFile()) {
      event->acceptProposedAction();
      return;
    }
  }
}

void MainWindow::dropEvent(QDropEvent* event) {
  for (const QUrl& url : event->mimeData()->urls()) {
    if (!url.isLocalFile()) continue;
    if (isSessionFile(url.toLocalFile())) sessions_->open(url.toLocalFile());
    else if (isTextFile(url.toLocalFile())) openTextFile(url.toLocalFile());
    else if (isImageFile(url.toLocalFile())) openImage(url.toLocalFile());
    else workspace_->openModel(modelPathFor(url.toLocalFile()));
  }
  event->acceptProposedAction();
}

void MainWindow::onInputTextChanged(const QString& text) {
  if (editor_->toPlainText() == text) return;
  const QScopedValueRollback guard(syncingEditor_, true);
  editor_->setPlainText(text);
}

void MainWindow::onModelChanged() {
  const auto model = workspace_->currentModel();
  updateTitle();
  updateNotesView();
  const bool image = model && model->kind().can.image;
  editor_->setPlaceholderText(image ? tr("This model reads an image, not text: File > Open Image (Ctrl+I) or drop an image "
                                         "on the window.")
                                    : model && model->info().tokenIdsOnly && !workspace_->tokenIdsInput()
                                        ? tr("This model has no tokenizer (vocab.txt or tokenizer.json), so it reads token ids, not "
                                             "text: switch on Run > Input Is Token Ids (Ctrl+Shift+T) and type them, e.g. 2 45 17 3.")
                                    : workspace_->tokenIdsInput()
                                        ? tr("Type token ids, exactly as the model should get them, special tokens included: "
                                             "101 7592 102 (segment ids after a bar: 101 7592 102 | 0 0 0). Run > Input Is "
                                             "Token Ids switches back to text.")
                                        : tr("Type a sentence; the panels update as you type."));
  onTraceChanged();
}

void MainWindow::onTraceChanged() {
  const TracePtr trace = workspace_->shownTrace();
  QString pred = trace ? predictionText(trace->prediction, trace->sourceTokens) : QString();
  const int hypothesis = workspace_->selection().hypothesis();
  if (trace && hypothesis > 0 && workspace_->trace())
    pred += tr(" <span style='color:#555'>(beam hypothesis %1 of %2)</span>").arg(hypothesis + 1).arg(workspace_->trace()->hypotheses.size());
  prediction_->setText(pred);
  prediction_->setVisible(!pred.isEmpty());
  updateStatus();
}

void MainWindow::onRunErrorChanged(const QString& text) {
  if (text.isEmpty()) {
    messageBar_->clearMessage(QLatin1String(kRunKey));
  } else {
    messageBar_->showMessage(QLatin1String(kRunKey), MessageBar::Error, tr("Inference failed — %1").arg(text));
  }
}

void MainWindow::updateStatus() {
  const auto model = workspace_->currentModel();
  QString m;
  if (workspace_->isLoading()) m = tr("Loading model…");
  else if (model) {
    const auto& id = model->info().identity;
    m = QString::fromStdString(id.name) + QStringLiteral(" · ") + QString::fromStdString(id.kind);
    if (!id.variant.empty()) m += QStringLiteral(" · ") + QString::fromStdString(id.variant);
  } else {
    m = tr("No model open");
  }
  if (workspace_->isRunning()) m += tr("   running…");
  modelLabel_->setText(m);
  const TracePtr trace = workspace_->trace();
  timeLabel_->setText(trace ? tr("inference %1 ms").arg(trace->inferenceMs, 0, 'f', 1) : QString());
  if (trace && !trace->warnings.empty()) {
    QStringList w;
    for (const auto& s : trace->warnings) w << QString::fromStdString(s);
    warningLabel_->setText(QStringLiteral("⚠ ") + w.join(QStringLiteral("; ")));
    warningLabel_->setToolTip(w.join(QLatin1Char('\n')));
    warningLabel_->setStyleSheet(QStringLiteral("color: #9a6700;"));
  } else {
    warningLabel_->clear();
    warningLabel_->setToolTip({});
  }
}

QString MainWindow::statusText() const {
  QStringList parts{modelLabel_->text()};
  if (!warningLabel_->text().isEmpty()) parts << warningLabel_->text();
  if (!timeLabel_->text().isEmpty()) parts << timeLabel_->text();
  return parts.join(QStringLiteral(" | "));
}

Panel* MainWindow::panelAt(int index) const {
  const auto& panels = panelArea_->panels();
  return index >= 0 && index < static_cast<int>(panels.size()) ? panels[index] : nullptr;
}

QString MainWindow::suggestedFileName(const QString& suffix) const {
  const auto model = workspace_->currentModel();
  QString base = model ? QString::fromStdString(model->info().identity.name) : QStringLiteral("attnviz");
  const QString words = workspace_->inputText().simplified().section(QLatin1Char(' '), 0, 3);
  if (!words.isEmpty()) base += QLatin1Char('-') + words;
  base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]+")), QStringLiteral("-"));
  return QDir(lastDir_).filePath(base + QLatin1Char('.') + suffix);
}

void MainWindow::reportExport(const SaveResult& result, const QString& path) {
  if (result) {
    messageBar_->clearMessage(QLatin1String(kExportKey));
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
  } else {
    messageBar_->showMessage(QLatin1String(kExportKey), MessageBar::Error, result.error);
  }
}

SaveResult MainWindow::exportFigureTo(const QString& path, const FigureOptions& options, int panelIndex,
                                      const std::optional<FigureStyle>& style) {
  SaveResult r;
  if (Panel* panel = panelAt(panelIndex)) {
    FigureOptions o = options;
    if (o.title.isEmpty()) o.title = panel->panelTitle();
    r = exportFigure(path, o, [panel, &style](QPainter& p, const QRectF& rect) {
      if (style) paintFigureWithStyle(*panel, p, rect, *style);
      else panel->paintFigure(p, rect);
    });
  } else {
    r = {false, tr("Could not write %1: there is no panel to export").arg(path)};
  }
  reportExport(r, path);
  return r;
}

SaveResult MainWindow::exportDataTo(const QString& path, int panelIndex) {
  SaveResult r;
  const QString suffix = QFileInfo(path).suffix().toLower();
  const TracePtr trace = workspace_->trace();
  const Panel* own = panelAt(panelIndex);
  const QByteArray ownData = own ? own->exportData(suffix) : QByteArray();
  if (!ownData.isEmpty()) {
    r = writeBytes(path, ownData);  // the panel's own data, e.g. a whole comparison
  } else if (suffix == QLatin1String("tex")) {
    r = {false, tr("Could not write %1: only the Saliency tab of a han model with a document gives a LaTeX snippet").arg(path)};
  } else if (suffix == QLatin1String("csv")) {
    const Panel* panel = panelAt(panelIndex);
    const auto matrix = panel ? panel->shownMatrix() : std::nullopt;
    r = matrix ? writeMatrixCsv(path, *matrix) : SaveResult{false, tr("Could not write %1: no matrix is shown").arg(path)};
  } else if (!trace) {
    r = {false, tr("Could not write %1: there is no trace yet (open a model and type a sentence)").arg(path)};
  } else {
    // What was derived from the trace (the shown rollout, flow, occlusion) belongs in the file too, as `attnviz run
    // --rollout/--flow/--occlusion` writes it.
    r = writeTraceJson(path, workspace_->traceWithDerivedResults());
  }
  reportExport(r, path);
  return r;
}

void MainWindow::exportFigureDialog() {
  const auto& panels = panelArea_->panels();
  if (panels.empty()) return;
  const std::vector<const Panel*> shown(panels.begin(), panels.end());
  ExportDialog dialog(shown, panelArea_->currentPanelIndex(), suggestedFileName(QStringLiteral("png")), this);
  if (dialog.exec() != QDialog::Accepted) return;
  lastDir_ = QFileInfo(dialog.path()).absolutePath();
  exportFigureTo(dialog.path(), dialog.options(), dialog.panelIndex(), dialog.style());
}

SaveResult MainWindow::exportLayoutFigureTo(const QString& path, const FigureOptions& options) {
  const LayoutFigure figure = LayoutFigure::ofPage(panelArea_->tabs()->currentWidget(), panelArea_->panels());
  SaveResult r;
  if (figure.empty()) {
    r = {false, tr("Could not write %1: no panel of the current tab is on screen").arg(path)};
  } else {
    FigureOptions o = options;
    if (o.title.isEmpty()) o.title = panelArea_->tabs()->tabText(panelArea_->tabs()->currentIndex()).remove(QLatin1Char('&'));
    r = exportFigure(path, o, [&figure](QPainter& p, const QRectF& rect) { figure.paint(p, rect); });
  }
  reportExport(r, path);
  return r;
}

void MainWindow::exportLayoutFigureDialog() {
  const QWidget* page = panelArea_->tabs()->currentWidget();
  if (!page) return;
  const QString tab = panelArea_->tabs()->tabText(panelArea_->tabs()->currentIndex()).remove(QLatin1Char('&'));
  ExportDialog dialog({tr("All panels of the “%1” tab").arg(tab)}, QSizeF(page->size()), suggestedFileName(QStringLiteral("png")), this);
  if (dialog.exec() != QDialog::Accepted) return;
  lastDir_ = QFileInfo(dialog.path()).absolutePath();
  exportLayoutFigureTo(dialog.path(), dialog.options());
}

bool MainWindow::copyFigure(int panelIndex) {
  const auto& panels = panelArea_->panels();
  if (panels.empty()) return false;
  if (panelIndex < 0) panelIndex = panelArea_->currentPanelIndex();
  const Panel* panel = panels[static_cast<std::size_t>(std::clamp(panelIndex, 0, static_cast<int>(panels.size()) - 1))];
  const FigurePainter paint = [panel](QPainter& p, const QRectF& rect) { panel->paintFigure(p, rect); };
  FigureOptions o{FigureFormat::Png, panel->figureSize(), 192, panel->panelTitle()};  // 2x: crisp when pasted
  QString error;
  const QByteArray png = figureBytes(o, paint, &error);
  o.format = FigureFormat::Svg;
  const QByteArray svg = png.isEmpty() ? QByteArray() : figureBytes(o, paint, &error);
  if (png.isEmpty() || svg.isEmpty()) {
    messageBar_->showMessage(QLatin1String(kExportKey), MessageBar::Error, tr("Could not copy the figure — %1").arg(error));
    return false;
  }
  auto* mime = new QMimeData;
  mime->setImageData(QImage::fromData(png, "PNG"));
  mime->setData(QStringLiteral("image/png"), png);
  mime->setData(QStringLiteral("image/svg+xml"), svg);
  QApplication::clipboard()->setMimeData(mime);
  messageBar_->clearMessage(QLatin1String(kExportKey));
  statusBar()->showMessage(tr("Copied “%1” to the clipboard (PNG and SVG)").arg(panel->panelTitle()), 4000);
  return true;
}

void MainWindow::limitsDialog() {
  LimitsDialog dialog(workspace_->limits(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  dialog.limits().save();
  workspace_->setLimits(dialog.limits());
}

void MainWindow::exportDataDialog() {
  const QString csv = tr("CSV of the shown matrix (*.csv)");
  const QString json = tr("JSON trace, one object (*.json)");
  const QString tex = tr("LaTeX snippet of the saliency view (*.tex)");
  const Panel* current = panelAt(panelArea_->currentPanelIndex());
  const bool hasTex = current && !current->exportData(QStringLiteral("tex")).isEmpty();
  QString filter = csv;
  QString p = QFileDialog::getSaveFileName(this, tr("Export data"), suggestedFileName(QStringLiteral("csv")),
                                           csv + QStringLiteral(";;") + json + (hasTex ? QStringLiteral(";;") + tex : QString()), &filter);
  if (p.isEmpty()) return;
  if (QFileInfo(p).suffix().isEmpty()) {
    p += filter == json ? QStringLiteral(".json") : filter == tex ? QStringLiteral(".tex") : QStringLiteral(".csv");
    if (!confirmReplace(this, p)) return;  // the file dialog asked about the name without the suffix
  }
  lastDir_ = QFileInfo(p).absolutePath();
  exportDataTo(p, panelArea_->currentPanelIndex());
}

}  // namespace attnviz::ui
