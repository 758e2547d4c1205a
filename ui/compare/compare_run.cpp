#include "ui/compare/compare_run.h"

#include <QObject>
#include <algorithm>
#include <vector>

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
  // A pair aligner aligns a given target and translates nothing: without a target it is not run, and said so once
  // (in the window's words, not the engine's --target). reported: models whose problem is said (not run again).
  const auto aligner = [&](int i) { return request.models[static_cast<std::size_t>(i)]->kind().can.alignsPairs; };
  std::vector<bool> reported(static_cast<std::size_t>(n), false);
  const int ref = std::clamp(request.reference, 0, n - 1);
  if (!forceAll && request.target == CompareTarget::ReferenceOutput && aligner(ref)) {
    result.problems << label(ref) + QObject::tr(": an aligner translates nothing, so the others cannot be force-decoded "
                                                "on its translation (each decodes on its own). Choose a translating "
                                                "reference, or type the target sentence in the Target box");
    reported[static_cast<std::size_t>(ref)] = true;
  } else if (!forceAll && request.target == CompareTarget::ReferenceOutput) {
    TracePtr refTrace = ref == request.primaryPosition && primary
                            ? primary
                            : runOne(request.models[static_cast<std::size_t>(ref)], input, options, label(ref), result.problems);
    if (refTrace && refTrace->prediction.translation) {
      forced.target = *refTrace->prediction.translation;
      forceAll = true;
      result.forcedOnReference = true;
    } else if (refTrace) {
      result.traces[static_cast<std::size_t>(ref)] = refTrace;  // a kind without a translation: nothing to force
    } else {
      reported[static_cast<std::size_t>(ref)] = true;  // it failed, and runOne said why
    }
  }
  if (forceAll) {
    forced.beam = 1;  // a forced target has one path; no n-best list
    result.forcedTarget = QString::fromStdString(*forced.target);
  }
  for (int i = 0; i < n; ++i) {
    if (stale()) return result;
    auto& slot = result.traces[static_cast<std::size_t>(i)];
    if (slot || reported[static_cast<std::size_t>(i)]) continue;
    if (!forceAll && aligner(i)) {
      result.problems << label(i) + QObject::tr(": an aligner needs the target sentence; type it in the Target box, or "
                                                "decode every variant on a translating reference's translation");
      continue;
    }
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
