// ModelKind: everything attnviz asks of a model kind, in one table row per kind. Each kind registers its row in
// engine/models/<kind>/<kind>_kind.cpp, and engine/models/kinds.cpp lists the rows (one line per kind); the
// manifest check, the loader, Model::run's option check, messages, `--help`, traces' JSON and the UI's kind table
// (ui/kinds/kinds.h) read them. A kind's name appears as a literal only in its registration
// (tests/unit/test_kind_literals.cpp checks). Adding a kind: engine/README.md.
//
//   const ModelKind* kind = findModelKind(manifest.kind);    // null: not a kind of this version
//   if (kind && kind->can.rollout) ...;
//   std::string names = modelKindNames();                     // "encoder, seq2seq, han, vit"
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz {

class Model;
class HfFiles;
class Package;
struct LoadOptions;
struct RunOptions;
struct Input;

// What a kind's models take and can do. Model::run refuses an input or a RunOptions field the kind lacks, with one
// message for all kinds (checkRunOptions).
struct KindCapabilities {
  // Inputs (Input::Kind): text, token ids (--token-ids), an image file (--image), preprocessed pixels (--pixels).
  bool text = false, tokenIds = false, image = false, pixels = false;
  bool decodes = false;       // makes a target sequence: --target (forced decoding) and --beam; "tokens.target"
  // Aligns a sentence pair it is given and makes nothing: --target is required (no --beam); "tokens.target" and
  // attention.cross [T, S] as the decoding kinds' (a statistical word aligner's link posteriors).
  bool alignsPairs = false;
  bool sentences = false;     // reads a document as sentences: --sentences; "tokens.sentences"
  bool occlusion = false;     // leave-one-out occlusion of its units (the model is an OcclusionScorer): --occlusion
  bool selfAttention = false; // attention.self [layers, heads, N, N]: --rollout, --flow, the heads grid, entropies
  bool contributions = false; // keeps its attention blocks (Trace::attentionBlocks): --method value-norm,alti
  bool bf16 = false;          // bfloat16 matmuls: --bf16
  bool hiddenStates = false;  // Trace::outputs: --hidden-states
  bool nativeSize = false;    // runs an image at its own size: --native-size
};

struct ModelKind {
  std::string name;         // "encoder": attnviz.json's "kind", Trace::model.kind, sessions, the UI's kind table
  std::string description;  // "transformer encoder": "this model is a <description>"
  KindCapabilities can;
  // Hugging Face checkpoints: the config.json model_type values this kind loads (loadHf), and those of the same
  // family that `attnviz info` describes as this kind although they cannot run yet.
  std::vector<std::string> hfModelTypes{}, hfRelatives{};
  std::unique_ptr<Model> (*loadPackage)(const Package&) = nullptr;  // null: no attnviz packages of this kind
  std::unique_ptr<Model> (*loadHf)(const HfFiles&, const LoadOptions&) = nullptr;  // null: no checkpoints
};

// Whether a kind takes a target sentence and gives attention.cross [T, S] for it: it decodes or aligns pairs.
inline bool takesTarget(const ModelKind& kind) { return kind.can.decodes || kind.can.alignsPairs; }

const std::vector<const ModelKind*>& modelKinds();    // every kind, in registration order
const ModelKind* findModelKind(std::string_view name);  // null for a name no kind has
// The kind loading (loads == true) or describing a Hugging Face model_type; null for none.
const ModelKind* kindOfHfModelType(std::string_view modelType, bool loads = true);
// "encoder, seq2seq, han, vit": the names of the kinds that have `has`, for messages and --help.
std::string modelKindNames(bool (*has)(const ModelKind&) = nullptr, std::string_view separator = ", ");
// "bert, distilbert, vit, deit": every model_type some kind loads.
std::string hfModelTypeNames(std::string_view separator = ", ");

// Refuses, as InputError / UsageError naming the option, an input or option `kind` does not take. One message for
// every kind: "--rollout is for models with self-attention (encoder, vit); this model is a han classifier".
void checkRunOptions(const ModelKind& kind, const Input& input, const RunOptions& options);

}  // namespace attnviz
