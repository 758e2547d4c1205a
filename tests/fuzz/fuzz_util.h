// What every libFuzzer harness under tests/fuzz/ shares. The contract checked: outside bytes give a result or an
// attnviz::Error (a clear message naming what and where); any other exception, a crash, a leak, undefined
// behaviour (the sanitizers), a hang or unbounded memory (libFuzzer's -timeout and -rss_limit_mb) is a finding.
//
//   extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
//     fuzz::expectResultOrError([&] { attnviz::readNpy(fuzz::bytes(data, size, "x.npy")); });
//     return 0;
//   }
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/error.h"
#include "engine/io/bytes.h"

namespace fuzz {

// Runs body; an attnviz::Error is the expected outcome of bad input. Anything else escapes and libFuzzer reports it.
template <class Body>
void expectResultOrError(Body&& body) {
  try {
    body();
  } catch (const attnviz::Error& e) {
    if (std::string_view(e.what()).empty()) std::abort();  // an error must say something
  }
}

inline attnviz::Bytes bytes(const std::uint8_t* data, std::size_t size, std::string label) {
  return attnviz::Bytes::fromVector(std::vector<std::uint8_t>(data, data + size), std::move(label));
}

inline std::string text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// A private folder of this process (made once, under $TMPDIR) for readers that take paths.
inline const std::string& scratchDir() {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/attnviz-fuzz-XXXXXX";
    if (!mkdtemp(pattern.data())) std::abort();
    return pattern;
  }();
  return dir;
}

// Writes the bytes to scratchDir()/name (replacing it) and returns the path.
inline std::string writeFile(const std::string& name, std::string_view content) {
  const std::string path = scratchDir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) std::abort();
  return path;
}

// Writes a copy of the file `source` (read once per process and kept) to scratchDir()/name. Not
// std::filesystem::copy: libstdc++ 12 copies with sendfile(2) and throws on EINTR, which libFuzzer's -timeout
// alarm (SIGALRM, every few seconds) causes now and then: a "deadly signal" in the harness, 1 in ~100,000 inputs.
// Streams retry on EINTR.
inline void copyFile(const std::string& source, const std::string& name) {
  static std::map<std::string, std::string> kept;
  auto at = kept.find(source);
  if (at == kept.end()) {
    std::ifstream in(source, std::ios::binary);
    if (!in) std::abort();
    at = kept.emplace(source, std::string(std::istreambuf_iterator<char>(in), {})).first;
  }
  writeFile(name, at->second);
}

// Splits the input at the first occurrences of `separator` into at most n parts (the last takes the rest), so one
// input can feed several files or arguments.
inline std::vector<std::string> split(std::string_view input, char separator, std::size_t n) {
  std::vector<std::string> parts;
  while (parts.size() + 1 < n) {
    const std::size_t at = input.find(separator);
    if (at == std::string_view::npos) break;
    parts.emplace_back(input.substr(0, at));
    input.remove_prefix(at + 1);
  }
  parts.emplace_back(input);
  return parts;
}

}  // namespace fuzz
