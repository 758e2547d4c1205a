#include "ui/document/inference_worker.h"

#include <chrono>

#include "engine/core/token_ids.h"
#include "ui/compare/compare_run.h"

namespace attnviz::ui {

InferenceWorker::InferenceWorker(std::shared_ptr<const std::atomic<quint64>> latestGeneration, QObject* parent)
    : QObject(parent), latest_(std::move(latestGeneration)) {
  qRegisterMetaType<attnviz::ui::TracePtr>();
  qRegisterMetaType<attnviz::ui::RunSourcePtr>();
  qRegisterMetaType<attnviz::ui::Problem>();
  qRegisterMetaType<attnviz::ui::CompareResult>();
}

namespace {

// The model input a request describes: an image, preprocessed pixels (.npy), token ids typed in the editor, or text.
// Throws InputError for token ids that cannot be read.
attnviz::Input inputOf(const RunRequest& request) {
  if (!request.imagePath.empty())
    return QString::fromStdString(request.imagePath).endsWith(QLatin1String(".npy"), Qt::CaseInsensitive)
               ? attnviz::Input::fromPixels(request.imagePath)
               : attnviz::Input::fromImage(request.imagePath);
  if (request.tokenIds) {
    attnviz::TypedTokenIds ids = attnviz::parseTypedTokenIds(request.text, "the token ids");
    return attnviz::Input::fromTokenIds(std::move(ids.ids), std::move(ids.types), "the token ids");
  }
  return attnviz::Input::fromText(request.text, "editor");
}

}  // namespace

void InferenceWorker::run(const RunRequest& request) {
  if (request.generation < latest_->load()) return;  // a newer input is already queued behind us
  if (!request.model) {
    emit failed(request.generation, {QStringLiteral("usage error"), {}, QStringLiteral("no model is open")});
    return;
  }
  const auto busySince = std::chrono::steady_clock::now();
  // Whatever way run() returns from here, the time it kept the worker is reported last.
  struct ReportBusy {
    InferenceWorker* worker;
    quint64 generation;
    std::chrono::steady_clock::time_point since;
    ~ReportBusy() {
      emit worker->ran(generation, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count());
    }
  } reportBusy{this, request.generation, busySince};
  TracePtr primary;
  attnviz::Input input;
  try {
    input = inputOf(request);
    const auto start = std::chrono::steady_clock::now();
    auto trace = std::make_shared<attnviz::Trace>(
        request.model->run(input, request.options));
    if (trace->inferenceMs <= 0.0) {  // the engine times itself; fill in for models that do not
      trace->inferenceMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    }
    primary = trace;
    emit finished(request.generation, std::move(trace), std::make_shared<const RunSource>(RunSource{input, request.options}));
  } catch (...) {
    emit failed(request.generation, Problem::fromCurrentException());
    return;
  }
  if (!request.compare || request.compare->empty()) return;
  auto stale = [this, g = request.generation] { return g < latest_->load(); };
  if (stale()) return;
  CompareResult result = runComparison(*request.compare, input, request.options, primary, stale);
  if (!stale()) emit compared(request.generation, result);
}

}  // namespace attnviz::ui
