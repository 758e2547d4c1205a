// BackgroundJob: one piece of long work on the thread pool — attention flow, leave-one-out occlusion, corpus AER —
// with progress and cancel, reporting back on the UI thread. It is the one way the UI runs such work: the derived
// results of a trace (derived_results.h) and the seq2seq corpus AER (corpus_aer.h) each own one.
//
// The work function runs on a pool thread and gets a JobControl: it reports (done, total) and asks canceled()
// between steps; it returns its result in a std::any (empty: nothing to show, e.g. it stopped or failed). On the UI
// thread the job then calls the `deliver` callback given to start() with that result and emits finished(); a job
// that was cancelled, failed or was replaced emits canceled() instead (a replaced one: nothing at all).
//
//   BackgroundJob job;
//   connect(&job, &BackgroundJob::progress, bar, [](int done, int total) { ... });
//   job.start([](JobControl& c) -> std::any {
//     for (int i = 0; i < n; ++i) { if (c.canceled()) return {}; step(i); c.setProgress(i + 1, n); }
//     return result;
//   }, [](std::any r) { keep(std::any_cast<Result>(std::move(r))); });
#pragma once

#include <QObject>
#include <any>
#include <atomic>
#include <functional>
#include <memory>

template <typename T>
class QFutureWatcher;
template <typename T>
class QPromise;

namespace attnviz::ui {

// What the work sees of its job, on the pool thread. Thread-safe.
class JobControl {
 public:
  JobControl(QPromise<std::any>& promise, std::shared_ptr<std::atomic<bool>> cancel);
  void setProgress(int done, int total);
  bool canceled() const;
  // For engine functions that take a flag (attnviz::OcclusionControl::cancel); set by cancel().
  const std::atomic<bool>* cancelFlag() const { return cancel_.get(); }

 private:
  QPromise<std::any>& promise_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  int total_ = -1;
};

class BackgroundJob : public QObject {
  Q_OBJECT

 public:
  using Work = std::function<std::any(JobControl& control)>;
  using Deliver = std::function<void(std::any result)>;

  explicit BackgroundJob(QObject* parent = nullptr);
  ~BackgroundJob() override;  // cancels a job in progress and waits for its work to return

  // Starts `work`, replacing a job still running (whose result is dropped, without canceled(): a slot of that signal
  // may be what called start()). `deliver` gets a non-empty result on the UI thread, before finished().
  void start(Work work, Deliver deliver);
  void cancel();  // stops the job in progress, if any: canceled()
  bool isRunning() const { return watcher_ != nullptr; }
  int done() const { return done_; }
  int total() const { return total_; }  // 0 until the work has said how many steps it takes
  int finishedCount() const { return finished_; }  // jobs that delivered a result, over this object's life

 signals:
  void started();
  void progress(int done, int total);
  void finished();
  void canceled();

 private:
  bool drop();  // stops the job in progress without a signal; true when there was one

  QFutureWatcher<std::any>* watcher_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;  // of the job in progress
  int done_ = 0;
  int total_ = 0;
  int finished_ = 0;
};

}  // namespace attnviz::ui
