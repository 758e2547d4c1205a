// readTensorFile: picks the reader from the file name's extension.
#include <algorithm>
#include <cctype>
#include <type_traits>

#include "engine/core/error.h"
#include "engine/io/tensor_files.h"

namespace attnviz {

namespace {

enum class Format { Npy, Npz, Safetensors };

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Format formatOf(const std::string& label) {
  const std::string lower = lowercase(label);
  if (endsWith(lower, ".safetensors")) return Format::Safetensors;
  if (endsWith(lower, ".npz")) return Format::Npz;
  if (endsWith(lower, ".npy")) return Format::Npy;
  throw ModelFileError(label, "is not a weight file attnviz reads: expected a .safetensors, .npz or .npy file");
}

// "dir/model.zip!weights/w.npy" -> "w"
std::string stemOf(const std::string& label) {
  const std::size_t slash = label.find_last_of("/!");
  std::string name = slash == std::string::npos ? label : label.substr(slash + 1);
  const std::size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(0, dot);
}

template <typename Source>
NamedTensors readAs(Format format, const Source& source, const std::string& label, std::uint64_t maxBytes,
                    WeightsOrigin origin) {
  constexpr bool kPath = std::is_same_v<Source, std::string>;
  switch (format) {
    case Format::Safetensors:
      if constexpr (kPath) return readSafetensors(source, maxBytes, origin);
      else return readSafetensors(source, origin);
    case Format::Npz: return readNpz(source, maxBytes, origin);
    case Format::Npy: break;
  }
  NamedTensors out;
  out.source = label;
  if constexpr (kPath) out.tensors.emplace_back(stemOf(label), readNpy(source, maxBytes, origin));
  else out.tensors.emplace_back(stemOf(label), readNpy(source, origin));
  return out;
}

}  // namespace

NamedTensors readTensorFile(const std::string& path, std::uint64_t maxBytes, WeightsOrigin origin) {
  return readAs(formatOf(path), path, path, maxBytes, origin);
}

NamedTensors readTensorFile(const Bytes& bytes, std::uint64_t maxBytes, WeightsOrigin origin) {
  return readAs(formatOf(bytes.label()), bytes, bytes.label(), maxBytes, origin);
}

}  // namespace attnviz
