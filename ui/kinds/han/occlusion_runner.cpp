#include "ui/kinds/han/occlusion_runner.h"

#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

namespace attnviz::ui {
namespace {

using Result = std::optional<attnviz::Occlusion>;

// On a pool thread: the model's own loop, its progress forwarded to the promise (thread-safe).
void score(QPromise<Result>& promise, ModelPtr model, TracePtr trace, std::shared_ptr<std::atomic<bool>> cancel) {
  const auto* scorer = dynamic_cast<const attnviz::OcclusionScorer*>(model.get());
  int range = -1;
  attnviz::OcclusionControl control;
  control.cancel = cancel.get();
  control.progress = [&](int done, int total) {
    if (promise.isCanceled()) cancel->store(true);
    if (total != range) {
      range = total;
      promise.setProgressRange(0, total);
    }
    promise.setProgressValue(done);
  };
  try {
    promise.addResult(scorer->occlusion(*trace, control));
  } catch (...) {
    promise.addResult(Result{});  // a failed job reads as a cancelled one: nothing to show
  }
}

}  // namespace

OcclusionRunner::OcclusionRunner(QObject* parent) : QObject(parent) {
  qRegisterMetaType<attnviz::Occlusion>();
  qRegisterMetaType<TracePtr>();
}

OcclusionRunner::~OcclusionRunner() {
  if (watcher_) {
    watcher_->disconnect(this);
    cancel_->store(true);
    watcher_->waitForFinished();
  }
}

bool OcclusionRunner::start(const ModelPtr& model, const TracePtr& trace) {
  cancel();
  if (!model || !trace || !dynamic_cast<const attnviz::OcclusionScorer*>(model.get())) return false;
  auto* watcher = new QFutureWatcher<Result>(this);
  watcher_ = watcher;
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  trace_ = trace;
  done_ = total_ = 0;
  connect(watcher, &QFutureWatcherBase::progressRangeChanged, this, [this, watcher](int, int maximum) {
    if (watcher == watcher_) total_ = maximum;
  });
  connect(watcher, &QFutureWatcherBase::progressValueChanged, this, [this, watcher](int value) {
    if (watcher != watcher_) return;
    done_ = value;
    emit progress(done_, total_);
  });
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
    watcher->deleteLater();
    if (watcher != watcher_) return;  // a job cancelled for a newer one
    watcher_ = nullptr;
    const TracePtr trace = std::exchange(trace_, nullptr);
    const Result r = watcher->future().resultCount() > 0 ? watcher->result() : Result{};
    if (r && !cancel_->load()) {
      emit finished(trace, *r);
    } else {
      emit canceled();
    }
  });
  emit started();
  watcher->setFuture(QtConcurrent::run(score, model, trace, cancel_));
  return true;
}

void OcclusionRunner::cancel() {
  if (!watcher_) return;
  cancel_->store(true);
  auto* old = std::exchange(watcher_, nullptr);
  old->cancel();  // its finished() arrives later and is ignored (watcher_ moved on)
  trace_ = nullptr;
  emit canceled();
}

}  // namespace attnviz::ui
