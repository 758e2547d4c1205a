// Internal to engine/io: the safetensors header, parsed and checked without touching tensor data, shared by
// readSafetensors and the Hugging Face description (which reads only the header of a possibly huge file).
// Format: 8-byte little-endian header length N, N bytes of JSON {"name": {"dtype", "shape", "data_offsets":
// [begin, end]}, "__metadata__": {...}}, then the data; offsets count from the end of the header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/tensor.h"
#include "engine/io/file_sniff.h"

namespace attnviz::io {

struct SafetensorsEntry {
  std::string name;
  std::string dtype;  // "F32", "BF16", "I64", ...
  std::size_t dtypeSize = 0;
  Shape shape;
  std::int64_t numel = 0;
  std::uint64_t begin = 0;  // offsets into the data section, checked against its size
  std::uint64_t end = 0;
};

struct SafetensorsHeader {
  std::uint64_t dataStart = 0;  // 8 + header length
  std::uint64_t dataSize = 0;
  std::vector<SafetensorsEntry> entries;  // in data order (by begin offset)
};

constexpr std::size_t kSafetensorsPrefix = 8;
// The safetensors library refuses headers over 100 MB; so do we, before allocating or parsing anything.
constexpr std::uint64_t kSafetensorsMaxHeader = 100'000'000;

// The header length from the first 8 bytes, checked against fileSize and the limit, after requireWeightsFormat has
// refused what is plainly not safetensors (give it min(fileSize, kSniffBytes) bytes for that). Messages end with the
// remedy for origin.
std::uint64_t safetensorsHeaderLength(const std::uint8_t* data, std::size_t available, std::uint64_t fileSize,
                                      const std::string& where, WeightsOrigin origin);
// data holds at least the first `available` bytes of a file of fileSize bytes; available must cover the header.
SafetensorsHeader parseSafetensorsHeader(const std::uint8_t* data, std::size_t available, std::uint64_t fileSize,
                                         const std::string& where, WeightsOrigin origin);

}  // namespace attnviz::io
