#include "ui/workspace.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace attnviz::ui {
namespace {

struct LoadResult {
  ModelPtr model;
  Problem problem;
};

QString canonical(const QString& path) {
  const QFileInfo fi(path);
  const QString c = fi.canonicalFilePath();
  return c.isEmpty() ? QDir::cleanPath(fi.absoluteFilePath()) : c;
}

}  // namespace

Workspace::Workspace(QObject* parent) : QObject(parent) {
  loader_ = [](const std::string& path) -> ModelPtr { return attnviz::loadModel(path); };
  debounce_.setSingleShot(true);
  debounce_.setInterval(kDefaultDebounceMs);
  connect(&debounce_, &QTimer::timeout, this, &Workspace::runNow);

  thread_.setObjectName(QStringLiteral("attnviz-inference"));
  worker_ = new InferenceWorker(latest_);
  worker_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(worker_, &InferenceWorker::finished, this, &Workspace::onRunFinished);
  connect(worker_, &InferenceWorker::failed, this, &Workspace::onRunFailed);
  thread_.start();
}

Workspace::~Workspace() {
  // A run in progress cannot be interrupted; the newest generation makes any queued ones skip.
  latest_->store(std::numeric_limits<quint64>::max());
  thread_.quit();
  thread_.wait();
}

ModelPtr Workspace::currentModel() const {
  return current_ >= 0 && current_ < static_cast<int>(models_.size()) ? models_[current_].model : nullptr;
}

QString Workspace::currentKind() const {
  const ModelPtr m = currentModel();
  return m ? QString::fromStdString(m->info().identity.kind) : QString();
}

void Workspace::openModel(const QString& path) {
  const QString wanted = canonical(path);
  for (std::size_t i = 0; i < models_.size(); ++i) {
    if (canonical(models_[i].path) == wanted) {
      setCurrentIndex(static_cast<int>(i));
      emit modelOpened(static_cast<int>(i), models_[i].path);
      return;
    }
  }
  if (pendingLoads_++ == 0) emit loadingChanged(true);
  auto* watcher = new QFutureWatcher<LoadResult>(this);
  connect(watcher, &QFutureWatcher<LoadResult>::finished, this, [this, watcher, path] {
    const LoadResult r = watcher->result();
    watcher->deleteLater();
    onLoaded(path, r.model, r.problem);
  });
  watcher->setFuture(QtConcurrent::run([loader = loader_, p = path.toStdString()]() -> LoadResult {
    try {
      ModelPtr m = loader(p);
      if (!m) return {nullptr, {QStringLiteral("model file error"), QString::fromStdString(p), QStringLiteral("no model was loaded")}};
      return {std::move(m), {}};
    } catch (...) {
      return {nullptr, Problem::fromCurrentException()};
    }
  }));
}

void Workspace::onLoaded(const QString& path, ModelPtr model, const Problem& problem) {
  if (--pendingLoads_ == 0) emit loadingChanged(false);
  if (!model) {
    Problem p = problem;
    if (p.where.isEmpty()) p.where = path;
    emit loadFailed(path, p);
    return;
  }
  const int index = addModel(std::move(model), path);
  emit modelOpened(index, path);
}

int Workspace::addModel(ModelPtr model, const QString& path) {
  models_.push_back({std::move(model), path});
  emit modelsChanged();
  const int index = static_cast<int>(models_.size()) - 1;
  setCurrentIndex(index);
  return index;
}

void Workspace::setCurrentIndex(int index) {
  if (index < -1 || index >= static_cast<int>(models_.size()) || index == current_) return;
  current_ = index;
  setTrace(nullptr);  // before the selection resets, so no panel redraws the old model's trace
  setRunError({});
  selection_.reset();
  emit currentModelChanged(current_);
  runNow();
}

void Workspace::setInputText(const QString& text) {
  if (text == input_) return;
  input_ = text;
  emit inputTextChanged(input_);
  debounce_.start();  // restarts: a run happens once typing pauses for debounceMs
}

void Workspace::setRolloutFusion(attnviz::RolloutFusion fusion) {
  if (fusion == rollout_) return;
  rollout_ = fusion;
  emit rolloutFusionChanged();
  runNow();
}

attnviz::RunOptions Workspace::optionsFor(const attnviz::Model& model) const {
  attnviz::RunOptions options;
  const std::string& kind = model.info().identity.kind;
  if (kind == "encoder" || kind == "vit") options.rollout = rollout_;
  return options;
}

void Workspace::runNow() {
  debounce_.stop();
  const ModelPtr model = currentModel();
  const quint64 generation = ++generation_;
  latest_->store(generation);
  if (!model || input_.trimmed().isEmpty()) {  // nothing to run: any result still on its way is stale
    setTrace(nullptr);
    setRunError({});
    setRunning(false);
    return;
  }
  RunRequest request{generation, model, input_.toStdString(), optionsFor(*model)};
  setRunning(true);
  QMetaObject::invokeMethod(worker_, [w = worker_, request] { w->run(request); }, Qt::QueuedConnection);
}

void Workspace::onRunFinished(quint64 generation, TracePtr trace) {
  if (generation != generation_) return;  // stale: the user typed on
  setRunning(false);
  setRunError({});
  setTrace(std::move(trace));
}

void Workspace::onRunFailed(quint64 generation, const Problem& problem) {
  if (generation != generation_) return;
  setRunning(false);
  setRunError(problem.text());
}

void Workspace::setTrace(TracePtr trace) {
  if (trace == trace_) return;
  trace_ = std::move(trace);
  emit traceChanged();
}

void Workspace::setRunning(bool running) {
  if (running == running_) return;
  running_ = running;
  emit runningChanged(running_);
}

void Workspace::setRunError(const QString& text) {
  if (text == runError_) return;
  runError_ = text;
  emit runErrorChanged(runError_);
}

}  // namespace attnviz::ui
