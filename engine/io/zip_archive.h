// Internal to engine/io: a zip archive read through QuaZip from Bytes (a mapped file or a buffer), for .npz
// files, zipped packages and zipped Hugging Face checkpoints. Entry names are only compared with names the
// caller asks for; nothing is ever extracted to disk. Every size a zip claims is bounded before reading, and
// reading stops at the claimed size (minizip caps inflation there and checks the CRC), so a zip bomb costs
// at most the caller's limit.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/io/bytes.h"

namespace attnviz::io {

struct ZipEntry {
  std::string name;  // as stored, '/'-separated
  std::uint64_t compressedSize = 0;
  std::uint64_t uncompressedSize = 0;
  int method = 0;  // 0 stored, 8 deflated; others are refused when read
  bool encrypted = false;
  bool symlink = false;  // Unix symlink entry: its "content" is a link target, never followed
  bool isDir() const { return !name.empty() && name.back() == '/'; }
};

class ZipArchive {
 public:
  // Throws ModelFileError (where = the label) when the bytes are not a readable zip or two entries share a name.
  explicit ZipArchive(Bytes bytes);
  static ZipArchive open(const std::string& path) { return ZipArchive(Bytes::mapFile(path)); }

  const std::string& label() const;
  const std::vector<ZipEntry>& entries() const;
  const ZipEntry* find(const std::string& name) const;  // exact, case-sensitive; nullptr when absent
  std::string entryLabel(const ZipEntry& entry) const { return label() + "!" + entry.name; }

  // The whole entry, refused when it claims more than maxSize bytes; CRC checked.
  // limitHint: as in Bytes::mapFile, said after the limit.
  std::vector<std::uint8_t> read(const ZipEntry& entry, std::uint64_t maxSize, const std::string& limitHint = {}) const;
  // The first n bytes of the entry (fewer when it is shorter), for headers of large files; no CRC check.
  std::vector<std::uint8_t> readPrefix(const ZipEntry& entry, std::size_t n) const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Where `file` sits in a zipped package or checkpoint: "" when at the top, "folder/" when the whole zip is one
// top-level folder holding it (what "compress this folder" makes); nullopt otherwise. macOS "__MACOSX/"
// resource entries are ignored.
std::optional<std::string> findRootPrefix(const ZipArchive& zip, const std::string& file);

// A relative '/'-separated name with no "." or ".." component, no backslash, no drive letter, no control
// characters: safe to look up inside a package (and harmless even if someone did use it as a path).
bool isSafeRelativeName(const std::string& name);

}  // namespace attnviz::io
