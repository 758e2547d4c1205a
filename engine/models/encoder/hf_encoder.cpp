#include "engine/models/encoder/hf_encoder.h"

#include <algorithm>
#include <filesystem>
#include <regex>

#include "engine/core/error.h"
#include "engine/io/hf_files.h"
#include "engine/io/hf_wordpiece_files.h"
#include "engine/io/package.h"
#include "engine/io/weight_set.h"
#include "engine/models/encoder/encoder_config.h"
#include "engine/models/encoder/encoder_model.h"
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

// DistilBERT names -> BertModel names, per layer and for the embeddings and head.
std::string distilToBert(const std::string& name) {
  static const std::vector<std::pair<std::regex, std::string>> rules = {
      {std::regex(R"(^transformer\.layer\.(\d+)\.attention\.q_lin\.)"), "encoder.layer.$1.attention.self.query."},
      {std::regex(R"(^transformer\.layer\.(\d+)\.attention\.k_lin\.)"), "encoder.layer.$1.attention.self.key."},
      {std::regex(R"(^transformer\.layer\.(\d+)\.attention\.v_lin\.)"), "encoder.layer.$1.attention.self.value."},
      {std::regex(R"(^transformer\.layer\.(\d+)\.attention\.out_lin\.)"), "encoder.layer.$1.attention.output.dense."},
      {std::regex(R"(^transformer\.layer\.(\d+)\.sa_layer_norm\.)"), "encoder.layer.$1.attention.output.LayerNorm."},
      {std::regex(R"(^transformer\.layer\.(\d+)\.ffn\.lin1\.)"), "encoder.layer.$1.intermediate.dense."},
      {std::regex(R"(^transformer\.layer\.(\d+)\.ffn\.lin2\.)"), "encoder.layer.$1.output.dense."},
      {std::regex(R"(^transformer\.layer\.(\d+)\.output_layer_norm\.)"), "encoder.layer.$1.output.LayerNorm."},
      {std::regex(R"(^pre_classifier\.)"), "pooler.dense."},
  };
  for (const auto& [pattern, replacement] : rules)
    if (std::regex_search(name, pattern)) return std::regex_replace(name, pattern, replacement, std::regex_constants::format_first_only);
  return name;
}

// Tensors under BertModel names; names no encoder part uses (task heads) are counted in `unused`.
NamedTensors canonicalWeights(NamedTensors in, bool distil, bool coreference, std::vector<std::string>& unused) {
  NamedTensors out;
  out.source = in.source;
  const std::string prefix = distil ? "distilbert." : "bert.";
  for (auto& [nameIn, tensor] : in.tensors) {
    std::string name = nameIn.rfind(prefix, 0) == 0 ? nameIn.substr(prefix.size()) : nameIn;
    if (distil) name = distilToBert(name);
    const bool used = name.rfind("embeddings.", 0) == 0 || name.rfind("encoder.layer.", 0) == 0 ||
                      name.rfind("pooler.dense.", 0) == 0 || name.rfind("classifier.", 0) == 0 ||
                      (coreference && name.rfind("coreference.", 0) == 0);
    if (!used || name.find("position_ids") != std::string::npos) {
      unused.push_back(nameIn);
      continue;
    }
    out.tensors.emplace_back(std::move(name), std::move(tensor));
  }
  return out;
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

std::string readModelType(const HfFiles& files, Params& config) {
  const std::string where = files.label("config.json");
  config = Params(where, files.readText("config.json"));
  return config.getString("model_type", "");
}

}  // namespace

bool isHfEncoderType(const std::string& modelType) { return modelType == "bert" || modelType == "distilbert"; }

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
  const HfFiles files(path, static_cast<std::uint64_t>(load.maxFileBytes));
  Params config;
  const std::string modelType = readModelType(files, config);
  const std::string where = files.label("config.json");
  EncoderParts parts;
  parts.config = hfEncoderConfig(config, modelType, where);
  const bool distil = modelType == "distilbert";
  parts.tokenTypeEmbeddings = !distil;
  parts.head = distil ? EncoderParts::Head::DistilBertPreClassifier : EncoderParts::Head::BertPooler;

  HfWordPieceFiles t = readHfWordPiece(files);
  if (static_cast<std::int64_t>(t.vocab.size()) != parts.config.vocabSize)
    throw ModelFileError(t.vocabLabel, "has " + std::to_string(t.vocab.size()) + " pieces but config.json says vocab_size " +
                                           std::to_string(parts.config.vocabSize));
  WordPieceOptions options;
  options.lowercase = t.lowercase;
  options.stripAccents = t.stripAccents;
  options.tokenizeChineseChars = t.tokenizeChineseChars;
  options.unk = t.unk;
  options.cls = t.cls;
  options.sep = t.sep;
  options.maxCharsPerWord = t.maxCharsPerWord;
  auto tokenizer = std::make_shared<const WordPieceTokenizer>(std::move(t.vocab), options, t.vocabLabel);
  parts.tokenize = [tokenizer](std::string_view text, std::int64_t maxTokens, const std::string& origin) {
    return tokenizer->encode(text, maxTokens, origin);
  };

  readCoreference(config, parts, where);
  if (parts.coreference) parts.coreference->unk = options.unk;
  std::vector<std::string> unused;
  WeightSet w(canonicalWeights(files.readWeights(), distil, parts.coreference.has_value(), unused),
              "the checkpoint does not match its config.json; save it again with save_pretrained");
  parts.labels = w.has("classifier.weight") ? hfLabels(config, where) : std::vector<std::string>{};
  if (w.has("classifier.weight") && parts.labels.empty())
    throw ModelFileError(where, "the weights have a classifier but config.json has no id2label to name its classes");

  const std::filesystem::path p(path);
  std::string name = files.isZip() ? p.stem().string() : p.filename().string();
  if (name.empty()) name = p.parent_path().filename().string();  // "folder/"
  parts.info.identity = {name, "encoder", modelType};
  parts.info.path = path;
  parts.info.format = std::string("Hugging Face checkpoint (") + (files.isZip() ? "zip" : "folder") + ", " +
                      files.weightsFile() + ")";
  parts.info.vocabSizes = {{"source", parts.config.vocabSize}};
  for (auto& [key, value] : config.asText())
    if (key != "attnviz_card") parts.info.architecture.emplace_back(std::move(key), std::move(value));
  // The model card: attnviz's "attnviz_card" strings when the checkpoint has them (models/coref does).
  parts.info.card = config.getFlattened("attnviz_card");
  parts.info.card.emplace_back("tokenizer", std::string("WordPiece (") + (options.lowercase ? "lowercased" : "cased") + ")");
  if (!unused.empty()) {
    std::string list;
    for (std::size_t i = 0; i < unused.size() && i < 5; ++i) list += (i ? ", " : "") + unused[i];
    parts.info.card.emplace_back("unused tensors", std::to_string(unused.size()) + " (task heads attnviz does not run: " +
                                                       list + (unused.size() > 5 ? ", ..." : "") + ")");
  }
  auto model = makeEncoder(std::move(parts), w);
  w.finish();
  return model;
}

}  // namespace attnviz
