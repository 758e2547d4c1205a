// attnviz export: one figure per input, headless, into a folder (README.md, "Command line"). Inference of the next
// input runs on a worker thread while the main thread paints the current one through the GUI's panel
// (figure_renderer.h), so both cores stay busy; at most two traces are alive at any time.
//
//   attnviz export --model models/han-movie-reviews --text-dir reviews/ --format pdf --out figures/
#pragma once

#include "app/cli_args.h"

namespace attnviz::cli {

// Exit code: 0, or that of the first input that failed (the others are still drawn; a figure that cannot be written
// counts as a usage error, 2, as run's --out). Throws attnviz::Error for what stops the whole run: usage, the model,
// the output folder. argc/argv go to QApplication.
int runExport(const CliCommand& command, int argc, char** argv);

}  // namespace attnviz::cli
