// The subcommands of the attnviz command line. Each returns the process exit code and throws
// attnviz::Error for main() to print as "attnviz: <where>: <what>".
#pragma once

#include <iosfwd>
#include <string>

#include "app/cli_args.h"

namespace attnviz::cli {

// "attnviz 0.1.0 (oneDNN 2.6.3, Qt 6.4.2)", then the CPU and its vector features, whether bfloat16 (--bf16) runs
// here (or why not), and the kernels oneDNN uses with the thread count (ops/cpu_capabilities.h).
std::string versionText();
// --bf16 with a transformer (encoder, vit) on a CPU without bfloat16 products: BackendError("--bf16", the missing
// feature), exit 5, before any input runs. Other kinds are left to the model (a usage error, exit 2).
void requireBf16Support(const CliCommand& command, const Model& model);
// The RunOptions the command line asks for (every input of run and export; run adds each input's target).
RunOptions runOptionsFor(const CliCommand& command);
int runInfo(const CliCommand& command, std::ostream& out);    // attnviz info
int runTraces(const CliCommand& command);                    // attnviz run
int runBench(const CliCommand& command, std::ostream& out);   // attnviz bench
int runAlign(const CliCommand& command, std::ostream& out);   // attnviz align (cli_align.cpp)
int runFaithfulness(const CliCommand& command, std::ostream& out);  // attnviz faithfulness (cli_faithfulness.cpp)
// attnviz train-aligner (cli_train_aligner.cpp); progress and the summary go to `progress` (stderr).
int runTrainAligner(const CliCommand& command, std::ostream& progress);

}  // namespace attnviz::cli
