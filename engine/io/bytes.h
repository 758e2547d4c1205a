// Bytes: a read-only run of bytes with a label for messages, memory-mapped from a file or moved in from
// memory (an entry QuaZip pulled out of a zip). Tensor views into it keep it alive through owner().
//
//   attnviz::Bytes b = attnviz::Bytes::mapFile("model.safetensors");
//   attnviz::Bytes z = attnviz::Bytes::fromVector(std::move(buffer), "model.zip!model.safetensors");
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/limits.h"

namespace attnviz {

class Bytes {
 public:
  Bytes() = default;
  // Maps the file privately (copy-on-write, so views may be handed out as mutable float*; the file is
  // never written). Throws ModelFileError naming the path if it cannot be opened or exceeds maxSize.
  // limitHint is said after the limit in that message when the user can change it (modelFileLimitHint()).
  static Bytes mapFile(const std::string& path, std::uint64_t maxSize = kDefaultMaxFileSize,
                       const std::string& limitHint = {});
  static Bytes fromVector(std::vector<std::uint8_t> data, std::string label);
  // Refuses a file (or a file's bytes in memory) of more than maxSize bytes, as mapFile does: ModelFileError(label).
  static void requireSizeAtMost(const std::string& label, std::uint64_t size, std::uint64_t maxSize,
                                const std::string& limitHint = {});

  std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  const std::string& label() const { return label_; }  // file path, or "archive.zip!entry"
  const std::shared_ptr<const void>& owner() const { return owner_; }

  static constexpr std::uint64_t kDefaultMaxFileSize = kMaxModelFileBytesLimit.defaultValue;  // 8 GiB
  // " (the limit of bytes of a model file; change it with --max-model-size, or Run > Limits in the GUI)"
  static const std::string& modelFileLimitHint();

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::string label_;
  std::shared_ptr<const void> owner_;
};

}  // namespace attnviz
