// Model::run: the steps every kind shares around its own forward pass (model.h).
#include "engine/api/model.h"

#include <chrono>
#include <cstdlib>

#include "engine/analysis/faithfulness.h"
#include "engine/analysis/requested_analyses.h"
#include "engine/core/error.h"
#include "engine/ops/cpu_capabilities.h"

namespace attnviz {

const ModelKind& Model::kind() const {
  const ModelKind* kind = findModelKind(info().identity.kind);
  if (!kind) throw InternalError("Model::kind", "model kind \"" + info().identity.kind + "\" is not registered");
  return *kind;
}

namespace {
// kOneThreadBelowFlops, or ATTNVIZ_ONE_THREAD_BELOW_FLOPS (a number; 0: never one thread), for measuring the
// threshold again on another CPU (README "Speed").
std::int64_t oneThreadBelowFlops() {
  static const std::int64_t flops = [] {
    const char* value = std::getenv("ATTNVIZ_ONE_THREAD_BELOW_FLOPS");
    if (!value || !*value) return Model::kOneThreadBelowFlops;
    char* end = nullptr;
    const long long parsed = std::strtoll(value, &end, 10);
    if (*end != '\0' || parsed < 0)
      throw UsageError("ATTNVIZ_ONE_THREAD_BELOW_FLOPS", "\"" + std::string(value) +
                                                             "\" is not a whole number of FLOPs (0 or more); unset it for the default");
    return static_cast<std::int64_t>(parsed);
  }();
  return flops;
}
}  // namespace

int Model::threadsForNextRun() const {
  std::int64_t flops = lastRunFlops_.load();
  // No run yet: guess 2 FLOPs per parameter and token for a short input (16 tokens).
  if (flops < 0) flops = 2 * 16 * info().parameterCount;
  return flops < oneThreadBelowFlops() ? 1 : ops::threadCount();
}

Trace Model::run(const Input& input, const RunOptions& options) const {
  checkRunOptions(kind(), input, options);
  if (options.contributions.valueNorm && !kind().can.contributions && !info().weightedNorms)
    throw UsageError("--method", "value-norm is for transformer encoders and ViTs, and for attnviz's RNN seq2seq and han "
                                 "models (as a_j ‖h_j‖ of their attention); this model is " + info().identity.kind + " (" +
                                 info().format + ")");
  const int threads = threadsForNextRun();
  const ops::ThreadsForThisRun threadScope(threads);
  const std::int64_t flopsBefore = ops::productFlopsOnThisThread();
  const auto start = std::chrono::steady_clock::now();
  // The maps a faithfulness request ranks by are computed by the run (and written to the trace with it).
  RunOptions withMaps;
  if (!options.faithfulness.methods.empty()) {
    withMaps = options;
    const ContributionSet needed = contributionsFor(options.faithfulness.methods);
    withMaps.contributions.valueNorm |= needed.valueNorm;
    withMaps.contributions.alti |= needed.alti;
    withMaps.contributions.globenc |= needed.globenc;
    withMaps.contributions.valueZeroing |= needed.valueZeroing;
  }
  const RunOptions& used = options.faithfulness.methods.empty() ? options : withMaps;
  Trace trace = runImpl(input, used);
  addRequestedAnalyses(*this, input, trace, used);
  trace.inferenceMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  trace.threads = threads;
  trace.productFlops = ops::productFlopsOnThisThread() - flopsBefore;
  lastRunFlops_.store(trace.productFlops);
  return trace;
}

}  // namespace attnviz
