#include "app/cli_inputs.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>

#include "engine/core/error.h"
#include "engine/core/text_file.h"

namespace attnviz::cli {

namespace {

// A file, a pipe (`<(cmd)`, /dev/fd/N), or "-": standard input, which can be read once only.
std::string readTextFile(const std::string& path) {
  if (path != kStdinPath) return attnviz::readTextFile(path, kMaxTextFileBytes, "text inputs");
  static std::atomic<bool> stdinRead = false;
  if (stdinRead.exchange(true)) throw UsageError(kStdinPath, "standard input can be read by one input option only");
  return readTextStream(std::cin, kStdinName, kMaxTextFileBytes, "text inputs");
}

// The name an input read from `path` goes by in origins and messages: "stdin" for "-".
std::string displayName(const std::string& path) { return path == kStdinPath ? kStdinName : path; }

bool isBlank(const std::string& line) {
  return line.find_first_not_of(" \t\v\f") == std::string::npos;
}

}  // namespace

std::vector<Input> readLinesFile(const std::string& path) {
  const std::string text = readTextFile(path);
  std::vector<Input> inputs;
  std::size_t start = 0, lineNo = 1;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!isBlank(line)) inputs.push_back(Input::fromText(std::move(line), displayName(path) + ":" + std::to_string(lineNo)));
    start = end + 1;
    ++lineNo;
  }
  return inputs;
}

std::vector<std::string> listTextDir(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) throw InputError(path, "no such folder");
  std::vector<std::string> files;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& file = it->path();
    if (file.extension() == ".txt" && it->is_regular_file(ec)) files.push_back(file.string());
    if (files.size() > kMaxTextDirFiles)
      throw InputError(path, "holds more than " + std::to_string(kMaxTextDirFiles) + " .txt files; split the folder");
  }
  if (ec) throw InputError(path, "cannot be listed: " + ec.message());
  if (files.empty()) throw InputError(path, "holds no .txt files");
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<Input> readTextDir(const std::string& path) {
  std::vector<Input> inputs;
  for (const std::string& file : listTextDir(path)) inputs.push_back(readTextFileInput(file));
  return inputs;
}

Input readTextFileInput(const std::string& path) {
  std::string text = readTextFile(path);
  // An editor ends the file's last line with a newline; it is no part of the input ("\n" or "\r\n", once).
  if (text.ends_with('\n')) text.pop_back();
  if (text.ends_with('\r')) text.pop_back();
  return Input::fromText(std::move(text), displayName(path));
}

Input imageInput(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError(path, "no such image file");
  return Input::fromImage(path);
}

std::vector<Input> readInputs(const std::vector<InputSpec>& specs) {
  std::vector<Input> inputs;
  int textNo = 0, idsNo = 0;
  for (const InputSpec& spec : specs) {
    switch (spec.kind) {
      case InputSpec::Kind::Text: {
        std::string origin = "--text #" + std::to_string(++textNo);
        inputs.push_back(spec.textPair ? Input::fromTextPair(spec.value, *spec.textPair, std::move(origin))
                                       : Input::fromText(spec.value, std::move(origin)));
        break;
      }
      case InputSpec::Kind::TokenIds:
        inputs.push_back(Input::fromTokenIds(spec.tokenIds, spec.tokenTypeIds, "--token-ids #" + std::to_string(++idsNo)));
        break;
      case InputSpec::Kind::Pixels:
        inputs.push_back(imageInput(spec.value));
        inputs.back().kind = Input::Kind::Pixels;
        break;
      case InputSpec::Kind::TextFile:
        inputs.push_back(readTextFileInput(spec.value));
        break;
      case InputSpec::Kind::TextDir: {
        std::vector<Input> files = readTextDir(spec.value);
        inputs.insert(inputs.end(), std::make_move_iterator(files.begin()), std::make_move_iterator(files.end()));
        break;
      }
      case InputSpec::Kind::Lines: {
        std::vector<Input> lines = readLinesFile(spec.value);
        if (lines.empty()) throw InputError(spec.value, "has no non-empty lines");
        inputs.insert(inputs.end(), std::make_move_iterator(lines.begin()), std::make_move_iterator(lines.end()));
        break;
      }
      case InputSpec::Kind::Image:
        inputs.push_back(imageInput(spec.value));
        break;
    }
  }
  return inputs;
}

}  // namespace attnviz::cli
