// attnviz: the GUI when run without a subcommand, otherwise the command line (README.md, "Command line").
// Errors print one line, "attnviz: <file or input>: <what is wrong>", and exit with the kind's code.
#include <csignal>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "app/cli_args.h"
#include "app/cli_commands.h"
#include "app/cli_export.h"
#include "app/cli_inputs.h"
#include "engine/core/error.h"
#include "ui/shell/gui_main.h"

namespace {

int dispatch(const attnviz::cli::CliCommand& command, int argc, char** argv) {
  using Name = attnviz::cli::CliCommand::Name;
  switch (command.name) {
    case Name::Version: std::cout << attnviz::cli::versionText() << '\n'; return 0;
    case Name::Help: std::cout << attnviz::cli::usageText(); return 0;
    case Name::Info: return attnviz::cli::runInfo(command, std::cout);
    case Name::Run: return attnviz::cli::runTraces(command);
    case Name::Bench: return attnviz::cli::runBench(command, std::cout);
    case Name::Align: return attnviz::cli::runAlign(command, std::cout);
    case Name::TrainAligner: return attnviz::cli::runTrainAligner(command, std::cerr);
    case Name::Export: return attnviz::cli::runExport(command, argc, argv);
    case Name::Faithfulness: return attnviz::cli::runFaithfulness(command, std::cout);
    case Name::Gui: break;
  }
  // --text-file and --lines are read here, so a missing file is reported before the window opens.
  std::vector<std::string> texts, images;
  for (const auto& input : attnviz::cli::readInputs(command.inputs)) {
    if (input.kind == attnviz::Input::Kind::Text) texts.push_back(input.text);
    else images.push_back(input.imagePath);
  }
  return attnviz::ui::runGui(argc, argv, command.guiModels, texts, images);
}

}  // namespace

int main(int argc, char** argv) {
  // Over a file-size limit (ulimit -f) a write fails with EFBIG, which every writer reports, instead of SIGXFSZ
  // killing the process with the user's work.
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    const std::vector<std::string> args(argv + 1, argv + argc);
    return dispatch(attnviz::cli::parseCommandLine(args), argc, argv);
  } catch (const attnviz::Error& e) {
    std::cerr << "attnviz: " << e.message() << '\n';
    return attnviz::exitCode(e.kind());
  } catch (const std::bad_alloc&) {
    std::cerr << "attnviz: out of memory\n";
    return 70;
  } catch (const std::exception& e) {
    std::cerr << "attnviz: internal error: " << e.what() << '\n';
    return 70;
  }
}
