// Package: opens a folder or .zip holding attnviz.json, checks the manifest and that every file it lists is
// there, and reads those files on demand (bounded, regular files only, never outside the package).
#include "engine/io/package.h"

#include <filesystem>
#include <optional>
#include <string_view>
#include <system_error>

#include "engine/core/error.h"
#include "engine/core/utf8.h"
#include "engine/io/binary.h"
#include "engine/io/zip_archive.h"

namespace attnviz {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifestName = "attnviz.json";
constexpr std::uint64_t kMaxManifestSize = 4u << 20;   // a manifest with a long card is still tiny
constexpr std::uint64_t kMaxTextFileSize = 256u << 20;  // vocabularies and label lists
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
// Every message about a package's files ends with the remedy for files models/export.py writes.
constexpr WeightsOrigin kOrigin = WeightsOrigin::AttnvizPackage;

std::string withoutTrailingSlashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

std::string manifestWhere(const std::string& packagePath) { return packagePath + "/" + kManifestName; }

bool isRegularFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// The file `name` of a folder package, refused when it resolves (through a symbolic link) outside the folder.
fs::path insideFolder(const std::string& folder, const std::string& name) {
  const fs::path full = fs::path(folder) / name;
  std::error_code ec1, ec2;
  const fs::path root = fs::canonical(folder, ec1);
  const fs::path resolved = fs::weakly_canonical(full, ec2);
  if (ec1 || ec2) throw ModelFileError(full.string(), "cannot be resolved: " + (ec1 ? ec1 : ec2).message());
  const fs::path relative = resolved.lexically_relative(root);
  if (relative.empty() || *relative.begin() == "..")
    throw ModelFileError(full.string(), "resolves to " + resolved.string() +
                                            ", outside the package folder; a package's files must live inside it");
  return full;
}

const char* hfHint(bool hasConfig) {
  return hasConfig ? " (it has config.json: a Hugging Face checkpoint, which `attnviz info` describes)" : "";
}

}  // namespace

Package Package::open(const std::string& pathIn, std::uint64_t maxFileBytes) {
  Package p;
  p.maxFileBytes_ = maxFileBytes;
  p.path_ = withoutTrailingSlashes(pathIn);
  std::error_code ec;
  const fs::file_status status = fs::status(p.path_, ec);
  if (ec || !fs::exists(status)) throw ModelFileError(p.path_, "no such file or folder");

  if (!fs::is_directory(status))
    return fromZip(std::make_shared<const io::ZipArchive>(io::ZipArchive::open(p.path_)), p.path_, maxFileBytes);
  const fs::path manifest = fs::path(p.path_) / kManifestName;
  if (!fs::exists(manifest, ec))
    throw ModelFileError(p.path_, std::string("has no attnviz.json, so it is not an attnviz package") +
                                      hfHint(isRegularFile(fs::path(p.path_) / "config.json")) +
                                      "; export one with models/export.py");
  const Bytes b = Bytes::mapFile(manifest.string(), kMaxManifestSize);
  p.manifest_ = parseManifest(std::string(reinterpret_cast<const char*>(b.data()), b.size()), manifestWhere(p.path_));
  // Every listed file must be there now, so a broken package fails at open, naming the file, and not in the
  // middle of building a model.
  for (const auto& [role, name] : p.manifest_.files)
    if (!fs::exists(fs::path(p.path_) / name, ec))
      throw ModelFileError(manifestWhere(p.path_), "key 'files." + role + "' names '" + name +
                                                       "', which is not in the package; add the file or " +
                                                       rewriteRemedy(kOrigin));
  return p;
}

Package Package::openZip(Bytes zip, std::uint64_t maxFileBytes) {
  std::string label = zip.label();
  return fromZip(std::make_shared<const io::ZipArchive>(std::move(zip)), std::move(label), maxFileBytes);
}

Package Package::fromZip(std::shared_ptr<const io::ZipArchive> zip, std::string label, std::uint64_t maxFileBytes) {
  Package p;
  p.maxFileBytes_ = maxFileBytes;
  p.path_ = std::move(label);
  p.isZip_ = true;
  p.zip_ = std::move(zip);
  // Nothing is ever extracted, but a package holding "../../x" was made by something broken or hostile.
  for (const io::ZipEntry& e : p.zip_->entries())
    if (!io::isSafeRelativeName(e.name))
      throw ModelFileError(p.path_, "holds an entry named '" + e.name +
                                        "', which is absolute or climbs out with '..'; refusing the package: "
                                        "re-create the zip (models/export.py writes packages)");
  const std::optional<std::string> prefix = io::findRootPrefix(*p.zip_, kManifestName);
  if (!prefix)
    throw ModelFileError(p.path_, std::string("has no attnviz.json at its top or inside its single top-level "
                                              "folder, so it is not an attnviz package") +
                                      hfHint(io::findRootPrefix(*p.zip_, "config.json").has_value()) +
                                      "; export one with models/export.py");
  p.zipPrefix_ = *prefix;
  const std::vector<std::uint8_t> text = p.zip_->read(*p.zip_->find(p.zipPrefix_ + kManifestName), kMaxManifestSize);
  p.manifest_ = parseManifest(std::string(text.begin(), text.end()), manifestWhere(p.path_));
  for (const auto& [role, name] : p.manifest_.files)
    if (!p.zip_->find(p.zipPrefix_ + name))
      throw ModelFileError(manifestWhere(p.path_), "key 'files." + role + "' names '" + name +
                                                       "', which is not in the package; add the file or " +
                                                       rewriteRemedy(kOrigin));
  return p;
}

std::string Package::formatDescription() const {
  const std::string& weights = manifest_.files.at("weights");
  const std::size_t dot = weights.rfind('.');
  return std::string("attnviz package (") + (isZip_ ? "zip" : "folder") + ", " +
         (dot == std::string::npos ? weights : weights.substr(dot + 1)) + ")";
}

bool Package::hasFile(const std::string& role) const { return manifest_.files.count(role) != 0; }

Bytes Package::readFile(const std::string& role, std::uint64_t maxSize, const std::string& limitHint) const {
  const auto it = manifest_.files.find(role);
  if (it == manifest_.files.end()) {
    std::string roles;
    for (const auto& [r, name] : manifest_.files) roles += (roles.empty() ? "" : ", ") + r;
    throw ModelFileError(manifestWhere(path_), "\"files\" has no \"" + role + "\" file (it lists " + roles +
                                                   "); " + rewriteRemedy(kOrigin));
  }
  const std::string& name = it->second;
  if (!isZip_) return Bytes::mapFile(insideFolder(path_, name).string(), maxSize, limitHint);
  const io::ZipEntry* entry = zip_->find(zipPrefix_ + name);
  if (!entry) throw ModelFileError(path_ + "!" + zipPrefix_ + name, "is not in the package");
  return Bytes::fromVector(zip_->read(*entry, maxSize, limitHint), zip_->entryLabel(*entry));
}

std::vector<std::string> Package::readLines(const std::string& role) const {
  const Bytes b = readFile(role, kMaxTextFileSize);
  std::string_view text(reinterpret_cast<const char*>(b.data()), b.size());
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());  // Windows editors add it
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (const auto bad = firstInvalidUtf8(line))
      throw ModelFileError(b.label(), "line " + std::to_string(lines.size() + 1) + " is not valid UTF-8 (byte " +
                                          std::to_string(*bad + 1) + " of the line); save the file as UTF-8");
    lines.emplace_back(line);
    start = end + 1;
  }
  return lines;  // a final '\n' ends the last line; it does not start an empty one
}

WeightSet Package::weights() const {
  return WeightSet(readTensorFile(readFile("weights", maxFileBytes_, Bytes::modelFileLimitHint()), maxFileBytes_, kOrigin),
                   rewriteRemedy(kOrigin));
}

SourceKind detectSource(const std::string& pathIn) {
  const std::string path = withoutTrailingSlashes(pathIn);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    if (fs::exists(fs::path(path) / kManifestName, ec)) return SourceKind::AttnvizPackage;
    if (fs::exists(fs::path(path) / "config.json", ec)) return SourceKind::HuggingFace;
    return SourceKind::Unknown;
  }
  if (!isRegularFile(path)) return SourceKind::Unknown;
  try {
    const io::ZipArchive zip = io::ZipArchive::open(path);
    if (io::findRootPrefix(zip, kManifestName)) return SourceKind::AttnvizPackage;
    if (io::findRootPrefix(zip, "config.json")) return SourceKind::HuggingFace;
  } catch (const Error&) {
    // A damaged file named .zip is most likely a damaged package: let Package::open say what is wrong with it.
    const std::string lower = path.size() >= 4 ? path.substr(path.size() - 4) : "";
    if (lower == ".zip" || lower == ".ZIP") return SourceKind::AttnvizPackage;
  }
  return SourceKind::Unknown;
}

}  // namespace attnviz
