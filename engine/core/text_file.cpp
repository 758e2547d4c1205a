#include "engine/core/text_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <istream>

#include "engine/core/error.h"

namespace attnviz {

namespace {

// Reads at most maxBytes + 1 bytes of `in`: one byte more than allowed tells a stream that is too long (a pipe has no
// size to check first) without reading it all.
std::string readBounded(std::istream& in, const std::string& path, std::size_t maxBytes, const std::string& what) {
  constexpr std::size_t kChunk = 64 * 1024;
  std::string bytes;
  char buffer[kChunk];
  while (in && bytes.size() <= maxBytes) {
    in.read(buffer, static_cast<std::streamsize>(std::min(kChunk, maxBytes + 1 - bytes.size())));
    bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw InputError(path, "read failed");
  if (bytes.size() > maxBytes)
    throw InputError(path, "is more than " + std::to_string(maxBytes) + " bytes; " + what + " are limited to " +
                               std::to_string(maxBytes) + " bytes");
  return bytes;
}

}  // namespace

std::string readTextFile(const std::string& path, std::size_t maxBytes, const std::string& what) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw InputError(path, "no such file");
  if (fs::is_directory(status)) throw InputError(path, "is a folder, not a regular file");
  if (!fs::is_regular_file(status)) {
    // A pipe (process substitution, /dev/fd/N, a FIFO) or a character device: no size to check first, so the reading
    // itself stops one byte past the limit.
    if (!fs::is_fifo(status) && !fs::is_character_file(status)) throw InputError(path, "not a regular file or a pipe");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path, "cannot be opened for reading");
    return readBounded(in, path, maxBytes, what);
  }
  const auto size = fs::file_size(path, ec);
  if (ec) throw InputError(path, "cannot read its size: " + ec.message());
  if (size > maxBytes)
    throw InputError(path, "is " + std::to_string(size) + " bytes; " + what + " are limited to " +
                               std::to_string(maxBytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot be opened for reading");
  return readBounded(in, path, maxBytes, what);  // bounded again: the file may grow while it is read
}

std::string readTextStream(std::istream& in, const std::string& name, std::size_t maxBytes, const std::string& what) {
  return readBounded(in, name, maxBytes, what);
}

}  // namespace attnviz
