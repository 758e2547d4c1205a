#include "engine/io/file_sniff.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>

#include "engine/core/error.h"
#include "engine/core/utf8.h"
#include "engine/io/binary.h"
#include "engine/io/safetensors.h"

namespace attnviz {

namespace {

// The one place each remedy is written; every reader's message takes its text from here.
const std::string kPackageRewrite = "re-export with models/export.py";
const std::string kHfRewrite = "save it again with model.save_pretrained(path, safe_serialization=True)";
const std::string kTimmRewrite = "save it again with safetensors.torch.save_file(model.state_dict(), path)";
const std::string kPackageRefetch = "copy the package again or " + kPackageRewrite;
const std::string kHfRefetch =
    "download it again (the file itself: a /resolve/ link on the Hub, not /blob/) or save it with "
    "model.save_pretrained(path, safe_serialization=True)";
const std::string kTimmRefetch =
    "download it again (the file itself, not its web page) or save it with "
    "safetensors.torch.save_file(model.state_dict(), path)";
const std::string kLfsMessage =
    "is a Git LFS pointer, not the weights: fetch them with git lfs pull (or download the file itself)";

constexpr std::string_view kLfsSignature = "version https://git-lfs.github.com/spec/v1";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::uint8_t kNpyMagic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr std::uint8_t kZipLocalHeader[] = {'P', 'K', 3, 4};
constexpr std::uint8_t kZipEndRecord[] = {'P', 'K', 5, 6};
constexpr std::size_t kZipLocalHeaderSize = 30;  // fixed part, then the name
constexpr std::size_t kZipEndRecordSize = 22;    // fixed part, then a comment of up to 65535 bytes
constexpr std::size_t kZipMaxComment = 65535;
constexpr std::uint8_t kPickleProto = 0x80;      // PROTO opcode, then the protocol number
constexpr std::size_t kMaxQuotedLine = 60;       // bytes of a text file's first line quoted in a message

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool startsWithBytes(const std::uint8_t* data, std::size_t size, const std::uint8_t* magic, std::size_t n) {
  return size >= n && std::memcmp(data, magic, n) == 0;
}

bool startsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

std::string_view afterBomAndSpace(std::string_view s) {
  if (startsWith(s, kUtf8Bom)) s.remove_prefix(kUtf8Bom.size());
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

// Valid UTF-8 with no control characters but white space. `cut`: the window ends inside the file, so a sequence
// broken by the window's end is allowed.
bool isText(std::string_view s, bool cut) {
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') || c == 0x7f) return false;
  const auto bad = firstInvalidUtf8(s);
  return !bad || (cut && *bad + 4 > s.size());
}

// The first non-empty line, at most kMaxQuotedLine bytes, cut at a character boundary.
std::string firstLine(std::string_view s) {
  s = afterBomAndSpace(s);
  s = s.substr(0, s.find_first_of("\r\n"));
  if (s.size() > kMaxQuotedLine) {
    std::size_t n = kMaxQuotedLine;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // not inside a UTF-8 sequence
    return std::string(s.substr(0, n)) + "...";
  }
  return std::string(s);
}

// The name of a zip's first local entry, or "" when the header is cut.
std::string firstZipEntry(const std::uint8_t* data, std::size_t size) {
  if (size < kZipLocalHeaderSize) return {};
  const std::size_t n = io::loadLE<std::uint16_t>(data + 26);
  if (size < kZipLocalHeaderSize + n) return {};
  return std::string(reinterpret_cast<const char*>(data + kZipLocalHeaderSize), n);
}

// Whether the end-of-central-directory record is where a whole zip has it: within its last 22 + 65535 bytes.
bool hasZipEndRecord(const std::uint8_t* data, std::size_t size) {
  if (size < kZipEndRecordSize) return false;
  const std::size_t lowest = size - kZipEndRecordSize > kZipMaxComment ? size - kZipEndRecordSize - kZipMaxComment : 0;
  for (std::size_t i = size - kZipEndRecordSize + 1; i-- > lowest;)
    if (std::memcmp(data + i, kZipEndRecord, sizeof kZipEndRecord) == 0) return true;
  return false;
}

// ", not a safetensors file": what the reader expected, said after what the file is.
std::string notExpected(io::WeightsFormat f) {
  switch (f) {
    case io::WeightsFormat::Safetensors: return ", not a safetensors file";
    case io::WeightsFormat::Npz: return ", not an .npz file, so it cannot be read as a zip archive";
    case io::WeightsFormat::Npy: return ", not a .npy file";
  }
  return ", not a weights file";
}

}  // namespace

const std::string& rewriteRemedy(WeightsOrigin origin) {
  switch (origin) {
    case WeightsOrigin::AttnvizPackage: return kPackageRewrite;
    case WeightsOrigin::HuggingFace: return kHfRewrite;
    case WeightsOrigin::TimmFile: return kTimmRewrite;
  }
  return kPackageRewrite;
}

const std::string& refetchRemedy(WeightsOrigin origin) {
  switch (origin) {
    case WeightsOrigin::AttnvizPackage: return kPackageRefetch;
    case WeightsOrigin::HuggingFace: return kHfRefetch;
    case WeightsOrigin::TimmFile: return kTimmRefetch;
  }
  return kPackageRefetch;
}

namespace io {

Sniffed sniffFile(const std::uint8_t* data, std::size_t available, std::uint64_t fileSize) {
  if (fileSize == 0 || available == 0) return {FileKind::Empty, {}};
  const std::size_t n = std::min(available, kSniffBytes);
  const std::string_view head(reinterpret_cast<const char*>(data), n);

  if (startsWith(head, kLfsSignature)) return {FileKind::GitLfsPointer, {}};
  if (startsWithBytes(data, n, kZipLocalHeader, sizeof kZipLocalHeader) ||
      startsWithBytes(data, n, kZipEndRecord, sizeof kZipEndRecord)) {
    std::string first = firstZipEntry(data, n);
    const bool torch = first == "data.pkl" || first.ends_with("/data.pkl");
    return {torch ? FileKind::TorchZip : FileKind::Zip, std::move(first)};
  }
  if (startsWithBytes(data, n, kNpyMagic, sizeof kNpyMagic)) return {FileKind::Npy, {}};
  if (n > kSafetensorsPrefix) {
    const auto length = loadLE<std::uint64_t>(data);
    if (length >= 2 && length <= kSafetensorsMaxHeader && data[kSafetensorsPrefix] == '{') return {FileKind::Safetensors, {}};
  }
  // PROTO 2..5 and an opcode: a header length of safetensors has a zero byte there, which no opcode is.
  if (n >= 3 && data[0] == kPickleProto && data[1] >= 2 && data[1] <= 5 && data[2] != 0) return {FileKind::Pickle, {}};
  const std::string_view body = afterBomAndSpace(head);
  if (startsWithNoCase(body, "<!doctype html") || startsWithNoCase(body, "<html")) return {FileKind::Html, {}};
  if (isText(head, n < fileSize)) return {FileKind::Text, firstLine(head)};
  return {FileKind::Unknown, {}};
}

std::string describeKind(const Sniffed& s) {
  switch (s.kind) {
    case FileKind::Empty: return "empty (0 bytes)";
    case FileKind::Safetensors: return "a safetensors file";
    case FileKind::Npy: return "a NumPy .npy array";
    case FileKind::Zip:
      return s.detail.ends_with(".npy") ? "a NumPy .npz archive (a zip of .npy arrays)" : "a zip archive";
    case FileKind::TorchZip:
    case FileKind::Pickle: return "a PyTorch pickle (torch.save)";
    case FileKind::GitLfsPointer: return "a Git LFS pointer";
    case FileKind::Html: return "an HTML page (a saved download or error page)";
    case FileKind::Text: return "a text file (it begins \"" + s.detail + "\")";
    case FileKind::Unknown: break;
  }
  return "a file of unknown format";
}

void requireWeightsFormat(const std::uint8_t* data, std::size_t available, std::uint64_t fileSize,
                          WeightsFormat expected, const std::string& where, WeightsOrigin origin) {
  const Sniffed s = sniffFile(data, available, fileSize);
  const std::string what = "is " + describeKind(s) + notExpected(expected);
  switch (s.kind) {
    case FileKind::Unknown: return;
    case FileKind::Safetensors:
      if (expected == WeightsFormat::Safetensors) return;
      break;
    case FileKind::Npy:
      if (expected == WeightsFormat::Npy) return;
      break;
    case FileKind::Zip:
      if (expected != WeightsFormat::Npz) break;
      // A zip keeps its directory at the end: without it, the copy or download stopped early.
      if (available >= fileSize && !hasZipEndRecord(data, available))
        throw ModelFileError(where, "is truncated: a zip archive of " + byteCount(fileSize) +
                                        " without the directory a whole one ends with, so it cannot be read as a zip "
                                        "archive: " + refetchRemedy(origin));
      return;
    case FileKind::TorchZip:
    case FileKind::Pickle:
      throw ModelFileError(where, what + ": attnviz never opens pickles (loading one can run code); " + rewriteRemedy(origin));
    case FileKind::GitLfsPointer: throw ModelFileError(where, kLfsMessage);
    case FileKind::Empty:
    case FileKind::Html:
    case FileKind::Text: throw ModelFileError(where, what + ": " + refetchRemedy(origin));
  }
  throw ModelFileError(where, what + ": " + rewriteRemedy(origin));
}

std::string notAZipMessage(const std::uint8_t* data, std::size_t available, std::uint64_t fileSize) {
  const Sniffed s = sniffFile(data, available, fileSize);
  switch (s.kind) {
    case FileKind::GitLfsPointer: return kLfsMessage;
    case FileKind::Empty:
    case FileKind::Html:
    case FileKind::Text:
      return "is " + describeKind(s) + ", so it cannot be read as a zip archive: download or copy it again";
    case FileKind::Pickle:
      return "is " + describeKind(s) + ", so it cannot be read as a zip archive (and attnviz never opens pickles, "
             "which can run code)";
    default: return {};
  }
}

}  // namespace io
}  // namespace attnviz
