#include "ui/kinds/vit/flow_runner.h"

#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

#include "engine/analysis/attention_flow.h"
#include "engine/api/trace.h"

namespace attnviz::ui {
namespace {

using Result = std::optional<FlowRunner::Row>;

// On a pool thread: flow from token 0 ([CLS]); the engine's progress goes to the promise (thread-safe) and
// cancels when asked.
void computeFlow(QPromise<Result>& promise, TracePtr trace, std::shared_ptr<std::atomic<bool>> cancel) {
  const attnviz::FlowProgress progress = [&](std::int64_t done, std::int64_t total) {
    promise.setProgressRange(0, static_cast<int>(total));
    promise.setProgressValue(static_cast<int>(done));
    return !cancel->load() && !promise.isCanceled();
  };
  try {
    const attnviz::Tensor flow = attnviz::attentionFlow(trace->attention.at("self"), {0}, progress);  // [1, N]
    if (flow.rank() != 2 || flow.dim(0) != 1 || cancel->load()) {
      promise.addResult(Result{});
      return;
    }
    promise.addResult(Result(FlowRunner::Row(flow.data(), flow.data() + flow.dim(1))));
  } catch (...) {
    promise.addResult(Result{});  // a failed job reads as a cancelled one: nothing to show
  }
}

}  // namespace

FlowRunner::FlowRunner(QObject* parent) : QObject(parent) { qRegisterMetaType<TracePtr>(); }

FlowRunner::~FlowRunner() {
  if (watcher_) {
    watcher_->disconnect(this);
    cancel_->store(true);
    watcher_->waitForFinished();
  }
}

bool FlowRunner::start(const TracePtr& trace) {
  drop();  // a job still running is replaced without canceled(): a slot of that signal may be what called start()
  if (!trace) return false;
  const auto it = trace->attention.find("self");
  if (it == trace->attention.end() || it->second.rank() != 4) return false;
  auto* watcher = new QFutureWatcher<Result>(this);
  watcher_ = watcher;
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  trace_ = trace;
  connect(watcher, &QFutureWatcherBase::progressValueChanged, this, [this, watcher](int value) {
    if (watcher == watcher_) emit progress(value, watcher->progressMaximum());
  });
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
    watcher->deleteLater();
    if (watcher != watcher_) return;  // a job cancelled for a newer one
    watcher_ = nullptr;
    const TracePtr trace = std::exchange(trace_, nullptr);
    const Result r = watcher->future().resultCount() > 0 ? watcher->result() : Result{};
    if (r && !cancel_->load()) {
      ++computed_;
      emit finished(trace, *r);
    } else {
      emit canceled();
    }
  });
  emit started();
  watcher->setFuture(QtConcurrent::run(computeFlow, trace, cancel_));
  return true;
}

void FlowRunner::cancel() {
  if (drop()) emit canceled();
}

bool FlowRunner::drop() {
  if (!watcher_) return false;
  cancel_->store(true);
  auto* old = std::exchange(watcher_, nullptr);
  old->cancel();  // its finished() arrives later and is ignored (watcher_ moved on)
  trace_ = nullptr;
  return true;
}

}  // namespace attnviz::ui
