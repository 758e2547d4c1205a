// File sniffing: what a weights file really is, from its first bytes, checked before any reader parses it, so that
// a Git LFS pointer named model.safetensors is called a Git LFS pointer and not "header size 2336927755350992246 is
// larger than the file". The remedy in every message fits who wrote the file (WeightsOrigin): the caller knows it
// (HfFiles: Hugging Face, Package: attnviz package, a lone .safetensors/.npz: timm/DINO) and passes it in.
//
//   const attnviz::Bytes b = attnviz::Bytes::mapFile("bert/model.safetensors");
//   attnviz::io::requireWeightsFormat(b.data(), b.size(), b.size(), attnviz::io::WeightsFormat::Safetensors,
//                                     b.label(), attnviz::WeightsOrigin::HuggingFace);
//   // throws ModelFileError("bert/model.safetensors",
//   //   "is a Git LFS pointer, not the weights: fetch them with git lfs pull (or download the file itself)")
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace attnviz {

// Who wrote a weights file; decides what a message tells the user to do about a bad one.
enum class WeightsOrigin {
  AttnvizPackage,  // a package's weights, written by models/export.py
  HuggingFace,     // a Hugging Face checkpoint's model.safetensors (or a shard), written by save_pretrained
  TimmFile,        // a .safetensors/.npz opened on its own: timm or DINO Vision Transformer weights
};

// How to write the weights again: "re-export with models/export.py",
// "save it again with model.save_pretrained(path, safe_serialization=True)", ...
const std::string& rewriteRemedy(WeightsOrigin origin);
// How to get an intact copy (for a truncated, empty or replaced file): download or copy again, else rewriteRemedy.
const std::string& refetchRemedy(WeightsOrigin origin);

namespace io {

// Bytes from the start of a file that sniffFile looks at (at most); a prefix this long is enough.
constexpr std::size_t kSniffBytes = 4096;

enum class FileKind {
  Empty,          // 0 bytes
  Safetensors,    // an 8-byte header length within the format's limit, then '{' (possibly truncated)
  Npy,            // "\x93NUMPY"
  Zip,            // "PK\3\4" (or an empty zip), not a PyTorch one; detail: the first entry's name
  TorchZip,       // a zip whose first entry is ".../data.pkl": torch.save since PyTorch 1.6 (pytorch_model.bin, .pt)
  Pickle,         // raw pickle, protocol 2 to 5 (torch.save before 1.6, _use_new_zipfile_serialization=False)
  GitLfsPointer,  // "version https://git-lfs.github.com/spec/v1"; detail: the size the pointer names, if any
  Html,           // "<!DOCTYPE html" or "<html" after a BOM and white space, any case
  Text,           // valid UTF-8 without control characters other than white space; detail: its first line
  Unknown,        // other binary: left to the reader's own checks
};

struct Sniffed {
  FileKind kind = FileKind::Unknown;
  std::string detail;  // see FileKind
};

// data: the first `available` bytes of a file of fileSize bytes (available <= fileSize; kSniffBytes are enough).
Sniffed sniffFile(const std::uint8_t* data, std::size_t available, std::uint64_t fileSize);

// "a Git LFS pointer", "an HTML page (a saved download or error page)", "a text file (it begins \"...\")", ...
std::string describeKind(const Sniffed& sniffed);

enum class WeightsFormat { Safetensors, Npz, Npy };

// Throws ModelFileError(where, "is <what it is>, not <expected>: <remedy for origin>") when the bytes are plainly
// something other than `expected` (an LFS pointer, HTML, text, a pickle, an empty file, another weights format);
// returns when they look like `expected` or nothing it recognises (the reader's own checks then say what is wrong).
void requireWeightsFormat(const std::uint8_t* data, std::size_t available, std::uint64_t fileSize,
                          WeightsFormat expected, const std::string& where, WeightsOrigin origin);

// The message for a file that is not a zip at all, or "" when the bytes are binary (then the zip reader's own
// message stands). For model zips, whose origin is not known yet.
std::string notAZipMessage(const std::uint8_t* data, std::size_t available, std::uint64_t fileSize);

}  // namespace io
}  // namespace attnviz
