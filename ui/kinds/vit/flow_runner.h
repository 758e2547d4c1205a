// FlowRunner: attention flow (Abnar & Zuidema 2020, engine/analysis/attention_flow.h) from [CLS] of one vit trace, in
// the background: one max-flow per (layer graph, patch), slow for big models. Progress as the engine reports it
// (per max-flow, one per token); cancel() drops the job (the engine stops at its next progress call); start() cancels a job
// still running. The result goes out with finished(); the Patches tab keeps it in the Workspace (flowFor), so
// showing flow again for the same trace costs nothing.
//
//   auto* runner = new FlowRunner(this);
//   connect(runner, &FlowRunner::finished, this, [](TracePtr trace, const std::vector<float>& row) { ... });
//   runner->start(trace);   // trace must carry attention.self
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include "ui/document/model_ptr.h"

namespace attnviz::ui {

class FlowRunner : public QObject {
  Q_OBJECT

 public:
  using Row = std::vector<float>;  // [tokens]: flow from [CLS] to every token, summing to 1

  explicit FlowRunner(QObject* parent = nullptr);
  ~FlowRunner() override;

  // False (nothing started) when the trace has no attention.self [L, H, N, N].
  bool start(const TracePtr& trace);
  void cancel();
  bool isRunning() const { return watcher_ != nullptr; }
  TracePtr runningTrace() const { return trace_; }
  int computeCount() const { return computed_; }

 signals:
  void started();
  void progress(int done, int total);
  void finished(attnviz::ui::TracePtr trace, const std::vector<float>& row);
  void canceled();

 private:
  bool drop();  // stops the job in progress, if any, without a signal; true when there was one

  QFutureWatcher<std::optional<Row>>* watcher_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;
  TracePtr trace_;      // of the job in progress
  int computed_ = 0;
};

}  // namespace attnviz::ui
