// Typed errors thrown by the engine. The UI shows them in the window; the CLI prints
// "attnviz: <where>: <what>" and exits with the code of the kind.
//
//   try { auto model = attnviz::loadModel(path); }
//   catch (const attnviz::Error& e) { std::cerr << e.where() << ": " << e.what(); return exitCode(e.kind()); }
#pragma once

#include <stdexcept>
#include <string>

namespace attnviz {

enum class ErrorKind {
  Usage,      // a bad option or combination of options (CLI exit 2)
  ModelFile,  // a model file or package is missing, malformed or inconsistent (exit 3)
  Input,      // an input text, image or target is unusable (exit 4)
  Backend,    // oneDNN cannot run what was asked: a failure (status text kept), or this CPU lacks what it needs,
              // e.g. --bf16 without AVX-512 (exit 5)
  Internal,   // a broken invariant inside attnviz: a bug (exit 70)
};

// Exit code of the attnviz command line for an error kind.
int exitCode(ErrorKind kind);
const char* kindName(ErrorKind kind);

// An error with the thing it is about (a file, a tensor in a file, an input) kept apart from the message,
// so the caller can print "where: what" or show both in a dialog.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string where, const std::string& what)
      : std::runtime_error(what), kind_(kind), where_(std::move(where)) {}
  ErrorKind kind() const { return kind_; }
  const std::string& where() const { return where_; }
  // "where: what", or just "what" when there is no where.
  std::string message() const;

 private:
  ErrorKind kind_;
  std::string where_;
};

struct UsageError : Error {
  UsageError(std::string where, const std::string& what) : Error(ErrorKind::Usage, std::move(where), what) {}
};
struct ModelFileError : Error {
  ModelFileError(std::string where, const std::string& what) : Error(ErrorKind::ModelFile, std::move(where), what) {}
};
struct InputError : Error {
  InputError(std::string where, const std::string& what) : Error(ErrorKind::Input, std::move(where), what) {}
};
struct BackendError : Error {
  BackendError(std::string where, const std::string& what) : Error(ErrorKind::Backend, std::move(where), what) {}
};
struct InternalError : Error {
  InternalError(std::string where, const std::string& what) : Error(ErrorKind::Internal, std::move(where), what) {}
};

}  // namespace attnviz
