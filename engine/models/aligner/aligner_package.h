// Writes a trained aligner (ibm_training.h) as an attnviz package folder of the aligner kind (aligner_model.h has
// the format), atomically: every file goes into a new folder beside the target, renamed into place at the end, so
// a package is either whole or absent. The table is pruned on the way: entries with t(f | e) below pruneBelow are
// left out (they then read as unseen_probability at run time), and so are the words left with no entry.
//
//   PackageOptions o; o.name = "aligner-hansards-ibm1-fastalign"; o.pruneBelow = 0.01;
//   PackageSummary s = writeAlignerPackage("out/aligner", trained, corpus, o);   // s.entries, s.bytes
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/models/aligner/ibm_training.h"
#include "engine/models/aligner/parallel_corpus.h"

namespace attnviz::aligner {

constexpr double kDefaultPruneBelow = 0.01;
constexpr double kDefaultUnseenProbability = 1e-7;

struct PackageOptions {
  std::string name = "statistical-aligner";
  std::string variant = "ibm1-fastalign";
  double pruneBelow = kDefaultPruneBelow;
  double unseenProbability = kDefaultUnseenProbability;
  // The model card: "card" of attnviz.json, written as given (values are JSON texts: "\"WPT03 ...\"", "0.16").
  std::vector<std::pair<std::string, std::string>> cardJson;
};

struct PackageSummary {
  std::int64_t entries = 0, entriesBeforePruning = 0;
  std::int64_t sourceWords = 0, targetWords = 0;  // in the package's vocabularies (source with <null>)
  std::int64_t bytes = 0;                         // all files
};

// Throws UsageError(folder) when the folder exists or cannot be written, or when the pruned table is too large to
// store its ids exactly (raise pruneBelow).
PackageSummary writeAlignerPackage(const std::string& folder, const TrainedAligner& trained,
                                   const ParallelCorpus& corpus, const PackageOptions& options);

}  // namespace attnviz::aligner
