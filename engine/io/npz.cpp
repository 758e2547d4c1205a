// NumPy .npz reader: a zip of .npy entries (numpy.savez stores them, numpy.savez_compressed deflates them).
// Entry "encoder/w.npy" becomes tensor "encoder/w". Every entry is read with a cap, and the total the archive
// inflates to is capped too, so a small hostile .npz cannot claim unbounded memory.
#include <string_view>

#include "engine/core/error.h"
#include "engine/io/binary.h"
#include "engine/io/tensor_files.h"
#include "engine/io/zip_archive.h"

namespace attnviz {

namespace {

constexpr std::string_view kNpySuffix = ".npy";

NamedTensors readNpzArchive(const io::ZipArchive& zip, std::uint64_t maxBytes, WeightsOrigin origin) {
  NamedTensors out;
  out.source = zip.label();
  std::uint64_t budget = maxBytes;  // total bytes all entries may inflate to
  for (const io::ZipEntry& entry : zip.entries()) {
    if (entry.isDir()) continue;  // some zip tools add folder entries; they hold nothing
    const std::string where = zip.entryLabel(entry);
    const std::string_view name(entry.name);
    if (name.size() <= kNpySuffix.size() || name.substr(name.size() - kNpySuffix.size()) != kNpySuffix)
      throw ModelFileError(where, "is not a .npy entry; an .npz holds only .npy arrays (write it with numpy.savez)");
    if (!io::isSafeRelativeName(entry.name))
      throw ModelFileError(where, "has an unsafe entry name (absolute, or with '..', '\\' or control characters); "
                                  "write the file again with numpy.savez");
    std::vector<std::uint8_t> data = zip.read(entry, budget, Bytes::modelFileLimitHint());
    budget -= data.size();
    Bytes bytes = Bytes::fromVector(std::move(data), where);
    out.tensors.emplace_back(std::string(name.substr(0, name.size() - kNpySuffix.size())), readNpy(bytes, origin));
  }
  return out;
}

}  // namespace

NamedTensors readNpz(const Bytes& bytes, std::uint64_t maxBytes, WeightsOrigin origin) {
  io::requireWeightsFormat(bytes.data(), bytes.size(), bytes.size(), io::WeightsFormat::Npz, bytes.label(), origin);
  return readNpzArchive(io::ZipArchive(bytes), maxBytes, origin);
}

NamedTensors readNpz(const std::string& path, std::uint64_t maxBytes, WeightsOrigin origin) {
  return readNpz(Bytes::mapFile(path), maxBytes, origin);  // the archive is mapped whole; maxBytes caps what it inflates to
}

}  // namespace attnviz
