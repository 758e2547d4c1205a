// OcclusionScorer: models that can measure leave-one-out importance of the units of a trace they produced
// (han: words and sentences). Long work (one run per unit), so it reports progress and can be cancelled;
// the UI runs it on a worker thread, the CLI through RunOptions::occlusion.
//
//   if (auto* scorer = dynamic_cast<const attnviz::OcclusionScorer*>(model.get())) {
//     std::atomic<bool> cancel{false};
//     std::optional<attnviz::Occlusion> o = scorer->occlusion(trace, {[](int done, int total) { ... }, &cancel});
//   }
#pragma once

#include <atomic>
#include <functional>
#include <optional>

#include "engine/api/trace.h"

namespace attnviz {

struct OcclusionControl {
  std::function<void(int done, int total)> progress;  // called from the computing thread; may be empty
  const std::atomic<bool>* cancel = nullptr;          // checked between runs; may be null
};

class OcclusionScorer {
 public:
  virtual ~OcclusionScorer() = default;
  // trace: a trace this model produced by run() (its sentences are re-read, not the input text).
  // Returns nullopt when cancelled. Thread-safe like Model::run.
  virtual std::optional<Occlusion> occlusion(const Trace& trace, const OcclusionControl& control) const = 0;
};

}  // namespace attnviz
