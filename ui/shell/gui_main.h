// runGui: the attnviz window, started by app/main.cpp for `attnviz` with no subcommand.
//
//   return attnviz::ui::runGui(argc, argv, {"models/tiny-encoder"}, {"the cat sat on the mat"});
//
// Creates the QApplication, opens the models (in the background; a .attnviz path opens as a session),
// puts the first input text in the editor, shows the MainWindow and runs the event loop. Returns the exit code.
// The window layout is remembered between runs, the session is autosaved (autosave.h), and an autosave
// left by a crash is offered for restoring (recovery_offer.h).
//
// Screenshot mode: with ATTNVIZ_SCREENSHOT=out.png set, the window is grabbed to that file as soon as
// the first trace is shown, and runGui returns (0 saved, 1 load/run error, 2 no trace within 60 s).
#pragma once

#include <string>
#include <vector>

namespace attnviz::ui {

int runGui(int argc, char** argv, const std::vector<std::string>& modelPaths,
           const std::vector<std::string>& inputTexts, const std::vector<std::string>& imagePaths = {});

}  // namespace attnviz::ui
