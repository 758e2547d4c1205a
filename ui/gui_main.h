// runGui: the attnviz window, started by app/main.cpp for `attnviz` with no subcommand.
//
//   return attnviz::ui::runGui(argc, argv, {"models/tiny-encoder"}, {"the cat sat on the mat"});
//
// Creates the QApplication, sets OMP_WAIT_POLICY=PASSIVE when unset (before any oneDNN use, so idle
// worker threads do not spin), opens the models (in the background), puts the first input text in the
// editor, shows the MainWindow and runs the event loop. Returns the exit code.
#pragma once

#include <string>
#include <vector>

namespace attnviz::ui {

int runGui(int argc, char** argv, const std::vector<std::string>& modelPaths,
           const std::vector<std::string>& inputTexts);

}  // namespace attnviz::ui
