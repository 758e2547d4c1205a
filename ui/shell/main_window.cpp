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
#include <QScreen>
#include <QStatusBar>
#include <algorithm>
#include <functional>
#include <QStyle>
#include <QTabWidget>
#include <QVBoxLayout>

#include "engine/core/error.h"
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

// One message for model loads: a newer failure replaces the last (no stack of old failures), and a model that opens
// or becomes current clears it (an error about another model never stays under the one shown).
const char* const kLoadKey = "load";
const char* const kCardKey = "card";

// A file of a model folder (its attnviz.json, config.json, model.safetensors, ...) opens the folder; a .zip or a lone
// timm weight file opens itself (attnviz::modelPathForFile).
QString modelPathFor(const QString& picked) {
  return QString::fromStdString(attnviz::modelPathForFile(picked.toStdString()));
}

// The head's outputs in one line above the panels: a label with its probabilities (softmax, or independent sigmoids
// for a multi-label head), a regression score, the labels of the first tokens, a question-answering span.
// alignsPairs: a word aligner's model, whose target is the pair's other side, never a translation.
QString predictionText(const attnviz::Prediction& p, const std::vector<std::string>& tokens, bool alignsPairs) {
  if (p.empty()) return {};
  auto esc = [](const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); };
  QStringList parts;
  if (p.translation && alignsPairs)
    parts << QObject::tr("Target: <b>%1</b> <span style='color:#555'>(the aligner links it with the source; it "
                         "translates nothing)</span>").arg(esc(*p.translation));
  else if (p.translation && p.forced)  // the user's target, which the model was made to produce: never its translation
    parts << QObject::tr("Forced target: <b>%1</b> <span style='color:#555'>(the model was made to produce it; clear the "
                         "Target box for its own translation)</span>").arg(esc(*p.translation));
  else if (p.translation)
    parts << QObject::tr("Translation: <b>%1</b>").arg(esc(*p.translation));
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
  prediction_->setWordWrap(true);  // a long translation wraps: it must not widen the window past the screen
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
    messageBar_->clearMessage(QLatin1String(kLoadKey));
    recent_->add(path);
  });
  connect(workspace_, &Workspace::loadFailed, this, [this](const QString&, const Problem& problem) {
    messageBar_->showMessage(QLatin1String(kLoadKey), MessageBar::Error,
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
  resize(boundedToScreen(QSize(1180, 760)));
}

QSize MainWindow::boundedToScreen(QSize size) {
  // Room for a window manager's title bar (about 40 px) under the screen's available height.
  if (const QScreen* screen = QGuiApplication::primaryScreen()) size = size.boundedTo(screen->availableGeometry().size() - QSize(0, 40));
  return size;
}

MainWindow::~MainWindow() = default;

void MainWindow::showModelCard() {
  const ModelPtr model = workspace_->currentModel();
  if (!model) {
    messageBar_->showMessage(QLatin1String(kCardKey), MessageBar::Info, tr("No model is open: open one to see its card."));
    return;
  }
  const QString title = tr("Model card: %1").arg(QString::fromStdString(model->info().identity.name));
  if (card_) {
    updateHelpPage(card_, title, modelCardHtml(model->info()));
    card_->raise();
  } else {
    card_ = showHelpPage(this, title, modelCardHtml(model->info()));
  }
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
  // A file dialog picks files: any file of a model folder stands for the folder (modelPathFor). The filter offers what
  // opens: a package's attnviz.json, a checkpoint's config.json or weights, a .zip, a timm/DINO weight file. Pickles
  // (.bin, .pt) are never read, so they are not offered.
  const QString p = QFileDialog::getOpenFileName(
      this, tr("Open model — pick any file of a model folder, or a .zip"), lastDir_,
      tr("Models (attnviz.json config.json *.safetensors *.npz *.zip);;All files (*)"));
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
  // Messages about the model that was shown, or about none being open, are no longer true of this one.
  if (model) {
    messageBar_->clearMessage(QLatin1String(kLoadKey));
    messageBar_->clearMessage(QLatin1String(kCardKey));
  }
  // An open model card follows the current model (never shows the last one's); with none open it closes.
  if (card_ && model) showModelCard();
  else if (card_) card_->close();
  updateTitle();
  updateNotesView();
  const bool image = model && model->kind().can.image;
  // Only the inputs the current model reads (issue 18 item 11): an image model has no text box and no text file,
  // a text model no image actions. With no model open every input may be prepared.
  editor_->setVisible(!image);
  openTextAction_->setEnabled(!image);
  openImageAction_->setEnabled(!model || image);
  pasteImageAction_->setEnabled(!model || image);
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
  QString pred = trace ? predictionText(trace->prediction, trace->sourceTokens,
                                        kindCan(trace->model.kind, &KindCapabilities::alignsPairs))
                        : QString();
  const int hypothesis = workspace_->selection().hypothesis();
  if (trace && hypothesis > 0 && workspace_->trace())
    pred += tr(" <span style='color:#555'>(beam hypothesis %1 of %2)</span>").arg(hypothesis + 1).arg(workspace_->trace()->hypotheses.size());
  if (!pred.isEmpty() && workspace_->showsPreviousResult())
    pred = tr("<span style='color:#8a6d00'>[previous result]</span> ") + pred;
  prediction_->setText(pred);
  prediction_->setVisible(!pred.isEmpty());
  updateStatus();
}

void MainWindow::onRunErrorChanged(const QString& text) {
  if (text.isEmpty()) {
    messageBar_->clearMessage(QLatin1String(kRunKey));
  } else {
    // An input the model cannot use (an unreadable image, a text without words) is the input's problem, titled so;
    // "Inference failed" is for the model or the backend failing on a usable input.
    const Problem& problem = workspace_->runProblem();
    const bool input = problem.kind == QLatin1String(attnviz::kindName(attnviz::ErrorKind::Input));
    const bool image = kindCan(workspace_->currentKind(), &KindCapabilities::image);
    const QString title = !input ? tr("Inference failed") : image ? tr("Could not read the image") : tr("Cannot use this input");
    messageBar_->showMessage(QLatin1String(kRunKey), MessageBar::Error, tr("%1 — %2").arg(title, text));
  }
  onTraceChanged();  // the header says [previous result] while a failed run leaves the old one shown
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

void MainWindow::limitsDialog() {
  LimitsDialog dialog(workspace_->limits(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  dialog.limits().save();
  workspace_->setLimits(dialog.limits());
}

}  // namespace attnviz::ui
