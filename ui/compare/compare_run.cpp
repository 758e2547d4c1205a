#include "ui/compare/compare_run.h"

#include <algorithm>

#include "ui/document/problem.h"

namespace attnviz::ui {
namespace {

TracePtr runOne(const ModelPtr& model, const attnviz::Input& input, const attnviz::RunOptions& options,
                const QString& label, QStringList& problems) {
  try {
    return std::make_shared<attnviz::Trace>(model->run(input, options));
  } catch (...) {
    problems << label + QStringLiteral(": ") + Problem::fromCurrentException().text();
    return nullptr;
  }
}

}  // namespace

CompareResult runComparison(const CompareRequest& request, const attnviz::Input& input, const attnviz::RunOptions& options,
                            const TracePtr& primary, const std::function<bool()>& stale) {
  CompareResult result;
  const int n = static_cast<int>(request.models.size());
  result.traces.assign(static_cast<std::size_t>(n), nullptr);
  if (n == 0) return result;
  auto label = [&](int i) { return i < request.labels.size() ? request.labels[i] : QString::number(i + 1); };

  attnviz::RunOptions forced = options;
  bool forceAll = options.target.has_value();
  if (!forceAll && request.target == CompareTarget::ReferenceOutput) {
    const int ref = std::clamp(request.reference, 0, n - 1);
    TracePtr refTrace = ref == request.primaryPosition && primary
                            ? primary
                            : runOne(request.models[static_cast<std::size_t>(ref)], input, options, label(ref), result.problems);
    if (refTrace && refTrace->prediction.translation) {
      forced.target = *refTrace->prediction.translation;
      forceAll = true;
      result.forcedOnReference = true;
    } else if (refTrace) {
      result.traces[static_cast<std::size_t>(ref)] = refTrace;  // a kind without a translation: nothing to force
    }
  }
  if (forceAll) {
    forced.beam = 1;  // a forced target has one path; no n-best list
    result.forcedTarget = QString::fromStdString(*forced.target);
  }
  for (int i = 0; i < n; ++i) {
    if (stale()) return result;
    auto& slot = result.traces[static_cast<std::size_t>(i)];
    if (slot) continue;
    // The current model's own run is reused when it decoded exactly what this model would.
    if (i == request.primaryPosition && primary && (!forceAll || options.target)) {
      slot = primary;
      continue;
    }
    slot = runOne(request.models[static_cast<std::size_t>(i)], input, forceAll ? forced : options, label(i), result.problems);
  }
  return result;
}

}  // namespace attnviz::ui
