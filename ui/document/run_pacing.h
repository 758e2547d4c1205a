// RunPacing: how long the Workspace waits after an edit before it runs the current model, from how long that model's
// recent runs kept the worker busy (issue 19: typing-to-repaint under 50 ms for the shipped models).
//
// A run started at once can only hold up the next keystroke's run by its own length, while waiting d ms saves the
// runs of keystrokes that come less than d ms apart. So a model whose runs take a few milliseconds runs on every
// keystroke (no wait), and a slower one waits its typical run time less kImmediateRunMs, capped at kMaxDelayMs (the
// fixed debounce attnviz used before): the wait grows with the run time and never exceeds the time it could save.
// A run in flight is not the pacer's business: the worker runs the newest request right after it (inference_worker.h).
//
//   RunPacing pacing;
//   pacing.delayMs();          // 0: nothing measured yet, the first run measures
//   pacing.recordRun(3.0);     // a run took 3 ms on the worker
//   pacing.delayMs();          // 0
//   for (int i = 0; i < 5; ++i) pacing.recordRun(120.0);
//   pacing.delayMs();          // 80 (120 - kImmediateRunMs)
//
// Pure logic, no clock: the Workspace feeds it the worker's measured durations (InferenceWorker::ran).
#pragma once

#include <array>
#include <optional>

namespace attnviz::ui {

class RunPacing {
 public:
  static constexpr int kMaxDelayMs = 150;         // the longest wait: the fixed debounce before issue 19
  // Runs this short start at once: half the shortest gap between a person's keystrokes (about 80 ms), so such a run
  // has ended before the next key comes, and waiting could save nothing; it also leaves room for a small model's run
  // slowed two- or threefold by other work on the machine (seq2seq's 6 ms runs measured up to 30 ms on a busy one).
  static constexpr double kImmediateRunMs = 40.0;
  static constexpr int kRecentRuns = 5;           // the typical run time is the median of this many latest runs

  // A finished run kept the worker busy this long (ms). Ignored unless finite and >= 0.
  void recordRun(double milliseconds);
  // Forgets every run (another model is current: its runs say nothing about this one).
  void reset();
  // The median of the recent runs (ms), robust to one slow first run or one run slowed by another job; none yet:
  // nullopt.
  std::optional<double> typicalRunMs() const;
  int runCount() const { return count_; }  // runs kept (at most kRecentRuns)
  // The wait before running an edit: 0 with nothing measured or a typical run up to kImmediateRunMs, else the
  // typical run time less kImmediateRunMs, rounded up, at most kMaxDelayMs.
  int delayMs() const;

 private:
  std::array<double, kRecentRuns> recent_{};  // a ring: the latest `count_` runs, the next one written at next_
  int count_ = 0;
  int next_ = 0;
};

}  // namespace attnviz::ui
