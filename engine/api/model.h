// Model: loaded weights (immutable) plus the code that runs them. run() is const and keeps all
// per-run state on its own stack, so a worker thread can run while the UI reads the last Trace
// (the whisper_context / whisper_state split).
//
//   std::unique_ptr<attnviz::Model> m = attnviz::loadModel("models/tiny-encoder");
//   attnviz::Trace t = m->run(attnviz::Input::fromText("it was tired"), {});
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/limits.h"
#include "engine/api/model_kind.h"
#include "engine/api/trace.h"

namespace attnviz {

// One input to a model, with where it came from for error messages ("--text #2", "reviews.txt:14").
struct Input {
  // Text: text (and textPair, a second segment). TokenIds: token ids exactly as given, special tokens included
  // (text models; --token-ids). Image: an image file (vit). Pixels: a preprocessed float32 [3, H, W] or
  // [1, 3, H, W] .npy tensor fed to a vit model as is, without resizing or normalisation (--pixels).
  enum class Kind { Text, Image, TokenIds, Pixels };
  Kind kind = Kind::Text;
  std::string text;       // Kind::Text
  std::string imagePath;  // Kind::Image, Kind::Pixels (the .npy file)
  std::string imageData;  // Kind::Image from memory: the image file's bytes (PNG, JPEG, ...); imagePath is then empty
  std::string origin;
  std::optional<std::string> textPair;     // Kind::Text: the second text of a pair ([CLS] a [SEP] b [SEP])
  std::vector<std::int64_t> tokenIds;      // Kind::TokenIds
  std::vector<std::int64_t> tokenTypeIds;  // Kind::TokenIds: segment ids, as many as tokenIds; empty: all 0

  static Input fromText(std::string text, std::string origin = "text") {
    Input in;
    in.text = std::move(text);
    in.origin = std::move(origin);
    return in;
  }
  static Input fromTextPair(std::string first, std::string second, std::string origin = "text") {
    Input in = fromText(std::move(first), std::move(origin));
    in.textPair = std::move(second);
    return in;
  }
  static Input fromImage(std::string path) {
    Input in;
    in.kind = Kind::Image;
    in.imagePath = path;
    in.origin = std::move(path);
    return in;
  }
  // An image file's bytes already in memory (pasted, downloaded); origin names it in messages and in Trace::input.
  static Input fromImageData(std::string bytes, std::string origin) {
    Input in;
    in.kind = Kind::Image;
    in.imageData = std::move(bytes);
    in.origin = std::move(origin);
    return in;
  }
  static Input fromPixels(std::string npyPath) {
    Input in = fromImage(std::move(npyPath));
    in.kind = Kind::Pixels;
    return in;
  }
  static Input fromTokenIds(std::vector<std::int64_t> ids, std::vector<std::int64_t> typeIds = {},
                            std::string origin = "token ids") {
    Input in;
    in.kind = Kind::TokenIds;
    in.tokenIds = std::move(ids);
    in.tokenTypeIds = std::move(typeIds);
    in.origin = std::move(origin);
    return in;
  }
  bool isImage() const { return kind == Kind::Image || kind == Kind::Pixels; }
  // "text", "an image", "token ids", "preprocessed pixels": for "a vit model takes ..., not <this>" messages.
  const char* kindName() const {
    switch (kind) {
      case Kind::Text: return "text";
      case Kind::Image: return "an image";
      case Kind::TokenIds: return "token ids";
      case Kind::Pixels: return "preprocessed pixels";
    }
    return "this input";
  }
};

enum class RolloutFusion { None, Mean, Max, Min };

// Token contributions beyond raw weights (engine/analysis/contributions.h), for encoder and vit runs; each costs
// H·N²·hidden per layer more than the run.
struct ContributionSet {
  bool valueNorm = false;  // attention.value_norm [L, H, N, N], attention.value_norm_sum [L, N, N]
  bool alti = false;       // attention.alti [L, N, N], attention.alti_rollout [N, N]
  bool globenc = false;    // attention.globenc [L, N, N], attention.globenc_rollout [N, N]
  bool valueZeroing = false;  // attention.value_zeroing [L, N, N], attention.value_zeroing_rollout [N, N]
  bool any() const { return valueNorm || alti || globenc || valueZeroing; }
  bool operator==(const ContributionSet&) const = default;
};

// Head knockout (engine/analysis/head_knockout.h): one run per head with that head's output zeroed, or with every
// other head of its layer zeroed.
enum class KnockoutMode { OneHead, AllButOneHead };

// An attention edge blocked in one layer (attention knockout, engine/analysis/edge_knockout.h): the score of query
// position `from` for key position `to` is set to -inf before the softmax in every head, so that row renormalises over
// its other keys. Positions in the tokenized input (0 is [CLS]; a vit: [CLS], then the patches row-major), 0-based.
struct BlockedEdge {
  int layer = 0, from = 0, to = 0;
};

// Attention-edge knockout (engine/analysis/edge_knockout.h): the edges from every position of `from` to every
// position of `to`, blocked in the `window` layers centred on each layer in turn.
struct EdgeKnockoutRequest {
  std::vector<int> from, to;
  int window = 1;
};

// Tokens taken out of an input before its run (faithfulness, engine/analysis/faithfulness.h): their positions in the
// tokenized input (0 is [CLS]; for a vit, 0 is [CLS] and the patches follow row-major).
//   Mask: encoder: each id replaced by the vocabulary's [MASK] (else [UNK]); vit: the patch's pixels set to 0 after
//         normalisation (the preprocessor's mean colour) before the patch embedding.
//   Delete: the tokens left out of the sequence (encoder: the others move up; vit: after the position embeddings are
//         added, so every other patch keeps its position).
struct TokenRemoval {
  enum class How { Mask, Delete };
  How how = How::Mask;
  std::vector<int> positions;  // distinct; UsageError for one outside the input
  bool any() const { return !positions.empty(); }
};

// Faithfulness of the methods' token rankings on the run's input (engine/analysis/faithfulness.h): --faithfulness.
struct FaithfulnessRequest {
  std::vector<std::string> methods;  // names of kFaithfulnessMethods (faithfulness.h); empty: none asked
  TokenRemoval::How removal = TokenRemoval::How::Mask;
  bool optional = false;  // a model with no prediction to score gets no Trace::faithfulness, not a UsageError
};

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
  ContributionSet contributions;  // vit/encoder: add these methods' maps (--method)
  // vit/encoder: keep Trace::attentionBlocks, the parts the contribution methods need (the UI computes them later).
  bool keepAttentionBlocks = false;
  // vit/encoder: (layer, head) pairs, 0-based, whose output is zeroed before the output projection (head knockout,
  // engine/analysis/head_knockout.h). UsageError for a pair outside the model.
  std::vector<std::pair<int, int>> knockedOutHeads;
  // vit/encoder: add Trace::headKnockout, one more run per head (--head-knockout one|all-but-one).
  std::optional<KnockoutMode> headKnockout;
  // vit/encoder: attention edges blocked in this run (attention knockout; UsageError for one outside the model or the
  // input, or a query row left without any key).
  std::vector<BlockedEdge> blockedEdges;
  // vit/encoder: add Trace::edgeKnockout, one more run per layer (--edge-knockout FROM:TO[:WINDOW]).
  std::optional<EdgeKnockoutRequest> edgeKnockout;
  TokenRemoval removed;  // vit/encoder: run without these tokens (faithfulness.h)
  // vit/encoder: add Trace::faithfulness, one more run per removal set (--faithfulness METHODS --removal mask|delete).
  FaithfulnessRequest faithfulness;
  bool bf16 = false;  // encoder, vit: bfloat16 matmuls (oneDNN; ~2x faster with avx512_bf16, ~3 significant digits)
  // encoder, vit: add Trace::outputs (the last hidden state, the pooled output and the head's raw outputs).
  bool hiddenStates = false;
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
  bool tokenIdsOnly = false;  // a text model without a tokenizer: it takes token ids, not text
  // --method value-norm gives the weighted norms a_j ‖h_j‖ of its attention over recurrent states (weighted_norms.h):
  // attnviz's RNN seq2seq and han models.
  bool weightedNorms = false;
  // describeModel only: why the model cannot be run, as loadModel would say it (ModelFileError's where and what);
  // an empty problem means it loads and runs.
  std::string problemWhere, problem;
  bool runnable() const { return problem.empty(); }
};

class Model {
 public:
  virtual ~Model() = default;
  virtual const ModelInfo& info() const = 0;
  // This model's row of the kind table (model_kind.h), found by info().identity.kind.
  const ModelKind& kind() const;
  // Runs one input: checks the input and options against the kind's capabilities (checkRunOptions: InputError for
  // an input it does not take, UsageError for an option, e.g. a target for an encoder), runs runImpl, adds the
  // analyses the options ask for (engine/analysis/requested_analyses.h: rollout, flow, occlusion) and times it
  // all (Trace::inferenceMs). Thread-safe: run() may be called from any thread.
  // Threads: a run whose matrix products came to less than kOneThreadBelowFlops last time (or, on the first run,
  // a model that small by its parameter count) runs on one thread; a second thread's wake-up costs more than it
  // saves there, most of all with OMP_WAIT_POLICY=PASSIVE (the GUI's). Larger runs use every thread allowed.
  Trace run(const Input& input, const RunOptions& options) const;
  static constexpr std::int64_t kOneThreadBelowFlops = 1'000'000'000;  // measured: README "Speed"
  // The threads run() will use next (1 or every thread allowed, by the rule above): analyses that rerun the model
  // once per candidate size their workers by it (engine/analysis/candidate_runs.h).
  int threadsForNextRun() const;

 protected:
  // The kind's forward pass: the input and options are ones its kind takes. Throws InputError for an input whose
  // content is unusable (no words, a token id outside the vocabulary, ...). Thread-safe and const.
  virtual Trace runImpl(const Input& input, const RunOptions& options) const = 0;

 private:
  mutable std::atomic<std::int64_t> lastRunFlops_{-1};  // -1: no run yet
};

// The path to open for a file the user picked (a file dialog picks files, not folders): the folder holding it when
// that folder is a model (an attnviz package's attnviz.json, a Hugging Face checkpoint's config.json, weights,
// vocabulary, ...), else the file itself (a .zip package or checkpoint, a timm/DINO .safetensors or .npz). Reads no
// file; a path that is no file comes back as given.
std::string modelPathForFile(const std::string& picked);

// Opens a model package (folder or .zip with attnviz.json). Throws ModelFileError naming the file
// and the problem; a Hugging Face checkpoint of a family not yet supported is refused with its model_type.
std::unique_ptr<Model> loadModel(const std::string& path, const LoadOptions& options = {});

// Describes what is at `path` without requiring that it can be run (attnviz info): everything loadModel checks
// is checked (config values, every tensor, the vocabulary, NaN/Inf weights), and a model that cannot run comes
// back with ModelInfo::problem set instead of an exception whenever the file can still be described (a Hugging
// Face checkpoint of another architecture, a checkpoint whose weights do not fit its config). Throws
// ModelFileError like loadModel when nothing can be described (no such file, not a model, a broken package).
ModelInfo describeModel(const std::string& path, const LoadOptions& options = {});

// The same for a zip held in memory (a zipped attnviz package or Hugging Face checkpoint, as a file would hold it,
// e.g. downloaded or embedded): nothing is written to disk. label names it in messages, as a path would
// ("upload.zip"). A zip larger than options.maxFileBytes is refused.
std::unique_ptr<Model> loadModelFromZip(std::vector<std::uint8_t> bytes, std::string label, const LoadOptions& options = {});
ModelInfo describeModelFromZip(std::vector<std::uint8_t> bytes, std::string label, const LoadOptions& options = {});

}  // namespace attnviz
