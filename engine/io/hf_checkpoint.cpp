// describeHfCheckpoint: what a Hugging Face checkpoint (folder or zip) holds, for `attnviz info`, read from
// config.json and the safetensors headers only. No tensor data is read; pytorch_model.bin is a pickle and is
// only named, never opened.
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <algorithm>
#include <filesystem>
#include <limits>
#include <set>

#include "engine/core/error.h"
#include "engine/io/binary.h"
#include "engine/io/json_util.h"
#include "engine/io/package.h"
#include "engine/io/safetensors.h"
#include "engine/io/zip_archive.h"

namespace attnviz {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kMaxConfigSize = 16u << 20;  // config.json, model.safetensors.index.json
constexpr std::size_t kMaxListedFiles = 1000;        // a checkpoint folder is a handful of files
constexpr const char* kFixHint = "the checkpoint is damaged; download or save it again";

// A checkpoint's files, from a folder or from inside a zip, behind one interface.
class CheckpointFiles {
 public:
  explicit CheckpointFiles(const std::string& path) : path_(path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      listFolder();
      return;
    }
    zip_.emplace(io::ZipArchive::open(path));
    const auto prefix = io::findRootPrefix(*zip_, "config.json");
    if (!prefix) throw ModelFileError(path, "has no config.json at its top or inside its single top-level folder, "
                                            "so it is not a Hugging Face checkpoint");
    prefix_ = *prefix;
    for (const io::ZipEntry& e : zip_->entries())
      if (!e.isDir() && e.name.compare(0, prefix_.size(), prefix_) == 0 && files_.size() < kMaxListedFiles)
        files_.push_back(e.name.substr(prefix_.size()));
    std::sort(files_.begin(), files_.end());
  }

  bool isZip() const { return zip_.has_value(); }
  const std::vector<std::string>& files() const { return files_; }
  bool has(const std::string& name) const { return std::binary_search(files_.begin(), files_.end(), name); }
  std::string label(const std::string& name) const { return isZip() ? path_ + "!" + prefix_ + name : path_ + "/" + name; }

  std::string readText(const std::string& name) const {
    if (!isZip()) {
      const Bytes b = Bytes::mapFile(label(name), kMaxConfigSize);
      return std::string(reinterpret_cast<const char*>(b.data()), b.size());
    }
    const std::vector<std::uint8_t> data = zip_->read(entry(name), kMaxConfigSize);
    return std::string(data.begin(), data.end());
  }

  // Parses only the header of a safetensors file: the mapping of a folder file is touched no further, and
  // from a zip only the header bytes are inflated.
  io::SafetensorsHeader safetensorsHeader(const std::string& name) const {
    const std::string where = label(name);
    if (!isZip()) {
      // No size limit: only the header's pages are ever touched, and large checkpoints are what people describe.
      const Bytes b = Bytes::mapFile(where, std::numeric_limits<std::uint64_t>::max());
      return io::parseSafetensorsHeader(b.data(), b.size(), b.size(), where);
    }
    const io::ZipEntry& e = entry(name);
    const std::vector<std::uint8_t> prefix = zip_->readPrefix(e, io::kSafetensorsPrefix);
    const std::uint64_t length = io::safetensorsHeaderLength(prefix.data(), prefix.size(), e.uncompressedSize, where);
    const std::vector<std::uint8_t> head = zip_->readPrefix(e, io::kSafetensorsPrefix + static_cast<std::size_t>(length));
    if (head.size() < io::kSafetensorsPrefix + length)
      throw ModelFileError(where, "ends inside its header; " + std::string(kFixHint));
    return io::parseSafetensorsHeader(head.data(), head.size(), e.uncompressedSize, where);
  }

 private:
  void listFolder() {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (files_.size() >= kMaxListedFiles) break;
      if (it->is_regular_file(ec)) files_.push_back(fs::relative(it->path(), path_, ec).generic_string());
    }
    std::sort(files_.begin(), files_.end());
  }

  const io::ZipEntry& entry(const std::string& name) const {
    const io::ZipEntry* e = zip_->find(prefix_ + name);
    if (!e) throw ModelFileError(label(name), "is not in the zip");
    return *e;
  }

  std::string path_;
  std::optional<io::ZipArchive> zip_;
  std::string prefix_;
  std::vector<std::string> files_;
};

void countTensors(const io::SafetensorsHeader& header, HfCheckpoint& out) {
  out.tensorCount += static_cast<std::int64_t>(header.entries.size());
  for (const io::SafetensorsEntry& e : header.entries) {
    if (__builtin_add_overflow(out.parameterCount, e.numel, &out.parameterCount))
      throw ModelFileError(out.path, "holds more parameters than a 64-bit count can hold; " + std::string(kFixHint));
  }
}

// model.safetensors.index.json: {"weight_map": {"tensor": "model-00001-of-00002.safetensors", ...}}
std::set<std::string> shardNames(const CheckpointFiles& files, const std::string& indexName) {
  const std::string text = files.readText(indexName);
  const std::string where = files.label(indexName);
  const QJsonObject index = io::parseJsonObject(text.data(), text.size(), where, kFixHint);
  const QJsonValue map = index.value(QLatin1String("weight_map"));
  if (!map.isObject()) throw ModelFileError(where, "has no \"weight_map\" object; " + std::string(kFixHint));
  std::set<std::string> shards;
  const QJsonObject o = map.toObject();
  for (auto it = o.begin(); it != o.end(); ++it) {
    const std::string shard = it.value().toString().toStdString();
    if (!io::isSafeRelativeName(shard))
      throw ModelFileError(where, "names the shard '" + shard + "', which is not a plain relative file name");
    shards.insert(shard);
  }
  return shards;
}

}  // namespace

HfCheckpoint describeHfCheckpoint(const std::string& pathIn) {
  std::string path = pathIn;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  HfCheckpoint out;
  out.path = path;
  const CheckpointFiles files(path);
  out.isZip = files.isZip();
  out.files = files.files();
  if (!files.has("config.json"))
    throw ModelFileError(path, "has no config.json, so it is not a Hugging Face checkpoint");

  const std::string text = files.readText("config.json");
  const QJsonObject config = io::parseJsonObject(text.data(), text.size(), files.label("config.json"), kFixHint);
  out.modelType = config.value(QLatin1String("model_type")).toString().toStdString();
  for (const QJsonValue a : config.value(QLatin1String("architectures")).toArray())
    if (a.isString()) out.architectures.push_back(a.toString().toStdString());
  for (auto it = config.begin(); it != config.end(); ++it)
    if (!it.value().isArray() && !it.value().isObject())
      out.config.emplace_back(it.key().toStdString(), io::jsonText(it.value()));

  if (files.has("model.safetensors")) {
    out.weightsFile = "model.safetensors";
    countTensors(files.safetensorsHeader("model.safetensors"), out);
  } else if (files.has("model.safetensors.index.json")) {
    out.weightsFile = "model.safetensors.index.json";  // sharded: count every shard that is present
    for (const std::string& shard : shardNames(files, "model.safetensors.index.json"))
      if (files.has(shard)) countTensors(files.safetensorsHeader(shard), out);
  } else if (files.has("pytorch_model.bin")) {
    out.weightsFile = "pytorch_model.bin";  // a pickle: named so `attnviz info` can say why it cannot be loaded
  }
  return out;
}

}  // namespace attnviz
