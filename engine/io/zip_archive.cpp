#include "engine/io/zip_archive.h"

#include <QBuffer>
#include <QByteArray>
#include <algorithm>
#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipfileinfo.h>
#include <unordered_map>

#include "engine/core/error.h"
#include "engine/io/binary.h"
#include "engine/io/file_sniff.h"

namespace attnviz::io {

namespace {

constexpr int kMethodStored = 0;
constexpr int kMethodDeflated = 8;
// Deflate cannot expand data by more than about 1032:1 (a 258-byte match per 2 bits); an entry claiming more
// is corrupt or hostile, and is refused before any buffer is sized from its claim.
constexpr std::uint64_t kMaxDeflateRatio = 1032;
constexpr std::uint64_t kDeflateSlack = 1024;  // room for tiny entries, where block headers dominate
constexpr std::size_t kReadChunk = 1u << 20;
constexpr std::size_t kMaxInitialReserve = 64u << 20;  // grow past this only as data actually arrives
constexpr std::uint32_t kUnixFileTypeMask = 0170000;
constexpr std::uint32_t kUnixSymlink = 0120000;

std::string zipErrorText(int code) {
  switch (code) {
    case UNZ_OK: return "no error";
    case UNZ_ERRNO: return "read error";
    case UNZ_PARAMERROR: return "bad parameter";
    case UNZ_BADZIPFILE: return "bad zip structure";
    case UNZ_OPENERROR: return "no end-of-archive record";
    case UNZ_INTERNALERROR: return "internal zip error";
    case UNZ_CRCERROR: return "CRC mismatch: the data is damaged";
    default: return "zip error " + std::to_string(code);
  }
}

// QBuffer prints a warning for every seek past its end, which minizip does while probing a damaged zip;
// those are reported as errors by the caller, so the seek simply fails here, quietly.
class QuietBuffer : public QBuffer {
 public:
  using QBuffer::QBuffer;
  bool seek(qint64 pos) override { return pos >= 0 && pos <= size() && QBuffer::seek(pos); }
};

}  // namespace

struct ZipArchive::Impl {
  Bytes bytes;
  QByteArray raw;  // views bytes without copying (fromRawData)
  QuietBuffer buffer;
  QuaZip zip;
  std::vector<ZipEntry> entries;
  std::unordered_map<std::string, std::size_t> byName;

  explicit Impl(Bytes b)
      : bytes(std::move(b)),
        raw(QByteArray::fromRawData(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()))),
        buffer(&raw),
        zip(&buffer) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const { throw ModelFileError(where, what); }

  // Positions QuaZip on `entry` and opens it for reading, after checking what it claims.
  void openEntry(QuaZipFile& file, const ZipEntry& entry) {
    const std::string where = bytes.label() + "!" + entry.name;
    if (entry.isDir()) fail(where, "is a folder entry, expected a file");
    if (entry.symlink) fail(where, "is a symbolic link entry; attnviz reads plain file entries only");
    if (entry.encrypted) fail(where, "is encrypted; attnviz reads unencrypted zips only: re-create the zip without a password");
    if (entry.method != kMethodStored && entry.method != kMethodDeflated)
      fail(where, "uses compression method " + std::to_string(entry.method) +
                      "; attnviz reads stored and deflated entries only: re-create the zip with plain deflate");
    if (!zip.setCurrentFile(QString::fromStdString(entry.name), QuaZip::csSensitive))
      fail(where, "cannot be found again in the zip: " + zipErrorText(zip.getZipError()));
    if (!file.open(QIODevice::ReadOnly)) fail(where, "cannot be opened: " + zipErrorText(file.getZipError()));
  }
};

ZipArchive::ZipArchive(Bytes bytes) : impl_(std::make_shared<Impl>(std::move(bytes))) {
  Impl& d = *impl_;
  const std::string& where = d.bytes.label();
  if (!d.zip.open(QuaZip::mdUnzip)) {
    // A Git LFS pointer, a saved web page or a note where the zip should be: say that, not "no zip directory".
    const std::string notZip = notAZipMessage(d.bytes.data(), d.bytes.size(), d.bytes.size());
    if (!notZip.empty()) throw ModelFileError(where, notZip);
    throw ModelFileError(where, "cannot be read as a zip archive: no valid zip directory was found (" +
                                    zipErrorText(d.zip.getZipError()) + "); the file is truncated, damaged or not a zip");
  }
  bool more = d.zip.goToFirstFile();
  while (more) {
    QuaZipFileInfo64 info;
    if (!d.zip.getCurrentFileInfo(&info))
      throw ModelFileError(where, "has a damaged central directory: " + zipErrorText(d.zip.getZipError()));
    ZipEntry e;
    e.name = info.name.toStdString();
    e.compressedSize = info.compressedSize;
    e.uncompressedSize = info.uncompressedSize;
    e.method = info.method;
    e.encrypted = (info.flags & 1u) != 0;
    e.symlink = ((info.externalAttr >> 16) & kUnixFileTypeMask) == kUnixSymlink;
    // A stored or deflated entry never holds more compressed bytes than the archive itself.
    if (e.compressedSize > d.bytes.size())
      throw ModelFileError(where + "!" + e.name, "claims " + byteCount(e.compressedSize) +
                                                     " of compressed data, more than the whole archive (" +
                                                     byteCount(d.bytes.size()) + "); the zip is damaged");
    if (!d.byName.emplace(e.name, d.entries.size()).second)
      throw ModelFileError(where, "holds two entries named '" + e.name + "'; re-create the zip");
    d.entries.push_back(std::move(e));
    more = d.zip.goToNextFile();
  }
  if (d.zip.getZipError() != UNZ_OK)
    throw ModelFileError(where, "has a damaged central directory: " + zipErrorText(d.zip.getZipError()));
}

const std::string& ZipArchive::label() const { return impl_->bytes.label(); }
const std::vector<ZipEntry>& ZipArchive::entries() const { return impl_->entries; }

const ZipEntry* ZipArchive::find(const std::string& name) const {
  const auto it = impl_->byName.find(name);
  return it == impl_->byName.end() ? nullptr : &impl_->entries[it->second];
}

std::vector<std::uint8_t> ZipArchive::read(const ZipEntry& entry, std::uint64_t maxSize, const std::string& limitHint) const {
  Impl& d = *impl_;
  const std::string where = entryLabel(entry);
  const std::uint64_t claimed = entry.uncompressedSize;
  if (claimed > maxSize)
    throw ModelFileError(where, "claims " + byteCount(claimed) + " uncompressed, more than the limit of " +
                                    byteCount(maxSize) + limitHint);
  if (entry.method == kMethodStored && claimed != entry.compressedSize)
    throw ModelFileError(where, "is stored uncompressed but claims " + byteCount(claimed) + " from " +
                                    byteCount(entry.compressedSize) + "; the zip is damaged");
  if (entry.method == kMethodDeflated && claimed > entry.compressedSize * kMaxDeflateRatio + kDeflateSlack)
    throw ModelFileError(where, "claims to inflate " + byteCount(entry.compressedSize) + " to " + byteCount(claimed) +
                                    ", more than deflate can; the zip is damaged or a zip bomb");

  QuaZipFile file(&d.zip);
  d.openEntry(file, entry);
  std::vector<std::uint8_t> out;
  out.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(claimed, kMaxInitialReserve)));
  while (out.size() < claimed) {
    const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(claimed - out.size(), kReadChunk));
    const std::size_t old = out.size();
    out.resize(old + chunk);
    const qint64 n = file.read(reinterpret_cast<char*>(out.data() + old), static_cast<qint64>(chunk));
    if (n <= 0)
      throw ModelFileError(where, "ends after " + byteCount(old) + " of the " + byteCount(claimed) + " it claims (" +
                                      (n < 0 ? zipErrorText(file.getZipError()) : std::string("truncated")) +
                                      "); the zip is damaged");
    out.resize(old + static_cast<std::size_t>(n));
  }
  file.close();  // checks the CRC now that everything was read
  if (file.getZipError() != UNZ_OK)
    throw ModelFileError(where, zipErrorText(file.getZipError()) + "; copy or export the file again");
  return out;
}

std::vector<std::uint8_t> ZipArchive::readPrefix(const ZipEntry& entry, std::size_t n) const {
  Impl& d = *impl_;
  QuaZipFile file(&d.zip);
  d.openEntry(file, entry);
  const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(n, entry.uncompressedSize));
  std::vector<std::uint8_t> out(want);
  std::size_t got = 0;
  while (got < want) {
    const qint64 r = file.read(reinterpret_cast<char*>(out.data() + got), static_cast<qint64>(want - got));
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
  }
  out.resize(got);
  file.close();  // an early close skips the CRC check, which needs the whole entry
  return out;
}

std::optional<std::string> findRootPrefix(const ZipArchive& zip, const std::string& file) {
  if (zip.find(file)) return std::string();
  std::string folder;
  for (const ZipEntry& e : zip.entries()) {
    const std::size_t slash = e.name.find('/');
    if (slash == std::string::npos) return std::nullopt;  // a file at the top, beside the folder
    const std::string top = e.name.substr(0, slash + 1);
    if (top == "__MACOSX/") continue;
    if (folder.empty()) folder = top;
    if (top != folder) return std::nullopt;  // two top-level folders: which one is the package?
  }
  if (folder.empty() || !zip.find(folder + file)) return std::nullopt;
  return folder;
}

bool isSafeRelativeName(const std::string& name) {
  if (name.empty() || name.front() == '/') return false;
  if (name.size() >= 2 && name[1] == ':') return false;  // "C:..." on Windows
  for (char c : name)
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    const std::string_view part(name.data() + start, end - start);
    if (part == ".." || part == ".") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace attnviz::io
