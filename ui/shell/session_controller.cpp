#include "ui/shell/session_controller.h"

#include <QFileInfo>
#include <QIODevice>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>

#include "engine/ops/cpu_capabilities.h"
#include "ui/kinds/kind_ui.h"
#include "ui/shell/main_window.h"
#include "ui/shell/message_bar.h"
#include "ui/shell/notes_dock.h"
#include "ui/panels/panel_area.h"
#include "ui/panels/panel_controls.h"
#include "ui/document/problem.h"
#include "ui/document/workspace.h"

namespace attnviz::ui {
namespace {

const char* const kMessageKey = "session";
const char* const kBf16MessageKey = "session-bf16";
constexpr int kTraceWaitMs = 60000;  // the view is applied anyway when no trace comes (a model too slow, say)

// The splitters of one tab: the page itself (main panels) first, then the side column.
QList<QSplitter*> splittersOf(QWidget* page) {
  QList<QSplitter*> out;
  if (auto* s = qobject_cast<QSplitter*>(page)) out << s;
  out << page->findChildren<QSplitter*>();
  return out;
}

QString splitterKey(const QString& tab, int index) { return QStringLiteral("%1/%2").arg(tab).arg(index); }

}  // namespace

SessionController::SessionController(MainWindow* window) : QObject(window), window_(window) {
  Workspace* ws = window_->workspace();
  connect(ws, &Workspace::modelOpened, this, [this](int, const QString& path) {
    if (pending_ && waitingFor_.removeAll(path) > 0) onModelSettled();
  });
  connect(ws, &Workspace::loadFailed, this, [this](const QString& path, const Problem&) {
    if (!pending_ || waitingFor_.removeAll(path) == 0) return;
    missing_ << path;
    onModelSettled();
  });
  connect(ws, &Workspace::traceChanged, this, [this, ws] {
    // Queued: the panels refresh on this trace first (this controller's slots run before theirs), so controls filled
    // from it, such as the alignment view's layer and head boxes, hold their items when they are restored.
    if (waitingForTrace_ && ws->trace() && !ws->isRunning())
      QMetaObject::invokeMethod(this, &SessionController::finish, Qt::QueuedConnection);
  });
  connect(ws, &Workspace::runErrorChanged, this, [this](const QString& error) {
    if (waitingForTrace_ && !error.isEmpty()) finish();
  });
}

SessionState SessionController::capture() const {
  const Workspace* ws = window_->workspace();
  SessionState s;
  for (const auto& m : ws->models()) s.models << m.path;
  s.current = ws->currentIndex();
  s.input = ws->inputText();
  s.image = ws->imagePath();
  s.target = ws->target();
  s.targetSource = ws->forcedTarget().source;
  s.targetKept = ws->targetKept();
  s.run = ws->runOptions();
  s.tokenIds = ws->tokenIdsInput();
  const Selection& sel = ws->selection();
  s.layer = sel.layer();
  s.head = sel.head();
  s.row = sel.row();
  s.column = sel.column();
  s.sentence = sel.sentence();
  s.patch = sel.patch();
  s.hypothesis = sel.hypothesis();
  s.compared = ws->compared();
  s.reference = ws->reference();
  s.compareTarget = ws->compareTarget();

  const QTabWidget* tabs = window_->panelArea()->tabs();
  s.tab = tabs->tabText(tabs->currentIndex());
  for (int t = 0; t < tabs->count(); ++t) {
    const QList<QSplitter*> splitters = splittersOf(tabs->widget(t));
    for (int i = 0; i < splitters.size(); ++i) s.splitters.insert(splitterKey(tabs->tabText(t), i), splitters[i]->saveState());
  }
  for (const Panel* p : window_->panelArea()->panels()) {
    const QJsonObject controls = captureControls(p);
    if (!controls.isEmpty()) s.panels.insert(p->objectName(), controls);
  }
  s.windowState = window_->saveState();
  s.windowGeometry = window_->saveGeometry();
  s.notes = window_->notesDock()->notes();
  return s;
}

void SessionController::restore(const SessionState& state) {
  Workspace* ws = window_->workspace();
  pending_ = state;
  pending_->models.removeDuplicates();
  missing_.clear();
  waitingForTrace_ = false;

  ws->closeAllModels();
  if (!state.windowGeometry.isEmpty()) window_->restoreGeometry(state.windowGeometry);
  if (!state.windowState.isEmpty()) window_->restoreState(state.windowState);
  window_->notesDock()->setNotes(state.notes);
  // A session saved on a CPU with bf16 products, opened on one without: float32, and the message bar says so.
  const auto& cpu = attnviz::ops::cpuCapabilities();
  attnviz::RunOptions run = state.run;
  run.bf16 = state.run.bf16 && cpu.bf16;
  if (state.run.bf16 && !run.bf16)
    window_->messageBar()->showMessage(QLatin1String(kBf16MessageKey), MessageBar::Warning,
                                       tr("This session ran transformers in bfloat16, which this CPU cannot: %1. They run in "
                                          "float32 instead.").arg(QString::fromStdString(cpu.bf16Reason)));
  else
    window_->messageBar()->clearMessage(QLatin1String(kBf16MessageKey));
  ws->setRunOptions(run);  // the Run menu's bf16 action and the panels' controls follow the workspace
  ws->setTokenIdsInput(state.tokenIds);  // the Run menu's action follows the workspace
  ws->setImagePath(state.image);
  ws->setInputText(state.input);
  // After the input: a target saved for another sentence than the input is released, saying so, never applied to it.
  ws->setTargetKept(state.targetKept);
  ws->setTarget(state.target, state.targetSource);

  waitingFor_ = pending_->models;
  if (waitingFor_.isEmpty()) {
    applyView();
    finish();
    return;
  }
  for (const QString& path : pending_->models) ws->openModel(path);
}

void SessionController::onModelSettled() {
  if (!waitingFor_.isEmpty()) return;
  applyComparison();
  Workspace* ws = window_->workspace();
  const bool image = kindCan(ws->currentKind(), &KindCapabilities::image);
  const bool runs = ws->currentModel() && !(image ? ws->imagePath() : ws->inputText()).trimmed().isEmpty();
  if (!runs) {
    applyView();
    finish();
    return;
  }
  // The first trace of the restored input: controls such as the heatmap's map choice only exist with it.
  waitingForTrace_ = true;
  ws->runNow();
  QTimer::singleShot(kTraceWaitMs, this, [this] {
    if (waitingForTrace_) finish();
  });
}

void SessionController::applyComparison() {
  Workspace* ws = window_->workspace();
  const auto indexOf = [&](int sessionIndex) {
    const QString path = pending_->models.value(sessionIndex);
    for (int i = 0; i < static_cast<int>(ws->models().size()); ++i) {
      if (!path.isEmpty() && ws->models()[static_cast<std::size_t>(i)].path == path) return i;
    }
    return -1;
  };
  if (const int current = indexOf(pending_->current); current >= 0) ws->setCurrentIndex(current);
  QList<int> compared;
  for (int i : pending_->compared) {
    if (const int mapped = indexOf(i); mapped >= 0) compared << mapped;
  }
  ws->setCompareTarget(pending_->compareTarget);
  ws->setCompared(compared);
  if (const int reference = indexOf(pending_->reference); reference >= 0) ws->setReference(reference);
}

void SessionController::applyView() {
  const SessionState& s = *pending_;
  PanelArea* area = window_->panelArea();
  for (Panel* p : area->panels()) {
    if (s.panels.contains(p->objectName())) restoreControls(p, s.panels.value(p->objectName()));
  }
  Selection& sel = window_->workspace()->selection();
  sel.setLayerHead(s.layer, s.head);
  sel.setCell(s.row, s.column);
  sel.setSentence(s.sentence);
  sel.setPatch(s.patch);
  sel.setHypothesis(s.hypothesis);
  QTabWidget* tabs = area->tabs();
  for (int t = 0; t < tabs->count(); ++t) {
    if (tabs->tabText(t) == s.tab) tabs->setCurrentIndex(t);
    const QList<QSplitter*> splitters = splittersOf(tabs->widget(t));
    for (int i = 0; i < splitters.size(); ++i) {
      const QString key = splitterKey(tabs->tabText(t), i);
      if (s.splitters.contains(key)) splitters[i]->restoreState(s.splitters.value(key));
    }
  }
}

void SessionController::finish() {
  if (!pending_) return;
  if (waitingForTrace_) applyView();
  waitingForTrace_ = false;
  MessageBar* bar = window_->messageBar();
  if (missing_.isEmpty()) {
    bar->clearMessage(QLatin1String(kMessageKey));
  } else {
    bar->showMessage(QLatin1String(kMessageKey), MessageBar::Warning,
                     tr("The session was restored without the models that could not be opened: %1")
                         .arg(missing_.join(QStringLiteral(", "))));
  }
  pending_.reset();
  emit restored();
}

SaveResult SessionController::save(const QString& path) {
  const QByteArray json = captureJson(QFileInfo(path).absoluteDir());
  const SaveResult r = saveAtomically(path, [&](QIODevice& out, QString&) { return out.write(json) == json.size(); });
  if (r) setPath(path);
  return r;
}

bool SessionController::open(const QString& path) {
  SessionState state;
  try {
    state = readSessionFile(path);
  } catch (...) {
    window_->messageBar()->showMessage(QLatin1String(kMessageKey), MessageBar::Error,
                                       tr("Could not open the session — %1").arg(Problem::fromCurrentException().text()));
    return false;
  }
  setPath(path);
  restore(state);
  return true;
}

void SessionController::setPath(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  if (absolute == path_) return;
  path_ = absolute;
  emit pathChanged(path_);
}

}  // namespace attnviz::ui
