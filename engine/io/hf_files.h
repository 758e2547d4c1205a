// HfFiles: the files of a Hugging Face checkpoint, from a folder or from inside a zip (at its top or in its one
// top-level folder), behind one interface. Text files are read with a size limit; weights are mapped (folder)
// or inflated (zip) only when asked for.
//
//   attnviz::HfFiles files("bert-base-uncased.zip");
//   std::string config = files.readText("config.json");          // ModelFileError naming "x.zip!config.json"
//   attnviz::NamedTensors w = files.readWeights();                 // model.safetensors, or every shard
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/io/tensor_files.h"

namespace attnviz {

namespace io {
class ZipArchive;
struct ZipEntry;
struct SafetensorsHeader;
}  // namespace io

class Params;

// config.json's id2label {"0": "NEGATIVE", "1": "POSITIVE"} -> the labels in id order (empty when absent);
// ModelFileError(where) unless the keys are exactly the ids 0 .. n-1.
std::vector<std::string> hfLabels(const Params& config, const std::string& where);

// The labels of a classification head whose weight `tensor` has `rows` outputs: id2label when config.json has it,
// else LABEL_0 .. LABEL_{rows-1} as transformers defaults them (save_pretrained leaves the default two-label map
// out of config.json). ModelFileError(where) when id2label or num_labels disagree with the rows.
std::vector<std::string> hfHeadLabels(const Params& config, std::int64_t rows, const std::string& tensor,
                                      const std::string& where);

class HfFiles {
 public:
  // Largest config/tokenizer/vocabulary file read (tokenizer.json of large vocabularies is a few MB).
  static constexpr std::uint64_t kMaxTextSize = 64u << 20;

  // maxFileBytes: the model file limit on the weights (mapped, or inflated from the zip).
  explicit HfFiles(const std::string& path, std::uint64_t maxFileBytes = Bytes::kDefaultMaxFileSize);
  // A zipped checkpoint in memory (zip.label() names it in messages, like a path).
  explicit HfFiles(Bytes zip, std::uint64_t maxFileBytes = Bytes::kDefaultMaxFileSize);
  ~HfFiles();
  HfFiles(HfFiles&&) noexcept;

  bool isZip() const;
  const std::string& path() const { return path_; }
  const std::vector<std::string>& files() const { return files_; }  // relative names, sorted
  bool has(const std::string& name) const;
  std::string label(const std::string& name) const;  // "folder/name" or "x.zip!prefix/name", for messages

  std::string readText(const std::string& name, std::uint64_t maxSize = kMaxTextSize) const;
  // Parses only the header of a safetensors file (from a zip, only the header bytes are inflated).
  io::SafetensorsHeader safetensorsHeader(const std::string& name) const;
  // model.safetensors, or every shard of model.safetensors.index.json; ModelFileError when there is neither
  // (a pytorch_model.bin is a pickle and is refused with that reason).
  NamedTensors readWeights() const;
  // "model.safetensors", "model.safetensors.index.json", "pytorch_model.bin" or "".
  std::string weightsFile() const;
  // The shard files model.safetensors.index.json names (each a plain relative name).
  std::vector<std::string> shardNames() const;

 private:
  void listFolder();
  void listZip();  // zip_ set: finds the folder holding config.json and lists the files under it
  const io::ZipEntry& entry(const std::string& name) const;

  std::string path_;
  std::unique_ptr<io::ZipArchive> zip_;
  std::string prefix_;
  std::vector<std::string> files_;
  std::uint64_t maxFileBytes_;
};

}  // namespace attnviz
