// runCandidates: the analyses that rerun a model once per candidate (a knocked-out head, a zeroed value, an occluded
// token) run their candidates on as many threads as the engine's threads hold runs of `threadsPerCandidate`
// (Model::threadsForNextRun()): a small model's runs use one thread each (model.cpp), so two candidates run at once
// and keep both cores busy; a large model's runs use every thread, one after another (measured on BERT-base,
// 32 tokens, 144 heads: 2 workers of 1 thread took 1.03-1.28x the time of 1 worker of 2 threads). Progress is serialised; cancel is checked before
// each candidate; the first exception a candidate throws stops the others and is rethrown on the calling thread.
//
//   bool done = runCandidates(total, model.threadsForNextRun(), [&](int candidate) { result[candidate] = score(run(candidate)); }, control);
#pragma once

#include <atomic>
#include <functional>

#include "engine/api/model.h"

namespace attnviz {

// The options of a run an analysis makes (one candidate): the reference run's `options` without the analyses that
// would run again inside it or decompose it (contribution methods, kept blocks, head and edge knockout,
// faithfulness, rollout, flow). Input settings and interventions (knocked-out heads, blocked edges, removed tokens)
// stay for the caller to set.
RunOptions candidateOptions(RunOptions options);

struct CandidateControl {
  std::function<void(int done, int total)> progress;  // serialised (one call at a time, `done` increasing); may be empty
  const std::atomic<bool>* cancel = nullptr;          // checked before each candidate; may be null
};

// Calls work(c) once for every c in [0, total), from ops::threadCount() / threadsPerCandidate threads (at least 1, at
// most `total`), each capped at threadsPerCandidate engine threads. work must be safe to call concurrently for different candidates (Model::run is). Returns false when
// cancelled (some candidates then never ran).
bool runCandidates(int total, int threadsPerCandidate, const std::function<void(int candidate)>& work, const CandidateControl& control);

}  // namespace attnviz
