// attnviz train-aligner: reads a parallel corpus (engine/models/aligner/parallel_corpus.h), trains IBM Model 1 then
// fast_align's diagonal model (ibm_training.h) and writes an aligner package (aligner_package.h) whose model card
// holds the command, the corpus counts, the iterations with their log-likelihoods and the training time.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <ostream>
#include <sstream>

#include "app/cli_commands.h"
#include "engine/api/json_writer.h"
#include "engine/core/error.h"
#include "engine/models/aligner/aligner_package.h"
#include "engine/models/aligner/ibm_training.h"
#include "engine/models/aligner/parallel_corpus.h"

namespace attnviz::cli {

namespace {

std::string jsonText(const std::string& s) {
  JsonWriter w;
  w.string(s);
  return w.str();
}

std::string jsonNumber(double v) {
  JsonWriter w;
  w.number(v);
  return w.str();
}

std::string jsonInt(std::int64_t v) {
  JsonWriter w;
  w.number(v);
  return w.str();
}

// 0.01, not std::to_string's 0.010000.
std::string shortNumber(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

// The command as it could be typed again (the options that were given, in a fixed order).
std::string commandLine(const CliCommand& c) {
  const CliCommand::AlignerTraining& a = c.aligner;
  std::ostringstream o;
  o << "attnviz train-aligner --source " << c.sourceFile << " --target " << c.targetFile << " --out " << c.out
    << " --iterations-model1 " << a.model1Iterations << " --iterations " << a.diagonalIterations
    << " --null-probability " << a.nullProbability << " --tension " << a.tension << (a.fixedTension ? " --fixed-tension" : "")
    << (a.dirichletAlpha > 0 ? " --dirichlet-alpha " + shortNumber(a.dirichletAlpha) : std::string()) << " --prune " << a.pruneBelow;
  return o.str();
}

}  // namespace

int runTrainAligner(const CliCommand& c, std::ostream& progress) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto elapsed = [&start] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  const CliCommand::AlignerTraining& a = c.aligner;
  if (std::filesystem::exists(c.out)) throw UsageError(c.out, "exists already; remove it or give another --out");

  progress << "train-aligner: reading " << c.sourceFile << " and " << c.targetFile << '\n' << std::flush;
  const aligner::ParallelCorpus corpus = aligner::readParallelCorpus(c.sourceFile, c.targetFile, [&](std::int64_t lines) {
    progress << "train-aligner: " << lines << " lines read (" << std::fixed << std::setprecision(0) << elapsed() << " s)\n"
             << std::flush;
  });
  const aligner::CorpusCounts& n = corpus.counts;
  progress << "train-aligner: " << n.read << " pairs read, " << n.kept << " kept (" << n.droppedLengthOrRatio
           << " dropped by length or ratio, " << n.droppedDuplicate << " duplicates); " << n.sourceTokens << " source and "
           << n.targetTokens << " target tokens, " << corpus.sourceWords.size() - 1 << " and " << corpus.targetWords.size()
           << " distinct words\n" << std::flush;
  if (n.kept == 0) throw InputError(c.sourceFile, "no sentence pair passed the filter (1..50 tokens a side, length ratio <= 2)");

  aligner::TrainingOptions options;
  options.model1Iterations = a.model1Iterations;
  options.diagonalIterations = a.diagonalIterations;
  options.nullProbability = a.nullProbability;
  options.initialTension = a.tension;
  options.optimizeTension = !a.fixedTension;
  options.dirichletAlpha = a.dirichletAlpha;
  options.progress = [&](const aligner::IterationReport& r) {
    progress << "train-aligner: " << r.model << " iteration " << r.iteration << ": log-likelihood per target word "
             << std::fixed << std::setprecision(4) << r.logLikelihoodPerWord;
    if (r.model == "diagonal") progress << ", tension " << r.tension;
    progress << " (" << std::setprecision(1) << r.seconds << " s)\n" << std::flush;
  };
  const double readSeconds = elapsed();
  const aligner::TrainedAligner trained = aligner::trainAligner(corpus, options);
  const double trainSeconds = elapsed();

  aligner::PackageOptions p;
  p.name = a.name.empty() ? std::filesystem::path(c.out).filename().string() : a.name;
  if (p.name.empty()) p.name = std::filesystem::path(c.out).parent_path().filename().string();
  p.pruneBelow = a.pruneBelow;
  std::string history = "[";
  for (std::size_t i = 0; i < trained.history.size(); ++i) {
    const aligner::IterationReport& r = trained.history[i];
    history += std::string(i ? "," : "") + "{\"model\":" + jsonText(r.model) + ",\"iteration\":" + jsonInt(r.iteration) +
               ",\"log_likelihood_per_word\":" + jsonNumber(r.logLikelihoodPerWord) +
               (r.model == "diagonal" ? ",\"tension\":" + jsonNumber(r.tension) : std::string()) + "}";
  }
  history += "]";
  p.cardJson = {
      {"training_data", jsonText(a.trainingData.empty() ? c.sourceFile + " / " + c.targetFile : a.trainingData)},
      {"method", jsonText("IBM Model 1 (uniform start, NULL word) then fast_align's diagonal reparameterisation of IBM "
                          "Model 2 (Dyer, Chahuneau & Smith 2013), EM, tension " +
                          std::string(a.fixedTension ? "fixed" : "optimised each iteration (exact M-step)") +
                          ", NULL probability fixed, " +
                          (a.dirichletAlpha > 0 ? "variational Bayes M-step (Dirichlet alpha " + shortNumber(a.dirichletAlpha) + ")"
                                                : std::string("maximum-likelihood M-step")) +
                          "; target words aligned to source words or NULL")},
      {"command", jsonText(commandLine(c))},
      {"corpus", "{\"pairs_read\":" + jsonInt(n.read) + ",\"pairs_kept\":" + jsonInt(n.kept) +
                     ",\"dropped_length_or_ratio\":" + jsonInt(n.droppedLengthOrRatio) + ",\"dropped_duplicate\":" +
                     jsonInt(n.droppedDuplicate) + ",\"source_tokens\":" + jsonInt(n.sourceTokens) +
                     ",\"target_tokens\":" + jsonInt(n.targetTokens) + "}"},
      {"iterations", history},
      {"training_seconds", jsonNumber(std::round(trainSeconds - readSeconds))},
      {"reading_seconds", jsonNumber(std::round(readSeconds))},
      {"table_entries_before_pruning", jsonInt(static_cast<std::int64_t>(trained.table.entries()))},
  };
  const aligner::PackageSummary s = aligner::writeAlignerPackage(c.out, trained, corpus, p);
  progress << std::defaultfloat << "train-aligner: wrote " << c.out << ": " << s.entries << " of " << s.entriesBeforePruning
           << " table entries (t >= " << a.pruneBelow << "), " << s.sourceWords << " source and " << s.targetWords
           << " target words, " << s.bytes << " bytes; tension " << std::setprecision(4) << trained.tension << "; "
           << std::fixed << std::setprecision(0) << elapsed() << " s in all\n";
  return 0;
}

}  // namespace attnviz::cli
