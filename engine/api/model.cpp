// Model::run: the steps every kind shares around its own forward pass (model.h).
#include "engine/api/model.h"

#include <chrono>

#include "engine/analysis/requested_analyses.h"
#include "engine/core/error.h"

namespace attnviz {

const ModelKind& Model::kind() const {
  const ModelKind* kind = findModelKind(info().identity.kind);
  if (!kind) throw InternalError("Model::kind", "model kind \"" + info().identity.kind + "\" is not registered");
  return *kind;
}

Trace Model::run(const Input& input, const RunOptions& options) const {
  checkRunOptions(kind(), input, options);
  const auto start = std::chrono::steady_clock::now();
  Trace trace = runImpl(input, options);
  addRequestedAnalyses(*this, trace, options);
  trace.inferenceMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return trace;
}

}  // namespace attnviz
