#include "engine/models/encoder/hf_encoder_heads.h"

#include <algorithm>
#include <optional>
#include <regex>
#include <utility>

#include "engine/core/error.h"
#include "engine/io/hf_files.h"
#include "engine/io/package.h"

namespace attnviz {

namespace {

using TaskHead = EncoderParts::TaskHead;

// Every head class transformers writes for the two model types (modeling_bert.py, modeling_distilbert.py) and the
// head attnviz runs for it. A file is matched by its tensors; its "architectures" entry, when it names one of these,
// must agree. The masked-LM, pre-training and next-sentence classes add only heads attnviz lists and does not run.
struct HeadLayout {
  const char* architecture;
  TaskHead head;
};

constexpr HeadLayout kLayouts[] = {
    {"BertModel", TaskHead::None},  // with its pooler (add_pooling_layer=True, the default) or without
    {"BertForPreTraining", TaskHead::None},
    {"BertForMaskedLM", TaskHead::None},
    {"BertLMHeadModel", TaskHead::None},
    {"BertForNextSentencePrediction", TaskHead::None},
    {"BertForSequenceClassification", TaskHead::SequenceClassification},
    {"BertForTokenClassification", TaskHead::TokenClassification},
    {"BertForQuestionAnswering", TaskHead::QuestionAnswering},
    {"DistilBertModel", TaskHead::None},
    {"DistilBertForMaskedLM", TaskHead::None},
    {"DistilBertForSequenceClassification", TaskHead::SequenceClassification},
    {"DistilBertForTokenClassification", TaskHead::TokenClassification},
    {"DistilBertForQuestionAnswering", TaskHead::QuestionAnswering},
};

// Head tensors attnviz does not run, by the prefix transformers gives them (outside the "bert."/"distilbert." body).
constexpr const char* kNotRunPrefixes[] = {
    "cls.predictions.", "cls.seq_relationship.",                    // BERT masked-LM and next-sentence heads
    "vocab_transform.", "vocab_layer_norm.", "vocab_projector.",  // DistilBertForMaskedLM
};

const char* headName(TaskHead head) {
  switch (head) {
    case TaskHead::None: return "no task head";
    case TaskHead::SequenceClassification: return "a sequence classifier ('classifier' on the pooled output)";
    case TaskHead::TokenClassification: return "a token classifier ('classifier' on every token)";
    case TaskHead::QuestionAnswering: return "a question-answering head ('qa_outputs')";
  }
  return "";
}

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// DistilBERT's names of a layer's parts and BertModel's, after "transformer.layer.N." and "encoder.layer.N.".
constexpr std::pair<const char*, const char*> kDistilLayerParts[] = {
    {"attention.q_lin.", "attention.self.query."},      {"attention.k_lin.", "attention.self.key."},
    {"attention.v_lin.", "attention.self.value."},      {"attention.out_lin.", "attention.output.dense."},
    {"sa_layer_norm.", "attention.output.LayerNorm."},  {"ffn.lin1.", "intermediate.dense."},
    {"ffn.lin2.", "output.dense."},                     {"output_layer_norm.", "output.LayerNorm."},
};
// DistilBertForSequenceClassification's pre_classifier sits where BertModel's pooler does.
constexpr std::pair<const char*, const char*> kDistilPooler = {"pre_classifier.", "pooler.dense."};

// A DistilBERT name under BertModel's names (toBert) or back (for messages); other names unchanged.
std::string translateDistil(const std::string& name, bool toBert) {
  auto side = [toBert](const std::pair<const char*, const char*>& p, bool target) {
    return std::string(target == toBert ? p.second : p.first);
  };
  if (startsWith(name, side(kDistilPooler, false).c_str()))
    return side(kDistilPooler, true) + name.substr(side(kDistilPooler, false).size());
  const std::string from = toBert ? "transformer.layer." : "encoder.layer.";
  const std::string to = toBert ? "encoder.layer." : "transformer.layer.";
  const std::size_t dot = name.find('.', from.size());
  if (!startsWith(name, from.c_str()) || dot == std::string::npos) return name;
  const std::string layer = name.substr(from.size(), dot + 1 - from.size());  // "N."
  const std::string part = name.substr(dot + 1);
  for (const auto& names : kDistilLayerParts)
    if (startsWith(part, side(names, false).c_str()))
      return to + layer + side(names, true) + part.substr(side(names, false).size());
  return name;
}

// The layer number of "encoder.layer.N.…", or nullopt.
std::optional<std::int64_t> layerOf(const std::string& name) {
  static const std::regex layer(R"(^encoder\.layer\.(\d{1,9})\.)");
  std::smatch m;
  if (!std::regex_search(name, m, layer)) return std::nullopt;
  return std::stoll(m[1].str());
}

// Tensors of the encoder body and of the heads attnviz runs, by BertModel name.
bool isRunnable(const std::string& name, bool coreference) {
  return startsWith(name, "embeddings.") || startsWith(name, "encoder.layer.") || startsWith(name, "pooler.dense.") ||
         startsWith(name, "classifier.") || startsWith(name, "qa_outputs.") || (coreference && startsWith(name, "coreference."));
}

EncoderParts::Scoring scoringOf(const Params& config, std::int64_t labels, const std::string& where) {
  const std::string problem = config.getString("problem_type", "");
  if (problem == "regression") return EncoderParts::Scoring::Regression;
  if (problem == "multi_label_classification") return EncoderParts::Scoring::Sigmoid;
  if (problem == "single_label_classification") return EncoderParts::Scoring::Softmax;
  if (!problem.empty())
    throw ModelFileError(where, "config key 'problem_type' is \"" + problem +
                                    "\"; transformers knows regression, single_label_classification and "
                                    "multi_label_classification");
  // As transformers' forward decides when problem_type is unset: one output is a regression score.
  return labels == 1 ? EncoderParts::Scoring::Regression : EncoderParts::Scoring::Softmax;
}

const Shape* shapeOf(const NamedTensors& t, const std::string& name) {
  for (const auto& [n, tensor] : t.tensors)
    if (n == name) return &tensor.shape();
  return nullptr;
}

}  // namespace

HfEncoderLayout readHfEncoderLayout(NamedTensors in, const Params& config, const std::string& modelType,
                                    std::int64_t numLayers, bool coreference, const std::string& where) {
  const bool distil = modelType == "distilbert";
  const std::string prefix = distil ? "distilbert." : "bert.";
  HfEncoderLayout out;
  out.weights.source = in.source;
  const bool prefixed = std::any_of(in.tensors.begin(), in.tensors.end(),
                                    [&](const auto& t) { return startsWith(t.first, prefix.c_str()); });
  // The encoder body carries the prefix in a file that uses it; heads (and DistilBERT's pre_classifier) never do.
  out.fileName = [distil, prefixed, prefix](const std::string& name) {
    const std::string renamed = distil ? translateDistil(name, /*toBert=*/false) : name;
    const bool body = startsWith(renamed, "embeddings.") || startsWith(renamed, "encoder.") ||
                      startsWith(renamed, "transformer.") || startsWith(renamed, "pooler.");
    return (prefixed && body ? prefix : std::string()) + renamed;
  };
  for (auto& [nameIn, tensor] : in.tensors) {
    const std::string tensorWhere = in.source + ": tensor '" + nameIn + "'";
    std::string name = startsWith(nameIn, prefix.c_str()) ? nameIn.substr(prefix.size()) : nameIn;
    if (distil) name = translateDistil(name, /*toBert=*/true);
    if (name.find("position_ids") != std::string::npos || name == "embeddings.token_type_ids") {
      out.buffers.push_back(nameIn);  // buffers older versions saved; not weights
      continue;
    }
    if (std::any_of(std::begin(kNotRunPrefixes), std::end(kNotRunPrefixes), [&](const char* p) { return startsWith(name, p); })) {
      out.notRun.push_back(nameIn);
      continue;
    }
    if (!isRunnable(name, coreference))
      throw ModelFileError(tensorWhere, std::string("belongs to no layout transformers writes for model_type \"") + modelType +
                                            "\" (" + (distil ? "DistilBertModel" : "BertModel") +
                                            " and its ...ForSequenceClassification, ForTokenClassification, "
                                            "ForQuestionAnswering, ForMaskedLM" + (distil ? "" : ", ForPreTraining, LMHeadModel") +
                                            " heads); attnviz cannot tell what it computes");
    if (const auto layer = layerOf(name); layer && *layer >= numLayers)
      throw ModelFileError(tensorWhere, "belongs to layer " + std::to_string(*layer) + " but config.json has " +
                                            (distil ? "n_layers " : "num_hidden_layers ") + std::to_string(numLayers) +
                                            " (layers 0 .. " + std::to_string(numLayers - 1) +
                                            "); the weights and config.json come from different models");
    out.weights.tensors.emplace_back(std::move(name), std::move(tensor));
  }

  const Shape* classifier = shapeOf(out.weights, "classifier.weight");
  const Shape* qa = shapeOf(out.weights, "qa_outputs.weight");
  const bool pooler = shapeOf(out.weights, "pooler.dense.weight") != nullptr;
  if (classifier && qa)
    throw ModelFileError(in.source, "has both a 'classifier' and a 'qa_outputs' head; transformers writes one task head per model");
  // A classifier on the pooled output (the pooler is part of ...ForSequenceClassification) or on every token.
  out.head = qa ? TaskHead::QuestionAnswering
             : classifier ? (pooler ? TaskHead::SequenceClassification : TaskHead::TokenClassification)
                          : TaskHead::None;
  out.pooler = !pooler ? EncoderParts::Pooler::None
               : distil ? EncoderParts::Pooler::DistilBertReLU
                        : EncoderParts::Pooler::BertTanh;
  if (distil && pooler && out.head != TaskHead::SequenceClassification)
    throw ModelFileError(in.source + ": tensor 'pre_classifier.weight'",
                         "is DistilBertForSequenceClassification's but the file has no 'classifier' after it");

  // "architectures" (when it names a class of the table) must describe the same head.
  out.headName = distil ? "DistilBertModel" : "BertModel";
  for (const HeadLayout& l : kLayouts)
    if (l.head == out.head && startsWith(l.architecture, distil ? "DistilBert" : "Bert") && out.head != TaskHead::None) {
      out.headName = l.architecture;
      break;
    }
  const std::vector<std::string> architectures = config.getStringList("architectures");
  if (!architectures.empty()) {
    for (const HeadLayout& l : kLayouts) {
      if (architectures.front() != l.architecture) continue;
      if (l.head != out.head)
        throw ModelFileError(where, "config key 'architectures' is " + architectures.front() + ", which has " +
                                        headName(l.head) + ", but the weights have " + headName(out.head) +
                                        "; the weights and config.json come from different models");
      out.headName = l.architecture;
    }
    if (architectures.front() == "BertForMultipleChoice" || architectures.front() == "DistilBertForMultipleChoice")
      throw ModelFileError(where, "config key 'architectures' is " + architectures.front() +
                                      ": attnviz does not run multiple-choice heads (one score per choice needs "
                                      "several inputs at once); open the encoder alone by removing 'classifier.*'");
  }

  const std::string hidden = std::to_string(config.getInt(distil ? "dim" : "hidden_size", 1, 1 << 16));
  if (classifier) {
    if (classifier->size() != 2)
      throw ModelFileError(in.source + ": tensor 'classifier.weight'", "has shape " + shapeString(*classifier) +
                                                                           "; expected [labels, " + hidden + "]");
    out.labels = hfHeadLabels(config, (*classifier)[0], "classifier.weight", where);
    out.scoring = out.head == TaskHead::TokenClassification ? EncoderParts::Scoring::Softmax
                                                            : scoringOf(config, (*classifier)[0], where);
  }
  if (qa && config.has("num_labels") && config.getInt("num_labels", 1, 1 << 22) != 2)
    throw ModelFileError(where, "config key 'num_labels' is " + std::to_string(config.getInt("num_labels", 1, 1 << 22)) +
                                    " but a question-answering head ('qa_outputs') has 2 outputs, start and end");
  return out;
}

}  // namespace attnviz
