#include "engine/io/hf_files.h"

#include <QJsonObject>
#include <QJsonValue>
#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <set>

#include "engine/core/error.h"
#include "engine/io/bytes.h"
#include "engine/io/json_util.h"
#include "engine/io/package.h"
#include "engine/io/safetensors.h"
#include "engine/io/zip_archive.h"

namespace attnviz {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxListedFiles = 1000;  // a checkpoint folder is a handful of files
// Every message about a checkpoint's files ends with the remedy for what save_pretrained writes.
constexpr WeightsOrigin kOrigin = WeightsOrigin::HuggingFace;

}  // namespace

HfFiles::HfFiles(const std::string& path, std::uint64_t maxFileBytes) : path_(path), maxFileBytes_(maxFileBytes) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    listFolder();
    return;
  }
  zip_ = std::make_unique<io::ZipArchive>(io::ZipArchive::open(path));
  listZip();
}

HfFiles::HfFiles(Bytes zip, std::uint64_t maxFileBytes) : path_(zip.label()), maxFileBytes_(maxFileBytes) {
  zip_ = std::make_unique<io::ZipArchive>(std::move(zip));
  listZip();
}

void HfFiles::listZip() {
  const auto prefix = io::findRootPrefix(*zip_, "config.json");
  if (!prefix) throw ModelFileError(path_, "has no config.json at its top or inside its single top-level folder, "
                                           "so it is not a Hugging Face checkpoint");
  prefix_ = *prefix;
  for (const io::ZipEntry& e : zip_->entries())
    if (!e.isDir() && e.name.compare(0, prefix_.size(), prefix_) == 0 && files_.size() < kMaxListedFiles)
      files_.push_back(e.name.substr(prefix_.size()));
  std::sort(files_.begin(), files_.end());
}

HfFiles::~HfFiles() = default;
HfFiles::HfFiles(HfFiles&&) noexcept = default;

bool HfFiles::isZip() const { return zip_ != nullptr; }

bool HfFiles::has(const std::string& name) const { return std::binary_search(files_.begin(), files_.end(), name); }

std::string HfFiles::label(const std::string& name) const {
  return isZip() ? path_ + "!" + prefix_ + name : path_ + "/" + name;
}

std::string HfFiles::readText(const std::string& name, std::uint64_t maxSize) const {
  if (!isZip()) {
    const Bytes b = Bytes::mapFile(label(name), maxSize);
    return std::string(reinterpret_cast<const char*>(b.data()), b.size());
  }
  const std::vector<std::uint8_t> data = zip_->read(entry(name), maxSize);
  return std::string(data.begin(), data.end());
}

io::SafetensorsHeader HfFiles::safetensorsHeader(const std::string& name) const {
  const std::string where = label(name);
  if (!isZip()) {
    // No size limit: only the header's pages are ever touched.
    const Bytes b = Bytes::mapFile(where, std::numeric_limits<std::uint64_t>::max());
    return io::parseSafetensorsHeader(b.data(), b.size(), b.size(), where, kOrigin);
  }
  const io::ZipEntry& e = entry(name);
  // Enough of the entry to tell what it really is (an LFS pointer, a pickle, ...) as well as the header length.
  const std::vector<std::uint8_t> prefix = zip_->readPrefix(e, io::kSniffBytes);
  const std::uint64_t length =
      io::safetensorsHeaderLength(prefix.data(), prefix.size(), e.uncompressedSize, where, kOrigin);
  const std::vector<std::uint8_t> head = zip_->readPrefix(e, io::kSafetensorsPrefix + static_cast<std::size_t>(length));
  if (head.size() < io::kSafetensorsPrefix + length)
    throw ModelFileError(where, "ends inside its header; the file is truncated: " + refetchRemedy(kOrigin));
  return io::parseSafetensorsHeader(head.data(), head.size(), e.uncompressedSize, where, kOrigin);
}

std::string HfFiles::weightsFile() const {
  for (const char* name : {"model.safetensors", "model.safetensors.index.json", "pytorch_model.bin"})
    if (has(name)) return name;
  return {};
}

std::vector<std::string> HfFiles::shardNames() const {
  const std::string indexName = "model.safetensors.index.json";
  const std::string text = readText(indexName);
  const std::string where = label(indexName);
  const QJsonObject index = io::parseJsonObject(text.data(), text.size(), where, refetchRemedy(kOrigin));
  const QJsonValue map = index.value(QLatin1String("weight_map"));
  if (!map.isObject()) throw ModelFileError(where, "has no \"weight_map\" object; " + refetchRemedy(kOrigin));
  std::set<std::string> shards;
  const QJsonObject o = map.toObject();
  for (auto it = o.begin(); it != o.end(); ++it) {
    const std::string shard = it.value().toString().toStdString();
    if (!io::isSafeRelativeName(shard))
      throw ModelFileError(where, "names the shard '" + shard + "', which is not a plain relative file name");
    shards.insert(shard);
  }
  return {shards.begin(), shards.end()};
}

NamedTensors HfFiles::readWeights() const {
  const std::string file = weightsFile();
  const auto readOne = [&](const std::string& name) {
    if (!has(name)) throw ModelFileError(label(name), "is missing (named by model.safetensors.index.json)");
    if (!isZip()) return readSafetensors(label(name), maxFileBytes_, kOrigin);
    return readSafetensors(
        Bytes::fromVector(zip_->read(entry(name), maxFileBytes_, Bytes::modelFileLimitHint()), label(name)), kOrigin);
  };
  if (file == "model.safetensors") return readOne(file);
  if (file == "model.safetensors.index.json") {
    NamedTensors all;
    all.source = label(file);
    for (const std::string& shard : shardNames()) {
      NamedTensors part = readOne(shard);
      for (auto& t : part.tensors) all.tensors.push_back(std::move(t));
    }
    return all;
  }
  if (file == "pytorch_model.bin")
    throw ModelFileError(label(file), "is a pickle, which attnviz never opens (it can run code); " +
                                      rewriteRemedy(kOrigin) + " to write model.safetensors");
  throw ModelFileError(path_, "has no model.safetensors (or sharded model.safetensors.index.json) weights file");
}

void HfFiles::listFolder() {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (files_.size() >= kMaxListedFiles) break;
    if (it->is_regular_file(ec)) files_.push_back(fs::relative(it->path(), path_, ec).generic_string());
  }
  std::sort(files_.begin(), files_.end());
}

const io::ZipEntry& HfFiles::entry(const std::string& name) const {
  const io::ZipEntry* e = zip_->find(prefix_ + name);
  if (!e) throw ModelFileError(label(name), "is not in the zip");
  return *e;
}

std::vector<std::string> hfLabels(const Params& config, const std::string& where) {
  std::map<std::int64_t, std::string> byId;
  for (const auto& [key, value] : config.getStringMap("id2label")) {
    char* end = nullptr;
    const long long id = std::strtoll(key.c_str(), &end, 10);
    if (key.empty() || *end != '\0' || id < 0 || id >= (1 << 22) || byId.count(id))
      throw ModelFileError(where, "id2label has the key \"" + key + "\"; expected the ids 0 .. n-1, each once");
    byId[id] = value;
  }
  std::vector<std::string> labels;
  for (const auto& [id, label] : byId) {
    if (id != static_cast<std::int64_t>(labels.size()))
      throw ModelFileError(where, "id2label skips the id " + std::to_string(labels.size()));
    labels.push_back(label);
  }
  return labels;
}

// Labels of a classification head with `rows` outputs: id2label when config.json has it (transformers leaves the default
// LABEL_0/LABEL_1 map out of config.json), else LABEL_0 .. LABEL_{rows-1}; num_labels must agree when given.
std::vector<std::string> hfHeadLabels(const Params& config, std::int64_t rows, const std::string& tensor,
                                      const std::string& where) {
  if (config.has("num_labels") && config.getInt("num_labels", 1, 1 << 22) != rows)
    throw ModelFileError(where, "config key 'num_labels' is " + std::to_string(config.getInt("num_labels", 1, 1 << 22)) +
                                    " but the tensor '" + tensor + "' has " + std::to_string(rows) + " rows");
  std::vector<std::string> labels = hfLabels(config, where);
  if (labels.empty()) {
    for (std::int64_t i = 0; i < rows; ++i) labels.push_back("LABEL_" + std::to_string(i));
  } else if (static_cast<std::int64_t>(labels.size()) != rows) {
    throw ModelFileError(where, "config key 'id2label' names " + std::to_string(labels.size()) + " labels but the tensor '" +
                                    tensor + "' has " + std::to_string(rows) + " rows, one per label");
  }
  return labels;
}

}  // namespace attnviz
