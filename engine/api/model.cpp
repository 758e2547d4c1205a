// Model::run: the steps every kind shares around its own forward pass (model.h).
#include "engine/api/model.h"

#include <chrono>

#include "engine/analysis/requested_analyses.h"
#include "engine/core/error.h"
#include "engine/ops/cpu_capabilities.h"

namespace attnviz {

const ModelKind& Model::kind() const {
  const ModelKind* kind = findModelKind(info().identity.kind);
  if (!kind) throw InternalError("Model::kind", "model kind \"" + info().identity.kind + "\" is not registered");
  return *kind;
}

int Model::threadsForNextRun() const {
  std::int64_t flops = lastRunFlops_.load();
  // No run yet: guess 2 FLOPs per parameter and token for a short input (16 tokens).
  if (flops < 0) flops = 2 * 16 * info().parameterCount;
  return flops < kOneThreadBelowFlops ? 1 : ops::threadCount();
}

Trace Model::run(const Input& input, const RunOptions& options) const {
  checkRunOptions(kind(), input, options);
  const int threads = threadsForNextRun();
  const ops::ThreadsForThisRun threadScope(threads);
  const std::int64_t flopsBefore = ops::productFlopsOnThisThread();
  const auto start = std::chrono::steady_clock::now();
  Trace trace = runImpl(input, options);
  addRequestedAnalyses(*this, trace, options);
  trace.inferenceMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  trace.threads = threads;
  trace.productFlops = ops::productFlopsOnThisThread() - flopsBefore;
  lastRunFlops_.store(trace.productFlops);
  return trace;
}

}  // namespace attnviz
