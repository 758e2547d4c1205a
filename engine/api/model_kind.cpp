// The kind table's look-ups and the one option check of Model::run (model_kind.h). The rows themselves are
// registered in engine/models/kinds.cpp.
#include "engine/api/model_kind.h"

#include <string>

#include "engine/api/model.h"
#include "engine/core/error.h"

namespace attnviz {

namespace {

std::string withArticle(const std::string& noun) {
  const bool vowel = !noun.empty() && std::string("aeiou").find(noun.front()) != std::string::npos;
  return (vowel ? "an " : "a ") + noun;
}

// "text", "text or token ids (--token-ids)", "an image (--image FILE) or preprocessed pixels (--pixels FILE.npy)".
std::string inputsText(const KindCapabilities& can) {
  std::vector<std::string> inputs;
  if (can.text) inputs.emplace_back("text");
  if (can.tokenIds) inputs.emplace_back("token ids (--token-ids)");
  if (can.image) inputs.emplace_back("an image (--image FILE)");
  if (can.pixels) inputs.emplace_back("preprocessed pixels (--pixels FILE.npy)");
  std::string text;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    text += (i == 0 ? "" : i + 1 == inputs.size() ? " or " : ", ") + inputs[i];
  return text.empty() ? "no input" : text;
}

bool takes(const KindCapabilities& can, Input::Kind input) {
  switch (input) {
    case Input::Kind::Text: return can.text;
    case Input::Kind::TokenIds: return can.tokenIds;
    case Input::Kind::Image: return can.image;
    case Input::Kind::Pixels: return can.pixels;
  }
  return false;
}

}  // namespace

const ModelKind* findModelKind(std::string_view name) {
  for (const ModelKind* kind : modelKinds())
    if (kind->name == name) return kind;
  return nullptr;
}

const ModelKind* kindOfHfModelType(std::string_view modelType, bool loads) {
  for (const ModelKind* kind : modelKinds()) {
    for (const std::string& t : kind->hfModelTypes)
      if (t == modelType) return kind;
    if (!loads)
      for (const std::string& t : kind->hfRelatives)
        if (t == modelType) return kind;
  }
  return nullptr;
}

std::string modelKindNames(bool (*has)(const ModelKind&), std::string_view separator) {
  std::string names;
  for (const ModelKind* kind : modelKinds())
    if (!has || has(*kind)) names += (names.empty() ? "" : std::string(separator)) + kind->name;
  return names;
}

std::string hfModelTypeNames(std::string_view separator) {
  std::string names;
  for (const ModelKind* kind : modelKinds())
    for (const std::string& t : kind->hfModelTypes) names += (names.empty() ? "" : std::string(separator)) + t;
  return names;
}

void checkRunOptions(const ModelKind& kind, const Input& input, const RunOptions& options) {
  const KindCapabilities& can = kind.can;
  if (!takes(can, input.kind))
    throw InputError(input.origin, withArticle(kind.name) + " model takes " + inputsText(can) + ", not " + input.kindName());
  const std::string thisModel = "; this model is " + withArticle(kind.description);
  // option: the flag it comes from; who: the kinds that take it, by a capability.
  const auto refuse = [&](const char* option, const char* what, bool (*has)(const ModelKind&)) {
    throw UsageError(option, std::string(what) + " (" + modelKindNames(has) + ")" + thisModel);
  };
  if (options.target && !takesTarget(kind))
    refuse("--target", "only models that decode or align take a target", [](const ModelKind& k) { return takesTarget(k); });
  if (!options.target && can.alignsPairs)
    throw UsageError("--target", withArticle(kind.name) + " model aligns a given sentence pair and translates nothing; "
                                 "give the target sentence with --target (or --target-lines)");
  if (options.beam != 1 && !can.decodes)
    refuse("--beam", "only models that decode search with a beam", [](const ModelKind& k) { return k.can.decodes; });
  if (options.beam < 1) throw UsageError("--beam", "the beam width must be at least 1, got " + std::to_string(options.beam));
  if (options.target && options.beam > 1)
    throw UsageError("--beam", "a forced target is decoded as given; give either --target or --beam, not both");
  const auto selfAttention = [](const ModelKind& k) { return k.can.selfAttention; };
  if (options.rollout != RolloutFusion::None && !can.selfAttention)
    refuse("--rollout", "attention rollout is for models with self-attention", selfAttention);
  if (options.flow && !can.selfAttention) refuse("--flow", "attention flow is for models with self-attention", selfAttention);
  if (!options.knockedOutHeads.empty() && !can.contributions)
    refuse("--knockout", "head knockout is for transformer encoders", [](const ModelKind& k) { return k.can.contributions; });
  if (options.headKnockout && !can.contributions)
    refuse("--head-knockout", "head knockout is for transformer encoders", [](const ModelKind& k) { return k.can.contributions; });
  if ((!options.blockedEdges.empty() || options.edgeKnockout) && !can.contributions)
    refuse("--edge-knockout", "attention-edge knockout is for transformer encoders", [](const ModelKind& k) { return k.can.contributions; });
  if (options.removed.any() && !can.contributions)
    refuse("removed tokens", "tokens are removed from transformer encoders' and ViTs' inputs", [](const ModelKind& k) { return k.can.contributions; });
  if (!options.faithfulness.methods.empty() && !can.contributions)
    refuse("--faithfulness", "faithfulness of token rankings is for transformer encoders", [](const ModelKind& k) { return k.can.contributions; });
  // value-norm alone may also be a model's weighted norms of its attention (ModelInfo::weightedNorms: attnviz's RNN
  // models), which Model::run checks; every other method and the kept blocks need attention blocks.
  const bool normsOnly = options.contributions.valueNorm && !options.contributions.alti && !options.contributions.globenc &&
                         !options.contributions.valueZeroing && !options.keepAttentionBlocks;
  if ((options.contributions.any() || options.keepAttentionBlocks) && !can.contributions && !normsOnly)
    refuse("--method", "ALTI, GlobEnc and value zeroing are for transformer encoders and ViTs (value-norm alone also for "
                       "attnviz's RNN seq2seq and han models, as a_j ‖h_j‖)",
           [](const ModelKind& k) { return k.can.contributions; });
  // The contribution methods decompose the unmodified attention block; with heads zeroed their sums would not add up
  // (value zeroing would subtract values a knocked-out head no longer passes on).
  if (options.contributions.any() && !options.blockedEdges.empty())
    throw UsageError("--block-edges", "cannot be combined with --method: the contribution methods decompose the "
                                      "unmodified attention blocks");
  if (options.contributions.any() && !options.knockedOutHeads.empty())
    throw UsageError("--knockout", "cannot be combined with --method: the contribution methods decompose the unmodified "
                                   "attention blocks; run the methods without --knockout");
  if (options.occlusion && !can.occlusion)
    refuse("--occlusion", "occlusion (leave one unit out) is for models that score it", [](const ModelKind& k) { return k.can.occlusion; });
  if (options.sentences != SentenceMode::Auto && !can.sentences)
    refuse("--sentences", "only models that read sentences take a sentence mode", [](const ModelKind& k) { return k.can.sentences; });
  if (options.nativeSize && !can.nativeSize)
    refuse("--native-size", "only models of images run at an image's own size", [](const ModelKind& k) { return k.can.nativeSize; });
  if (options.bf16 && !can.bf16) refuse("--bf16", "bfloat16 is for transformers", [](const ModelKind& k) { return k.can.bf16; });
  if (options.hiddenStates && !can.hiddenStates)
    refuse("--hidden-states", "hidden states are written for transformers", [](const ModelKind& k) { return k.can.hiddenStates; });
}

}  // namespace attnviz
