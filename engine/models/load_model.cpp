// loadModel / describeModel / loadModelFromZip: recognise what a path or a zip in memory holds and hand it to the
// loader of its kind (the kind table, engine/api/model_kind.h).
#include <filesystem>

#include "engine/api/model.h"
#include "engine/core/error.h"
#include "engine/io/hf_files.h"
#include "engine/io/package.h"
#include "engine/io/zip_archive.h"
#include "engine/models/vit/timm_vit.h"

namespace attnviz {

namespace {

void requireExists(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw ModelFileError(path, "no such file or folder");
}

std::unique_ptr<Model> loadPackage(const Package& package) {
  const std::string& name = package.manifest().kind;  // a registered kind: parseManifest checked it
  const ModelKind* kind = findModelKind(name);
  if (kind && kind->loadPackage) return kind->loadPackage(package);
  throw ModelFileError(package.path() + "/attnviz.json",
                       "models of kind \"" + name + "\" have no attnviz packages in this version of attnviz (packages run: " +
                           modelKindNames([](const ModelKind& k) { return k.loadPackage != nullptr; }) + ")");
}

std::unique_ptr<Model> loadHf(const HfFiles& files, const LoadOptions& options) {
  const HfCheckpoint hf = describeHfCheckpoint(files);
  if (const ModelKind* kind = kindOfHfModelType(hf.modelType); kind && kind->loadHf) return kind->loadHf(files, options);
  throw ModelFileError(files.path(), "a Hugging Face checkpoint of model_type \"" + hf.modelType +
                                         "\", which this version of attnviz cannot run (it runs " + hfModelTypeNames() +
                                         "); `attnviz info` describes it");
}

// What a checkpoint is, without running it; problem (where, what) says why attnviz cannot run it.
ModelInfo describeHf(const HfFiles& files, const std::string& problemWhere, const std::string& problem) {
  const HfCheckpoint hf = describeHfCheckpoint(files);
  ModelInfo info;
  const ModelKind* kind = kindOfHfModelType(hf.modelType, false);
  info.identity = {std::filesystem::path(files.path()).filename().string(), kind ? kind->name : "unknown", hf.modelType};
  info.path = files.path();
  info.format = std::string("Hugging Face checkpoint (") + (hf.isZip ? "zip" : "folder") + ", " +
                (hf.weightsFile.empty() ? "no weights file" : hf.weightsFile) + ")";
  info.parameterCount = hf.parameterCount;
  info.architecture = hf.config;
  std::string architectures;
  for (const auto& a : hf.architectures) architectures += (architectures.empty() ? "" : ", ") + a;
  info.card = {{"architectures", architectures},
               {"files", [&] {
                  std::string files;
                  for (const auto& f : hf.files) files += (files.empty() ? "" : ", ") + f;
                  return files;
                }()},
               {"tensors", std::to_string(hf.tensorCount)}};
  info.problemWhere = problemWhere;
  info.problem = problem;
  return info;
}

ModelInfo describeHfOrWhyNot(const HfFiles& files, const LoadOptions& options) {
  try {
    return loadHf(files, options)->info();
  } catch (const ModelFileError& e) {
    return describeHf(files, e.where(), e.what());
  }
}

// A zip in memory: an attnviz package or a Hugging Face checkpoint, told apart by what it holds.
enum class ZipHolds { Package, HuggingFace };
ZipHolds zipHolds(const Bytes& zip) {
  const io::ZipArchive archive(zip);
  if (io::findRootPrefix(archive, "attnviz.json")) return ZipHolds::Package;
  if (io::findRootPrefix(archive, "config.json")) return ZipHolds::HuggingFace;
  throw ModelFileError(zip.label(), "not a model: a zip with attnviz.json (an attnviz package) or config.json (a Hugging "
                                    "Face checkpoint) at its top or inside its single top-level folder was expected");
}

Bytes zipBytes(std::vector<std::uint8_t> bytes, std::string label, const LoadOptions& options) {
  checkLimit(kMaxModelFileBytesLimit, options.maxFileBytes, kMaxModelFileBytesLimit.option);
  Bytes::requireSizeAtMost(label, bytes.size(), static_cast<std::uint64_t>(options.maxFileBytes), Bytes::modelFileLimitHint());
  return Bytes::fromVector(std::move(bytes), std::move(label));
}

}  // namespace

std::string modelPathForFile(const std::string& picked) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(picked, ec)) return picked;
  const std::string folder = std::filesystem::absolute(picked, ec).parent_path().string();
  if (ec || folder.empty()) return picked;
  return detectSource(folder) == SourceKind::Unknown ? picked : folder;
}

std::unique_ptr<Model> loadModel(const std::string& path, const LoadOptions& options) {
  requireExists(path);
  checkLimit(kMaxModelFileBytesLimit, options.maxFileBytes, kMaxModelFileBytesLimit.option);
  const auto maxBytes = static_cast<std::uint64_t>(options.maxFileBytes);
  switch (detectSource(path)) {
    case SourceKind::AttnvizPackage:
      return loadPackage(Package::open(path, maxBytes));
    case SourceKind::HuggingFace:
      return loadHf(HfFiles(path, maxBytes), options);
    case SourceKind::Unknown:
      if (isTimmVitFile(path, options)) return loadTimmVit(path, options);
      break;
  }
  throw ModelFileError(path, "not a model: expected a folder or .zip with attnviz.json (an attnviz package) "
                             "or config.json (a Hugging Face checkpoint), or a .safetensors/.npz of a timm/DINO "
                             "Vision Transformer");
}

ModelInfo describeModel(const std::string& path, const LoadOptions& options) {
  requireExists(path);
  checkLimit(kMaxModelFileBytesLimit, options.maxFileBytes, kMaxModelFileBytesLimit.option);
  switch (detectSource(path)) {
    case SourceKind::AttnvizPackage:
      return loadPackage(Package::open(path, static_cast<std::uint64_t>(options.maxFileBytes)))->info();
    case SourceKind::HuggingFace:
      return describeHfOrWhyNot(HfFiles(path, static_cast<std::uint64_t>(options.maxFileBytes)), options);
    case SourceKind::Unknown:
      break;
  }
  return loadModel(path, options)->info();  // throws the "not a model" message
}

std::unique_ptr<Model> loadModelFromZip(std::vector<std::uint8_t> bytes, std::string label, const LoadOptions& options) {
  const Bytes zip = zipBytes(std::move(bytes), std::move(label), options);
  const auto maxBytes = static_cast<std::uint64_t>(options.maxFileBytes);
  if (zipHolds(zip) == ZipHolds::Package) return loadPackage(Package::openZip(zip, maxBytes));
  return loadHf(HfFiles(zip, maxBytes), options);
}

ModelInfo describeModelFromZip(std::vector<std::uint8_t> bytes, std::string label, const LoadOptions& options) {
  const Bytes zip = zipBytes(std::move(bytes), std::move(label), options);
  const auto maxBytes = static_cast<std::uint64_t>(options.maxFileBytes);
  if (zipHolds(zip) == ZipHolds::Package) return loadPackage(Package::openZip(zip, maxBytes))->info();
  return describeHfOrWhyNot(HfFiles(zip, maxBytes), options);
}

}  // namespace attnviz
