// InferenceWorker: runs Model::run on its own thread (Workspace moves it into a QThread) and reports
// back with queued signals. Latest input wins: each request carries a generation number; a request
// that is already older than the newest one asked for is skipped before it starts, and Workspace drops
// any result whose generation is not the newest. With models to compare, the current model's trace
// comes first (finished) and the comparison follows (compared, see compare_run.h). Every request that was not
// skipped ends with ran: how long it kept the worker (its run and comparison), which paces the next runs (run_pacing.h).
//
//   auto latest = std::make_shared<std::atomic<quint64>>(0);
//   auto* w = new InferenceWorker(latest);  w->moveToThread(&thread);
//   QMetaObject::invokeMethod(w, [w, req] { w->run(req); }, Qt::QueuedConnection);
#pragma once

#include <QObject>
#include <atomic>
#include <memory>
#include <string>

#include "engine/api/model.h"
#include "ui/compare/compare_run.h"
#include "ui/document/model_ptr.h"
#include "ui/document/problem.h"

namespace attnviz::ui {

struct RunRequest {
  quint64 generation = 0;
  ModelPtr model;
  std::string text;
  std::string imagePath;  // vit models: the image (or .npy pixels) to run (the text is not used)
  bool tokenIds = false;  // text models: the text holds token ids ("101 7592 102 | 0 0 0", engine/core/token_ids.h)
  attnviz::RunOptions options;
  std::shared_ptr<const CompareRequest> compare;  // null: no comparison
};

class InferenceWorker : public QObject {
  Q_OBJECT

 public:
  explicit InferenceWorker(std::shared_ptr<const std::atomic<quint64>> latestGeneration, QObject* parent = nullptr);

  // Runs on the worker's thread. Emits finished or failed, or nothing when the request is stale.
  void run(const RunRequest& request);

 signals:
  void finished(quint64 generation, attnviz::ui::TracePtr trace, attnviz::ui::RunSourcePtr source);
  void failed(quint64 generation, attnviz::ui::Problem problem);
  void compared(quint64 generation, const attnviz::ui::CompareResult& result);
  // After finished/failed (and compared): the request kept the worker busy this long, in ms (input read, run,
  // comparison), whether it succeeded or not, stale or not.
  void ran(quint64 generation, double busyMs);

 private:
  std::shared_ptr<const std::atomic<quint64>> latest_;
};

}  // namespace attnviz::ui
