#include "engine/core/error.h"

namespace attnviz {

int exitCode(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage: return 2;
    case ErrorKind::ModelFile: return 3;
    case ErrorKind::Input: return 4;
    case ErrorKind::Backend: return 5;
    case ErrorKind::Internal: return 70;  // EX_SOFTWARE
  }
  return 1;
}

const char* kindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage: return "usage error";
    case ErrorKind::ModelFile: return "model file error";
    case ErrorKind::Input: return "input error";
    case ErrorKind::Backend: return "oneDNN error";
    case ErrorKind::Internal: return "internal error";
  }
  return "error";
}

std::string Error::message() const {
  return where_.empty() ? std::string(what()) : where_ + ": " + what();
}

}  // namespace attnviz
