#include "ui/document/background_job.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QtConcurrent/QtConcurrentRun>

namespace attnviz::ui {

JobControl::JobControl(QPromise<std::any>& promise, std::shared_ptr<std::atomic<bool>> cancel)
    : promise_(promise), cancel_(std::move(cancel)) {}

void JobControl::setProgress(int done, int total) {
  if (total != total_) {
    total_ = total;
    promise_.setProgressRange(0, total);
  }
  promise_.setProgressValue(done);
}

bool JobControl::canceled() const {
  if (promise_.isCanceled()) cancel_->store(true);
  return cancel_->load();
}

BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent) {}

BackgroundJob::~BackgroundJob() {
  if (!watcher_) return;
  watcher_->disconnect(this);
  cancel_->store(true);
  watcher_->waitForFinished();
}

void BackgroundJob::start(Work work, Deliver deliver) {
  drop();
  auto* watcher = new QFutureWatcher<std::any>(this);
  watcher_ = watcher;
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  done_ = total_ = 0;
  connect(watcher, &QFutureWatcherBase::progressRangeChanged, this, [this, watcher](int, int maximum) {
    if (watcher == watcher_) total_ = maximum;
  });
  connect(watcher, &QFutureWatcherBase::progressValueChanged, this, [this, watcher](int value) {
    if (watcher != watcher_) return;
    done_ = value;
    emit progress(done_, total_);
  });
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, deliver = std::move(deliver)] {
    watcher->deleteLater();
    if (watcher != watcher_) return;  // a job dropped for a newer one
    watcher_ = nullptr;
    std::any result = watcher->future().resultCount() > 0 ? watcher->result() : std::any{};
    if (result.has_value() && !cancel_->load()) {
      ++finished_;
      if (deliver) deliver(std::move(result));
      emit finished();
    } else {
      emit canceled();
    }
  });
  emit started();
  watcher->setFuture(QtConcurrent::run(
      [work = std::move(work), cancel = cancel_](QPromise<std::any>& promise) {
        JobControl control(promise, cancel);
        try {
          promise.addResult(work(control));
        } catch (...) {
          promise.addResult(std::any{});  // a failed job reads as a cancelled one: nothing to show
        }
      }));
}

void BackgroundJob::cancel() {
  if (drop()) emit canceled();
}

bool BackgroundJob::drop() {
  if (!watcher_) return false;
  cancel_->store(true);
  auto* old = std::exchange(watcher_, nullptr);
  old->cancel();  // its finished() arrives later and is ignored (watcher_ moved on)
  return true;
}

}  // namespace attnviz::ui
