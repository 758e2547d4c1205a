// Package: an attnviz model package, a folder or a .zip holding attnviz.json plus weights
// (.safetensors or .npz) and text files (vocabularies, labels). Format: models/README.md.
// Zip entry names are only ever looked up, never used as file-system paths.
//
//   attnviz::Package p = attnviz::Package::open("models/tiny-encoder.zip");
//   int64_t hidden = p.manifest().architecture.getInt("hidden_size", 1, 65536);
//   std::vector<std::string> vocab = p.readLines("vocab");
//   attnviz::WeightSet w = p.weights();
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/io/bytes.h"
#include "engine/io/weight_set.h"

namespace attnviz {

namespace io {
class ZipArchive;
}
class HfFiles;

// Typed, checked access to one JSON object (the manifest's "architecture"). Every getter throws
// ModelFileError with where = "<package>/attnviz.json" naming the key, what was expected and what was found.
class Params {
 public:
  Params() = default;
  Params(std::string where, std::string objectJson);  // objectJson: a serialised JSON object
  bool has(const std::string& key) const;
  bool isObject(const std::string& key) const;  // present and a JSON object
  std::int64_t getInt(const std::string& key, std::int64_t min, std::int64_t max) const;
  std::int64_t getInt(const std::string& key, std::int64_t min, std::int64_t max, std::int64_t fallback) const;
  double getNumber(const std::string& key) const;
  double getNumber(const std::string& key, double fallback) const;
  std::string getString(const std::string& key) const;
  std::string getString(const std::string& key, const std::string& fallback) const;
  bool getBool(const std::string& key, bool fallback) const;
  std::vector<std::pair<std::string, std::string>> asText() const;  // every key, value as compact text
  // An object of strings (e.g. id2label {"0": "NEGATIVE"}) as key/value pairs; empty when the key is absent.
  std::vector<std::pair<std::string, std::string>> getStringMap(const std::string& key) const;
  // Any value flattened to text as the manifest's card is ({"a": {"b": 1}} -> "a.b" = "1"); for model cards.
  std::vector<std::pair<std::string, std::string>> getFlattened(const std::string& key) const;
  // Arrays of integers in [min, max] or of strings; empty when the key is absent.
  std::vector<std::int64_t> getIntList(const std::string& key, std::int64_t min, std::int64_t max) const;
  std::vector<std::string> getStringList(const std::string& key) const;
  std::vector<double> getNumberList(const std::string& key) const;  // finite numbers
  // A nested object (messages name "key.inner"); an empty object when the key is absent.
  Params getObject(const std::string& key) const;
  const std::string& json() const { return json_; }

 private:
  std::string where_;
  std::string json_;
};

struct Manifest {
  int formatVersion = 1;
  std::string kind;     // seq2seq | han | encoder | vit
  std::string name;
  std::string variant;  // may be empty
  Params architecture;
  std::map<std::string, std::string> files;             // role -> file name in the package ("weights", "vocab", ...)
  std::vector<std::pair<std::string, std::string>> card;  // flattened: "metrics.bleu" -> "31.2"
};

// Parses attnviz.json text; where names the file for messages.
Manifest parseManifest(const std::string& json, const std::string& where);

class Package {
 public:
  // Opens a folder or .zip containing attnviz.json (at the top, or inside exactly one top-level folder of the zip).
  // maxFileBytes: the model file limit on the weights file (mapped, or inflated from the zip).
  static Package open(const std::string& path, std::uint64_t maxFileBytes = Bytes::kDefaultMaxFileSize);
  // The same from a zipped package in memory (zip.label() names it in messages, like a path).
  static Package openZip(Bytes zip, std::uint64_t maxFileBytes = Bytes::kDefaultMaxFileSize);

  const std::string& path() const { return path_; }
  bool isZip() const { return isZip_; }
  const Manifest& manifest() const { return manifest_; }
  std::string formatDescription() const;  // "attnviz package (zip, safetensors)"

  bool hasFile(const std::string& role) const;  // role listed in "files" of the manifest
  // At most maxSize bytes; limitHint as in Bytes::mapFile.
  Bytes readFile(const std::string& role, std::uint64_t maxSize = Bytes::kDefaultMaxFileSize, const std::string& limitHint = {}) const;
  // UTF-8 text file, one item per line (trailing '\r' removed, empty last line ignored).
  std::vector<std::string> readLines(const std::string& role) const;
  WeightSet weights() const;  // the "weights" file

 private:
  // A zipped package: its manifest and the check that every listed file is there.
  static Package fromZip(std::shared_ptr<const io::ZipArchive> zip, std::string label, std::uint64_t maxFileBytes);

  std::string path_;  // the folder or zip's path, or an in-memory zip's label
  bool isZip_ = false;
  std::shared_ptr<const io::ZipArchive> zip_;  // a zipped package, opened once (mapped file or bytes in memory)
  std::string zipPrefix_;  // folder inside the zip that holds attnviz.json ("" or "name/")
  std::uint64_t maxFileBytes_ = Bytes::kDefaultMaxFileSize;
  Manifest manifest_;
};

// What kind of model source a path is, without loading it.
enum class SourceKind { AttnvizPackage, HuggingFace, Unknown };
SourceKind detectSource(const std::string& path);

// A Hugging Face checkpoint folder or zip (config.json, weights, tokenizer files), described for `attnviz info`.
struct HfCheckpoint {
  std::string path;
  bool isZip = false;
  std::string modelType;                  // config "model_type"
  std::vector<std::string> architectures;  // config "architectures"
  std::vector<std::pair<std::string, std::string>> config;  // every scalar config key, as text
  std::vector<std::string> files;          // files present (model.safetensors, vocab.txt, tokenizer.json, ...)
  std::string weightsFile;                 // "model.safetensors" / "pytorch_model.bin" (not loadable: pickle) / ""
  std::int64_t tensorCount = 0;            // from the safetensors header, when present
  std::int64_t parameterCount = 0;
};
HfCheckpoint describeHfCheckpoint(const std::string& path);
HfCheckpoint describeHfCheckpoint(const HfFiles& files);  // a folder, a zip file or a zip in memory

}  // namespace attnviz
