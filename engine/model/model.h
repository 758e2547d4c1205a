// Model: loaded weights (immutable) plus the code that runs them. run() is const and keeps all
// per-run state on its own stack, so a worker thread can run while the UI reads the last Trace
// (the whisper_context / whisper_state split).
//
//   std::unique_ptr<attnviz::Model> m = attnviz::loadModel("models/tiny-encoder");
//   attnviz::Trace t = m->run(attnviz::Input::text("it was tired"), {});
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/limits.h"
#include "engine/model/trace.h"

namespace attnviz {

// One input to a model, with where it came from for error messages ("--text #2", "reviews.txt:14").
struct Input {
  enum class Kind { Text, Image };
  Kind kind = Kind::Text;
  std::string text;       // Kind::Text
  std::string imagePath;  // Kind::Image
  std::string origin;

  static Input fromText(std::string text, std::string origin = "text") {
    return {Kind::Text, std::move(text), {}, std::move(origin)};
  }
  static Input fromImage(std::string path) { return {Kind::Image, {}, path, path}; }
};

enum class RolloutFusion { None, Mean, Max, Min };

// How a document is cut into sentences (han): Auto takes a text of several lines each holding at most one
// sentence as one sentence per line, and splits anything else; Lines: every non-empty line is a sentence;
// Split: sentences are found by punctuation (engine/models/han/han_text.h has the rules).
enum class SentenceMode { Auto, Lines, Split };

struct RunOptions {
  std::optional<std::string> target;            // seq2seq: force-decode this target text
  RolloutFusion rollout = RolloutFusion::None;  // encoder/vit: add attention.rollout
  double rolloutDiscard = 0.0;                  // rollout: per layer, drop this fraction of each row's weights [0, 1)
  int beam = 1;                                 // seq2seq: beam width (1 = greedy)
  SentenceMode sentences = SentenceMode::Auto;  // han
  bool occlusion = false;                       // han: add Trace::occlusion (leave-one-out, one run per unit)
  bool nativeSize = false;  // vit: run an image at its own size, position embeddings interpolated (bicubic, as DINO)
  bool flow = false;  // vit/encoder: add attention.flow [1, N], the attention flow from [CLS] (attention_flow.h)
  bool bf16 = false;  // encoder, vit: bfloat16 matmuls (oneDNN; ~2x faster with avx512_bf16, ~3 significant digits)
  // Limits (engine/core/limits.h): a longer text is cut, with a warning; a larger image is refused.
  std::int64_t maxTokens = kMaxTokensLimit.defaultValue;
  std::int64_t maxImagePixels = kMaxImagePixelsLimit.defaultValue;
};

struct LoadOptions {
  std::int64_t maxFileBytes = kMaxModelFileBytesLimit.defaultValue;  // a larger model file is refused, by name and size
};

// What `attnviz info` shows and the model card in the GUI.
struct ModelInfo {
  ModelIdentity identity;
  std::string path;
  std::string format;  // "attnviz package (folder, safetensors)", "Hugging Face checkpoint (zip)", ...
  std::int64_t parameterCount = 0;
  std::vector<std::pair<std::string, std::int64_t>> vocabSizes;  // e.g. {"source", 12000}
  std::vector<std::string> labels;
  std::vector<std::pair<std::string, std::string>> architecture;  // hyper-parameters, as text
  std::vector<std::pair<std::string, std::string>> card;          // training data, metrics, provenance, as text
  // Encoders trained for coreference: the (layer, head) whose attention from a pronoun best finds its
  // antecedent (config.json "coreference_head"); the GUI pre-selects it.
  std::optional<std::pair<int, int>> coreferenceHead;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual const ModelInfo& info() const = 0;
  // Runs one input. Throws InputError for an unusable input, UsageError for options this kind
  // does not take (e.g. a target for an encoder). Thread-safe: run() may be called from any thread.
  virtual Trace run(const Input& input, const RunOptions& options) const = 0;
};

// Opens a model package (folder or .zip with attnviz.json). Throws ModelFileError naming the file
// and the problem; a Hugging Face checkpoint of a family not yet supported is refused with its model_type.
std::unique_ptr<Model> loadModel(const std::string& path, const LoadOptions& options = {});

// Describes what is at `path` without requiring that it can be run (attnviz info).
ModelInfo describeModel(const std::string& path, const LoadOptions& options = {});

}  // namespace attnviz
