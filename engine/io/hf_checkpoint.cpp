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
#include "engine/io/hf_files.h"
#include "engine/io/json_util.h"
#include "engine/io/package.h"
#include "engine/io/safetensors.h"
#include "engine/io/zip_archive.h"

namespace attnviz {

namespace fs = std::filesystem;

namespace {

// A damaged checkpoint is downloaded or saved again (the one remedy text, with the readers': file_sniff.cpp).
const std::string& fixHint() { return refetchRemedy(WeightsOrigin::HuggingFace); }

void countTensors(const io::SafetensorsHeader& header, HfCheckpoint& out) {
  out.tensorCount += static_cast<std::int64_t>(header.entries.size());
  for (const io::SafetensorsEntry& e : header.entries) {
    if (__builtin_add_overflow(out.parameterCount, e.numel, &out.parameterCount))
      throw ModelFileError(out.path, "holds more parameters than a 64-bit count can hold; " + fixHint());
  }
}

}  // namespace

HfCheckpoint describeHfCheckpoint(const std::string& pathIn) {
  std::string path = pathIn;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return describeHfCheckpoint(HfFiles(path));
}

HfCheckpoint describeHfCheckpoint(const HfFiles& files) {
  const std::string& path = files.path();
  HfCheckpoint out;
  out.path = path;
  out.isZip = files.isZip();
  out.files = files.files();
  if (!files.has("config.json"))
    throw ModelFileError(path, "has no config.json, so it is not a Hugging Face checkpoint");

  const std::string text = files.readText("config.json");
  const QJsonObject config = io::parseJsonObject(text.data(), text.size(), files.label("config.json"), fixHint());
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
    for (const std::string& shard : files.shardNames())
      if (files.has(shard)) countTensors(files.safetensorsHeader(shard), out);
  } else if (files.has("pytorch_model.bin")) {
    out.weightsFile = "pytorch_model.bin";  // a pickle: named so `attnviz info` can say why it cannot be loaded
  }
  return out;
}

}  // namespace attnviz
