// Readers for the weight files people already have: NumPy .npy and .npz (stored or deflated zip entries,
// via QuaZip) and .safetensors (F32, F16, BF16; F16/BF16 converted to F32). Each takes a path or Bytes.
// Every header is untrusted: what the file really is (a Git LFS pointer, an HTML page, a pickle, ...) is sniffed
// first (file_sniff.h), sizes are bounded by the file size before anything is allocated, offsets are checked against
// the file bounds, and no pickled object is ever loaded. Errors are ModelFileError with where = the file (and tensor),
// e.g. "model.safetensors: tensor 'w': data [0, 4096) is not within the file bounds (1000 bytes)", and end with the
// remedy for `origin`, who wrote the file: the caller says (Package: AttnvizPackage, HfFiles: HuggingFace).
//
//   attnviz::NamedTensors w = attnviz::readSafetensors("model.safetensors", limit, attnviz::WeightsOrigin::HuggingFace);
//   for (auto& [name, tensor] : w.tensors) ...
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/io/bytes.h"
#include "engine/io/file_sniff.h"

namespace attnviz {

struct NamedTensors {
  std::string source;                                   // file label, for messages
  std::vector<std::pair<std::string, Tensor>> tensors;  // in file order
};

// maxBytes: the model file limit (kMaxModelFileBytesLimit) on a file mapped, or on all an .npz inflates to.
// origin: who wrote the file, for the remedy in messages; the readers of one format default to attnviz's own packages.
constexpr WeightsOrigin kDefaultWeightsOrigin = WeightsOrigin::AttnvizPackage;

Tensor readNpy(const std::string& path, std::uint64_t maxBytes = Bytes::kDefaultMaxFileSize,
               WeightsOrigin origin = kDefaultWeightsOrigin);
// .npy v1/v2/v3, '<f4' '<f2' '<f8' and integer dtypes converted to f32, C order
Tensor readNpy(const Bytes& bytes, WeightsOrigin origin = kDefaultWeightsOrigin);
// The same, with the dtype the file stored ('<f4', '|u1', ...), for callers that take only some dtypes.
struct NpyArray {
  Tensor tensor;
  std::string dtype;
};
NpyArray readNpyArray(const Bytes& bytes, WeightsOrigin origin = kDefaultWeightsOrigin);

NamedTensors readNpz(const std::string& path, std::uint64_t maxBytes = Bytes::kDefaultMaxFileSize,
                     WeightsOrigin origin = kDefaultWeightsOrigin);
// entry "a/b.npy" -> tensor "a/b"
NamedTensors readNpz(const Bytes& bytes, std::uint64_t maxBytes = Bytes::kDefaultMaxFileSize,
                     WeightsOrigin origin = kDefaultWeightsOrigin);

NamedTensors readSafetensors(const std::string& path, std::uint64_t maxBytes = Bytes::kDefaultMaxFileSize,
                             WeightsOrigin origin = kDefaultWeightsOrigin);
NamedTensors readSafetensors(const Bytes& bytes, WeightsOrigin origin = kDefaultWeightsOrigin);

// Chooses the reader by extension (.safetensors, .npz, .npy -> one tensor named after the file stem). A weights file
// opened on its own is a timm/DINO Vision Transformer's (loadTimmVit), so origin defaults to TimmFile here; a package
// passes AttnvizPackage.
NamedTensors readTensorFile(const std::string& path, std::uint64_t maxBytes = Bytes::kDefaultMaxFileSize,
                            WeightsOrigin origin = WeightsOrigin::TimmFile);
// by the label's extension
NamedTensors readTensorFile(const Bytes& bytes, std::uint64_t maxBytes = Bytes::kDefaultMaxFileSize,
                            WeightsOrigin origin = WeightsOrigin::TimmFile);

}  // namespace attnviz
