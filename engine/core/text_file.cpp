#include "engine/core/text_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/core/error.h"

namespace attnviz {

std::string readTextFile(const std::string& path, std::size_t maxBytes, const std::string& what) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw InputError(path, "no such file");
  if (!fs::is_regular_file(status)) throw InputError(path, "not a regular file");
  const auto size = fs::file_size(path, ec);
  if (ec) throw InputError(path, "cannot read its size: " + ec.message());
  if (size > maxBytes)
    throw InputError(path, "is " + std::to_string(size) + " bytes; " + what + " are limited to " +
                               std::to_string(maxBytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot be opened for reading");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path, "read failed");
  std::string bytes = text.str();
  if (bytes.size() > maxBytes) throw InputError(path, "grew past the size limit while being read");
  return bytes;
}

}  // namespace attnviz
