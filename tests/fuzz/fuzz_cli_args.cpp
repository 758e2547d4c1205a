// Fuzzes command-line parsing: the input split at NUL bytes is argv (after the program name). Every combination
// of subcommands, options, missing values, numbers out of range and unknown flags must give a command or a
// UsageError naming the argument. Seeds: tests/fuzz/corpus/cli_args (the command lines of the README and tests).
#include <cstddef>
#include <cstdint>

#include "app/cli_args.h"
#include "tests/fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args = fuzz::split(fuzz::text(data, size), '\0', 64);
  fuzz::expectResultOrError([&] { (void)attnviz::cli::parseCommandLine(args); });
  return 0;
}
