// The inputs of `attnviz export`, each with the name of its figure file, planned before any input file is read:
// export reads each file when its turn comes, so one unreadable file among a thousand is reported and skipped
// instead of ending the run, and no more than the inputs in flight are held in memory.
//
//   ExportPlan plan = planExport(command.inputs);   // reads --lines files, lists --text-dir folders
//   for (const auto& e : plan.unreadable) report(e);
//   for (const ExportItem& item : plan.items) model.run(readExportItem(item), options);   // -> DIR/<item.name>.png
//
// Names are stable (the same command line gives the same names) and derived from the input: a file's name without
// its suffix ("reviews/cv001.txt" -> "cv001", "boot.png" -> "boot"), a --lines file's name and line number
// ("reviews.txt" line 7 -> "reviews-0007"), "input-0001", "input-0002", ... for the first, second, ... --text.
// A name met again (two "a.txt" in different folders, or "A.png" after "a.txt": file systems may ignore case)
// gets "-2", "-3", ..., so no figure overwrites another.
#pragma once

#include <string>
#include <vector>

#include "app/cli_args.h"
#include "engine/core/error.h"
#include "engine/api/model.h"

namespace attnviz::cli {

struct ExportItem {
  // Given: an input complete on the command line (a text pair, token ids, a --pixels file), held in `given`.
  enum class Source { Text, TextFile, Image, Given };
  Source source = Source::Text;
  std::string value;   // Text: the text itself; TextFile, Image: the file's path
  Input given;         // Given
  std::string origin;  // what messages name: "--text #2", "reviews.txt:7", or the file's path
  std::string name;    // the figure's file name without its suffix, unique among the plan's items
};

struct ExportPlan {
  std::vector<ExportItem> items;        // in command-line order
  std::vector<InputError> unreadable;   // --lines files and --text-dir folders that could not be read
};

ExportPlan planExport(const std::vector<InputSpec>& specs);

// The model input of an item, reading its file. Throws InputError(where = the file) as `run` does.
Input readExportItem(const ExportItem& item);

}  // namespace attnviz::cli
