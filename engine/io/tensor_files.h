// Readers for the weight files people already have: NumPy .npy and .npz (stored or deflated zip entries,
// via QuaZip) and .safetensors (F32, F16, BF16; F16/BF16 converted to F32). Each takes a path or Bytes.
// Every header is untrusted: sizes are bounded by the file size before anything is allocated, offsets are
// checked against the file bounds, and no pickled object is ever loaded. Errors are ModelFileError with
// where = the file (and tensor), e.g. "model.safetensors: tensor 'w': data [0, 4096) is not within the file bounds (1000 bytes)".
//
//   attnviz::NamedTensors w = attnviz::readSafetensors("model.safetensors");
//   for (auto& [name, tensor] : w.tensors) ...
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/io/bytes.h"

namespace attnviz {

struct NamedTensors {
  std::string source;                                   // file label, for messages
  std::vector<std::pair<std::string, Tensor>> tensors;  // in file order
};

// maxBytes: the model file limit (kMaxModelFileBytesLimit) on a file mapped, or on all an .npz inflates to.
Tensor readNpy(const std::string& path, std::uint64_t maxBytes = Bytes::kDefaultMaxFileSize);
Tensor readNpy(const Bytes& bytes);  // .npy v1/v2/v3, '<f4' '<f2' '<f8' and integer dtypes converted to f32, C order

NamedTensors readNpz(const std::string& path, std::uint64_t maxBytes = Bytes::kDefaultMaxFileSize);
NamedTensors readNpz(const Bytes& bytes, std::uint64_t maxBytes = Bytes::kDefaultMaxFileSize);  // entry "a/b.npy" -> tensor "a/b"

NamedTensors readSafetensors(const std::string& path, std::uint64_t maxBytes = Bytes::kDefaultMaxFileSize);
NamedTensors readSafetensors(const Bytes& bytes);

// Chooses the reader by extension (.safetensors, .npz, .npy -> one tensor named after the file stem).
NamedTensors readTensorFile(const std::string& path, std::uint64_t maxBytes = Bytes::kDefaultMaxFileSize);
NamedTensors readTensorFile(const Bytes& bytes, std::uint64_t maxBytes = Bytes::kDefaultMaxFileSize);  // by the label's extension

}  // namespace attnviz
