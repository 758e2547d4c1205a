// The subcommands of the attnviz command line. Each returns the process exit code and throws
// attnviz::Error for main() to print as "attnviz: <where>: <what>".
#pragma once

#include <iosfwd>
#include <string>

#include "app/cli_args.h"

namespace attnviz::cli {

// "attnviz 0.1.0 (oneDNN 2.6.3, Qt 6.4.2)" and a line with the CPU's kernels and thread count.
std::string versionText();
// The RunOptions the command line asks for (every input of run and export; run adds each input's target).
RunOptions runOptionsFor(const CliCommand& command);
int runInfo(const CliCommand& command, std::ostream& out);    // attnviz info
int runTraces(const CliCommand& command);                    // attnviz run
int runBench(const CliCommand& command, std::ostream& out);   // attnviz bench
int runAlign(const CliCommand& command, std::ostream& out);   // attnviz align (cli_align.cpp)

}  // namespace attnviz::cli
