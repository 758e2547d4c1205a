#include "engine/models/encoder/hf_encoder.h"

#include <algorithm>
#include <filesystem>

#include "engine/core/error.h"
#include "engine/io/file_sniff.h"
#include "engine/io/hf_files.h"
#include "engine/io/hf_wordpiece_files.h"
#include "engine/io/package.h"
#include "engine/io/weight_set.h"
#include "engine/models/encoder/encoder_config.h"
#include "engine/models/encoder/encoder_model.h"
#include "engine/models/encoder/hf_encoder_heads.h"
#include "engine/models/encoder/wordpiece_tokenizer.h"

namespace attnviz {

namespace {

constexpr std::int64_t kMaxDim = 1 << 16;
constexpr const char* kFix = "attnviz runs BERT-style encoders: absolute positions, erf GELU, post-layer-norm";

// A string setting that must be `expected` when present.
void requireValue(const Params& c, const std::string& key, const std::string& expected, const std::string& where) {
  const std::string found = c.getString(key, expected);
  if (found != expected)
    throw ModelFileError(where, "config key '" + key + "' is \"" + found + "\"; attnviz supports only \"" + expected +
                                    "\" (" + kFix + ")");
}

void requireFalse(const Params& c, const std::string& key, const std::string& where) {
  if (c.getBool(key, false))
    throw ModelFileError(where, "config key '" + key + "' is true; attnviz runs encoders only (" + kFix + ")");
}

// attnviz's coreference extension of config.json (models/coref): "coreference_pointer" {"size", "pronouns"}
// for the pointer head's weights, "coreference_head" [layer, head] for the attention head to show first.
void readCoreference(const Params& config, EncoderParts& parts, const std::string& where) {
  if (config.has("coreference_pointer")) {
    const Params pointer = config.getObject("coreference_pointer");
    EncoderParts::CoreferencePointer p;
    p.size = pointer.getInt("size", 1, kMaxDim);
    p.pronouns = pointer.getStringList("pronouns");
    if (p.pronouns.empty())
      throw ModelFileError(where, "coreference_pointer.pronouns is empty; list the pronouns the head resolves");
    const std::string candidates = pointer.getString("candidates", "all");
    if (candidates != "all" && candidates != "mentions")
      throw ModelFileError(where, "coreference_pointer.candidates is \"" + candidates + "\"; expected \"all\" or \"mentions\"");
    p.mentionsOnly = candidates == "mentions";
    p.determiners = pointer.getStringList("determiners");
    parts.coreference = std::move(p);
  }
  if (config.has("coreference_head")) {
    const std::vector<std::int64_t> lh = config.getIntList("coreference_head", 0, kMaxDim);
    if (lh.size() != 2 || lh[0] >= parts.config.numLayers || lh[1] >= parts.config.numHeads)
      throw ModelFileError(where, "coreference_head must be [layer, head] with layer < " +
                                      std::to_string(parts.config.numLayers) + " and head < " +
                                      std::to_string(parts.config.numHeads) + " (0-based)");
    parts.info.coreferenceHead = std::make_pair(static_cast<int>(lh[0]), static_cast<int>(lh[1]));
  }
}

// " (softmax over 3 labels)", ...: what the head gives, after its class name in the model card.
std::string headDescription(const HfEncoderLayout& layout) {
  using TaskHead = EncoderParts::TaskHead;
  const std::string labels = std::to_string(layout.labels.size()) + (layout.labels.size() == 1 ? " label" : " labels");
  switch (layout.head) {
    case TaskHead::None:
      return layout.pooler == EncoderParts::Pooler::BertTanh ? " (encoder and pooler; the pooled output with --hidden-states)"
                                                             : " (encoder only)";
    case TaskHead::SequenceClassification:
      return layout.scoring == EncoderParts::Scoring::Regression ? " (regression: raw scores of " + labels + ")"
             : layout.scoring == EncoderParts::Scoring::Sigmoid  ? " (multi-label: a sigmoid per label, " + labels + ")"
                                                                 : " (softmax over " + labels + ")";
    case TaskHead::TokenClassification: return " (a label per token, softmax over " + labels + ")";
    case TaskHead::QuestionAnswering: return " (start and end scores per token, the best answer span)";
  }
  return "";
}

std::string readModelType(const HfFiles& files, Params& config) {
  const std::string where = files.label("config.json");
  config = Params(where, files.readText("config.json"));
  return config.getString("model_type", "");
}

}  // namespace


EncoderConfig hfEncoderConfig(const Params& c, const std::string& modelType, const std::string& where) {
  EncoderConfig e;
  if (modelType == "distilbert") {
    e.vocabSize = c.getInt("vocab_size", 1, 1 << 22);
    e.hiddenSize = c.getInt("dim", 1, kMaxDim);
    e.numLayers = c.getInt("n_layers", 1, 256);
    e.numHeads = c.getInt("n_heads", 1, 1024);
    e.intermediateSize = c.getInt("hidden_dim", 1, 4 * kMaxDim);
    e.maxPositions = c.getInt("max_position_embeddings", 2, 1 << 20);
    e.typeVocabSize = 1;
    e.layerNormEps = 1e-12f;  // fixed in DistilBERT's code
    requireValue(c, "activation", "gelu", where);
  } else if (modelType == "bert") {
    e.vocabSize = c.getInt("vocab_size", 1, 1 << 22);
    e.hiddenSize = c.getInt("hidden_size", 1, kMaxDim);
    e.numLayers = c.getInt("num_hidden_layers", 1, 256);
    e.numHeads = c.getInt("num_attention_heads", 1, 1024);
    e.intermediateSize = c.getInt("intermediate_size", 1, 4 * kMaxDim);
    e.maxPositions = c.getInt("max_position_embeddings", 2, 1 << 20);
    e.typeVocabSize = c.getInt("type_vocab_size", 1, 1024, 2);
    e.layerNormEps = static_cast<float>(c.getNumber("layer_norm_eps", 1e-12));
    requireValue(c, "hidden_act", "gelu", where);
    requireValue(c, "position_embedding_type", "absolute", where);
    requireFalse(c, "is_decoder", where);
    requireFalse(c, "add_cross_attention", where);
  } else {
    throw ModelFileError(where, "model_type \"" + modelType + "\" is not a BERT-family encoder attnviz runs (bert, distilbert)");
  }
  if (!(e.layerNormEps > 0.0f && e.layerNormEps < 1.0f))
    throw ModelFileError(where, "layer_norm_eps must be in (0, 1), found " + std::to_string(e.layerNormEps));
  if (e.hiddenSize % e.numHeads != 0)
    throw ModelFileError(where, "the hidden size " + std::to_string(e.hiddenSize) + " is not divisible by the " +
                                    std::to_string(e.numHeads) + " attention heads");
  return e;
}

std::unique_ptr<Model> loadHfEncoder(const std::string& path, const LoadOptions& load) {
  return loadHfEncoder(HfFiles(path, static_cast<std::uint64_t>(load.maxFileBytes)), load);
}

std::unique_ptr<Model> loadHfEncoder(const HfFiles& files, const LoadOptions&) {
  const std::string& path = files.path();
  Params config;
  const std::string modelType = readModelType(files, config);
  const std::string where = files.label("config.json");
  EncoderParts parts;
  parts.config = hfEncoderConfig(config, modelType, where);
  const bool distil = modelType == "distilbert";
  parts.tokenTypeEmbeddings = !distil;

  WordPieceOptions options;
  if (files.has("vocab.txt") || files.has("tokenizer.json")) {
    HfWordPieceFiles t = readHfWordPiece(files);
    if (static_cast<std::int64_t>(t.vocab.size()) != parts.config.vocabSize)
      throw ModelFileError(t.vocabLabel, "has " + std::to_string(t.vocab.size()) + " pieces but config.json says vocab_size " +
                                             std::to_string(parts.config.vocabSize));
    options.lowercase = t.lowercase;
    options.stripAccents = t.stripAccents;
    options.tokenizeChineseChars = t.tokenizeChineseChars;
    options.unk = t.unk;
    options.cls = t.cls;
    options.sep = t.sep;
    options.maxCharsPerWord = t.maxCharsPerWord;
    options.rules = t.rules;
    auto tokenizer = std::make_shared<const WordPieceTokenizer>(std::move(t.vocab), options, t.vocabLabel);
    parts.tokenize = [tokenizer](std::string_view text, std::int64_t maxTokens, const std::string& origin) {
      return tokenizer->encode(text, maxTokens, origin);
    };
    parts.tokenName = [tokenizer](std::int64_t id) { return tokenizer->token(id); };
  } else {
    parts.noTokenizerReason = "the checkpoint has neither vocab.txt nor tokenizer.json";
  }

  readCoreference(config, parts, where);
  if (parts.coreference) parts.coreference->unk = options.unk;
  HfEncoderLayout layout = readHfEncoderLayout(files.readWeights(), config, modelType, parts.config.numLayers,
                                               parts.coreference.has_value(), where);
  parts.head = layout.head;
  parts.pooler = layout.pooler;
  parts.scoring = layout.scoring;
  parts.labels = layout.labels;
  WeightSet w(std::move(layout.weights),
              "the checkpoint does not match its config.json: " + rewriteRemedy(WeightsOrigin::HuggingFace));
  w.setFileNames(layout.fileName);

  const std::filesystem::path p(path);
  std::string name = files.isZip() ? p.stem().string() : p.filename().string();
  if (name.empty()) name = p.parent_path().filename().string();  // "folder/"
  parts.info.identity = {name, kEncoderKind.name, modelType};
  parts.info.path = path;
  parts.info.format = std::string("Hugging Face checkpoint (") + (files.isZip() ? "zip" : "folder") + ", " +
                      files.weightsFile() + ")";
  parts.info.vocabSizes = {{"source", parts.config.vocabSize}};
  for (auto& [key, value] : config.asText())
    if (key != "attnviz_card") parts.info.architecture.emplace_back(std::move(key), std::move(value));
  // The model card: attnviz's "attnviz_card" strings when the checkpoint has them (models/coref does).
  parts.info.card = config.getFlattened("attnviz_card");
  parts.info.card.emplace_back("tokenizer", parts.tokenize ? std::string("WordPiece (") + (options.lowercase ? "lowercased" : "cased") + ", " + wordPieceRulesName(options.rules) + ")"
                                                           : "none (" + parts.noTokenizerReason + "): token ids only");
  parts.info.card.emplace_back("head", layout.headName + headDescription(layout));
  auto listed = [](const std::vector<std::string>& names) {
    std::string list;
    for (std::size_t i = 0; i < names.size() && i < 5; ++i) list += (i ? ", " : "") + names[i];
    return std::to_string(names.size()) + " (" + list + (names.size() > 5 ? ", ..." : "") + ")";
  };
  if (!layout.notRun.empty()) parts.info.card.emplace_back("heads not run", listed(layout.notRun));
  if (!layout.buffers.empty()) parts.info.card.emplace_back("buffers ignored", listed(layout.buffers));
  auto model = makeEncoder(std::move(parts), w);
  w.finish();
  return model;
}

}  // namespace attnviz
