// Where `attnviz run` writes: standard output ("-"), line by line as results come, or a file written
// atomically (QSaveFile): it appears complete when commit() succeeds and never half-written.
#pragma once

#include <memory>
#include <string>

class QSaveFile;

namespace attnviz::cli {

class OutputFile {
 public:
  explicit OutputFile(const std::string& path);  // throws UsageError(path) if it cannot be created
  ~OutputFile();
  void writeLine(const std::string& line);
  void commit();  // throws UsageError(path) on failure; without commit() a file output is discarded

 private:
  std::string path_;
  std::unique_ptr<QSaveFile> file_;  // null for standard output
};

}  // namespace attnviz::cli
