#include "engine/analysis/candidate_runs.h"

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/ops/cpu_capabilities.h"

namespace attnviz {

RunOptions candidateOptions(RunOptions options) {
  options.contributions = {};
  options.keepAttentionBlocks = false;
  options.headKnockout.reset();
  options.edgeKnockout.reset();
  options.faithfulness = {};
  options.rollout = RolloutFusion::None;
  options.flow = false;
  return options;
}

bool runCandidates(int total, int threadsPerCandidate, const std::function<void(int candidate)>& work, const CandidateControl& control) {
  if (total <= 0) return !(control.cancel && control.cancel->load());
  const int perCandidate = std::max(1, threadsPerCandidate);
  const int workers = std::clamp(ops::threadCount() / perCandidate, 1, total);
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::mutex progressMutex;  // also guards `done` and `error`
  int done = 0;
  std::exception_ptr error;
  auto stopped = [&] { return failed.load() || (control.cancel && control.cancel->load()); };
  auto worker = [&] {
    const ops::ThreadsForThisRun share(perCandidate);
    for (int c = next++; c < total && !stopped(); c = next++) {
      try {
        work(c);
      } catch (...) {
        const std::lock_guard lock(progressMutex);
        if (!error) error = std::current_exception();
        failed = true;
        return;
      }
      const std::lock_guard lock(progressMutex);
      ++done;
      if (control.progress) control.progress(done, total);
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) pool.emplace_back(worker);
  worker();  // the calling thread is the first worker
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  return done == total;
}

}  // namespace attnviz
