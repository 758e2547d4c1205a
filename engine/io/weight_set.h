// WeightSet: the tensors of one model file, taken one by one by the model that needs them, each checked
// for name and shape. Whatever is left untaken at finish() is an error (an extra tensor means the file
// belongs to another architecture or configuration).
//
//   attnviz::WeightSet w(attnviz::readSafetensors(path));
//   attnviz::Tensor q = w.take("encoder.layer.0.attention.self.query.weight", {hidden, hidden});
//   w.finish();  // throws ModelFileError listing extra tensors
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "engine/io/tensor_files.h"

namespace attnviz {

class WeightSet {
 public:
  // fixHint ends the messages about the file: what its writer should do (rewriteRemedy of the file's origin).
  explicit WeightSet(NamedTensors tensors, std::string fixHint = rewriteRemedy(WeightsOrigin::AttnvizPackage));

  // Throws ModelFileError (where = "<file>: tensor '<name>'") when missing or of another shape; the message
  // says what was expected, what was found, and fixHint.
  Tensor take(const std::string& name, const Shape& expected);
  std::optional<Tensor> takeOptional(const std::string& name, const Shape& expected);
  bool has(const std::string& name) const;
  // The shape stored under `name`, or throws when missing (for dimensions the file defines, e.g. vocab size).
  const Shape& shapeOf(const std::string& name) const;

  void finish() const;  // throws ModelFileError listing every tensor never taken
  // How a tensor is named in the file, for messages, when the loader renamed them (a Hugging Face checkpoint's
  // "bert." prefix or DistilBERT's names); by default the name as taken.
  void setFileNames(std::function<std::string(const std::string&)> fileName) { fileName_ = std::move(fileName); }
  std::int64_t parameterCount() const;  // elements of all tensors in the file
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  std::string fixHint_;
  std::map<std::string, Tensor> tensors_;
  std::set<std::string> taken_;
  std::function<std::string(const std::string&)> fileName_ = [](const std::string& name) { return name; };
};

}  // namespace attnviz
