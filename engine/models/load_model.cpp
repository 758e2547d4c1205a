// loadModel / describeModel: recognise what a path holds and hand it to the loader of its kind.
#include <filesystem>

#include "engine/core/error.h"
#include "engine/io/package.h"
#include "engine/api/model.h"
#include "engine/models/vit/timm_vit.h"

namespace attnviz {

namespace {

void requireExists(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw ModelFileError(path, "no such file or folder");
}

std::unique_ptr<Model> loadPackage(const std::string& path, const LoadOptions& options) {
  Package package = Package::open(path, static_cast<std::uint64_t>(options.maxFileBytes));
  const std::string& name = package.manifest().kind;  // a registered kind: parseManifest checked it
  const ModelKind* kind = findModelKind(name);
  if (kind && kind->loadPackage) return kind->loadPackage(package);
  throw ModelFileError(path + "/attnviz.json", "models of kind \"" + name +
                                                   "\" have no attnviz packages in this version of attnviz (packages run: " +
                                                   modelKindNames([](const ModelKind& k) { return k.loadPackage != nullptr; }) +
                                                   ")");
}

// What a checkpoint is, without running it; problem (where, what) says why attnviz cannot run it.
ModelInfo describeHf(const std::string& path, const std::string& problemWhere, const std::string& problem) {
  const HfCheckpoint hf = describeHfCheckpoint(path);
  ModelInfo info;
  const ModelKind* kind = kindOfHfModelType(hf.modelType, false);
  info.identity = {std::filesystem::path(path).filename().string(), kind ? kind->name : "unknown", hf.modelType};
  info.path = path;
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

}  // namespace

std::unique_ptr<Model> loadModel(const std::string& path, const LoadOptions& options) {
  requireExists(path);
  checkLimit(kMaxModelFileBytesLimit, options.maxFileBytes, kMaxModelFileBytesLimit.option);
  switch (detectSource(path)) {
    case SourceKind::AttnvizPackage:
      return loadPackage(path, options);
    case SourceKind::HuggingFace: {
      const HfCheckpoint hf = describeHfCheckpoint(path);
      if (const ModelKind* kind = kindOfHfModelType(hf.modelType); kind && kind->loadHf) return kind->loadHf(path, options);
      throw ModelFileError(path, "a Hugging Face checkpoint of model_type \"" + hf.modelType +
                                     "\", which this version of attnviz cannot run (it runs " + hfModelTypeNames() +
                                     "); `attnviz info` describes it");
    }
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
      return loadPackage(path, options)->info();
    case SourceKind::HuggingFace: {
      try {
        return loadModel(path, options)->info();
      } catch (const ModelFileError& e) {
        return describeHf(path, e.where(), e.what());
      }
    }
    case SourceKind::Unknown:
      break;
  }
  return loadModel(path, options)->info();  // throws the "not a model" message
}

}  // namespace attnviz
