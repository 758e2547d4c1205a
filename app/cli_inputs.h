// Turns the INPUT options of the command line into model Inputs, reading --text-file and --lines files.
#pragma once

#include <string>
#include <vector>

#include "app/cli_args.h"
#include "engine/api/model.h"

namespace attnviz::cli {

// Largest text file read as input; larger files are refused (exit 4) rather than read into memory.
constexpr std::size_t kMaxTextFileBytes = 64u << 20;

// Most .txt files --text-dir takes from one folder (each is read whole, so this bounds the memory used).
constexpr std::size_t kMaxTextDirFiles = 100000;

// "-" given to --lines, --text-file or --target-lines reads standard input (once; a second "-" is a usage error),
// named "stdin" in origins. Any of them also takes a pipe (`--lines <(cmd)`), read up to kMaxTextFileBytes.
inline constexpr const char* kStdinPath = "-";
inline constexpr const char* kStdinName = "stdin";

// In command-line order. Throws InputError(where = the file) for a missing, unreadable or oversized file.
std::vector<Input> readInputs(const std::vector<InputSpec>& specs);

// Non-empty lines of a text file (trailing '\r' removed; lines of only spaces count as empty).
// Each entry keeps its origin "FILE:LINE" ("stdin:LINE" for "-").
std::vector<Input> readLinesFile(const std::string& path);

// Every regular *.txt file of a folder (not its subfolders), sorted by name, each one input named by its path.
// InputError for a missing folder or one without .txt files.
std::vector<Input> readTextDir(const std::string& path);
// The paths readTextDir reads, without reading them (export reads each when its turn comes).
std::vector<std::string> listTextDir(const std::string& path);

// A --text-file (or a --text-dir file): the whole file is one input named by its path, without one final newline
// ("\n" or "\r\n": the end of its last line, no part of the text). InputError for a missing, unreadable or oversized
// file.
Input readTextFileInput(const std::string& path);
// An --image: InputError when the file does not exist (the model decodes it, and names it in its errors).
Input imageInput(const std::string& path);

}  // namespace attnviz::cli
