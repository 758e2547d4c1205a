#include "app/output_file.h"

#include <QSaveFile>
#include <QString>
#include <iostream>

#include "engine/core/error.h"

namespace attnviz::cli {

OutputFile::OutputFile(const std::string& path) : path_(path) {
  if (path == "-") return;
  file_ = std::make_unique<QSaveFile>(QString::fromStdString(path));
  if (!file_->open(QIODevice::WriteOnly))
    throw UsageError(path, "cannot write the output: " + file_->errorString().toStdString());
}

OutputFile::~OutputFile() = default;  // an uncommitted QSaveFile removes its temporary file

void OutputFile::writeLine(const std::string& line) {
  if (!file_) {
    std::cout << line << '\n' << std::flush;
    if (!std::cout) throw UsageError("-", "cannot write to standard output");
    return;
  }
  const std::string withNewline = line + '\n';
  if (file_->write(withNewline.data(), static_cast<qint64>(withNewline.size())) != static_cast<qint64>(withNewline.size()))
    throw UsageError(path_, "cannot write the output: " + file_->errorString().toStdString());
}

void OutputFile::commit() {
  if (file_ && !file_->commit())
    throw UsageError(path_, "cannot write the output: " + file_->errorString().toStdString());
}

}  // namespace attnviz::cli
