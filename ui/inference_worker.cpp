#include "ui/inference_worker.h"

#include <chrono>

namespace attnviz::ui {

InferenceWorker::InferenceWorker(std::shared_ptr<const std::atomic<quint64>> latestGeneration, QObject* parent)
    : QObject(parent), latest_(std::move(latestGeneration)) {
  qRegisterMetaType<attnviz::ui::TracePtr>();
  qRegisterMetaType<attnviz::ui::Problem>();
}

void InferenceWorker::run(const RunRequest& request) {
  if (request.generation < latest_->load()) return;  // a newer input is already queued behind us
  if (!request.model) {
    emit failed(request.generation, {QStringLiteral("usage error"), {}, QStringLiteral("no model is open")});
    return;
  }
  try {
    const auto start = std::chrono::steady_clock::now();
    auto trace = std::make_shared<attnviz::Trace>(
        request.model->run(attnviz::Input::fromText(request.text, "editor"), request.options));
    if (trace->inferenceMs <= 0.0) {  // the engine times itself; fill in for models that do not
      trace->inferenceMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    }
    emit finished(request.generation, std::move(trace));
  } catch (...) {
    emit failed(request.generation, Problem::fromCurrentException());
  }
}

}  // namespace attnviz::ui
