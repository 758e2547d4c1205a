#include "ui/inference_worker.h"

#include <chrono>

#include "ui/compare_run.h"

namespace attnviz::ui {

InferenceWorker::InferenceWorker(std::shared_ptr<const std::atomic<quint64>> latestGeneration, QObject* parent)
    : QObject(parent), latest_(std::move(latestGeneration)) {
  qRegisterMetaType<attnviz::ui::TracePtr>();
  qRegisterMetaType<attnviz::ui::Problem>();
  qRegisterMetaType<attnviz::ui::CompareResult>();
}

void InferenceWorker::run(const RunRequest& request) {
  if (request.generation < latest_->load()) return;  // a newer input is already queued behind us
  if (!request.model) {
    emit failed(request.generation, {QStringLiteral("usage error"), {}, QStringLiteral("no model is open")});
    return;
  }
  TracePtr primary;
  try {
    const auto start = std::chrono::steady_clock::now();
    auto trace = std::make_shared<attnviz::Trace>(
        request.model->run(request.imagePath.empty() ? attnviz::Input::fromText(request.text, "editor")
                                                     : attnviz::Input::fromImage(request.imagePath),
                           request.options));
    if (trace->inferenceMs <= 0.0) {  // the engine times itself; fill in for models that do not
      trace->inferenceMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    }
    primary = trace;
    emit finished(request.generation, std::move(trace));
  } catch (...) {
    emit failed(request.generation, Problem::fromCurrentException());
    return;
  }
  if (!request.compare || request.compare->empty()) return;
  auto stale = [this, g = request.generation] { return g < latest_->load(); };
  if (stale()) return;
  CompareResult result = runComparison(*request.compare, request.text, request.options, primary, stale);
  if (!stale()) emit compared(request.generation, result);
}

}  // namespace attnviz::ui
