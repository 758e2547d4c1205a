// OcclusionRunner: leave-one-out importance (engine/analysis/occlusion.h) of one han trace, in the background.
// The model removes every word and every sentence in turn and reruns (one run per unit), so this takes a
// while on long documents; attention shows at once and occlusion follows. Progress per unit; cancel()
// stops between runs; start() cancels a job still running (its result is dropped).
//
//   auto* runner = new OcclusionRunner(this);
//   connect(runner, &OcclusionRunner::progress, bar, [](int done, int total) { ... });
//   connect(runner, &OcclusionRunner::finished, this, [](TracePtr trace, const attnviz::Occlusion& o) { ... });
//   runner->start(model, trace);   // model must be an attnviz::OcclusionScorer
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <atomic>
#include <memory>
#include <optional>

#include "engine/analysis/occlusion.h"
#include "ui/document/model_ptr.h"

Q_DECLARE_METATYPE(attnviz::Occlusion)

namespace attnviz::ui {

class OcclusionRunner : public QObject {
  Q_OBJECT

 public:
  explicit OcclusionRunner(QObject* parent = nullptr);
  ~OcclusionRunner() override;

  // False (and nothing started) when the model cannot score occlusion.
  bool start(const ModelPtr& model, const TracePtr& trace);
  void cancel();
  bool isRunning() const { return watcher_ != nullptr; }
  TracePtr runningTrace() const { return trace_; }  // the trace of the job in progress, null when idle
  int done() const { return done_; }
  int total() const { return total_; }  // 0 until the model has said how many runs it needs

 signals:
  void started();
  void progress(int done, int total);
  void finished(attnviz::ui::TracePtr trace, const attnviz::Occlusion& occlusion);
  void canceled();

 private:
  QFutureWatcher<std::optional<attnviz::Occlusion>>* watcher_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;  // of the job in progress; the scorer checks it between runs
  TracePtr trace_;
  int done_ = 0;
  int total_ = 0;
};

}  // namespace attnviz::ui
