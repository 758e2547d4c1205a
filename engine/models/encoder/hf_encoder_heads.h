// The tensor layouts transformers writes for BERT and DistilBERT, with or without the "bert."/"distilbert."
// prefix, and the task head they describe. One table (kLayouts in the .cpp) lists every head class and the
// tensors it adds; the loader renames the body to BertModel's names, keeps the heads attnviz runs, lists the
// heads it does not run (masked-LM, next-sentence) and refuses only tensors that contradict config.json.
//
//   HfEncoderLayout layout = readHfEncoderLayout(files.readWeights(), config, "distilbert", numLayers, where);
//   WeightSet w(std::move(layout.weights));   // embeddings.*, encoder.layer.N.*, pooler.dense.*, classifier.* ...
//   layout.head;                              // sequence or token classification, question answering, or none
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/io/tensor_files.h"
#include "engine/models/encoder/encoder_model.h"

namespace attnviz {

class Params;

struct HfEncoderLayout {
  NamedTensors weights;             // BertModel names without a prefix, heads included
  EncoderParts::TaskHead head;      // what the runnable tensors describe, checked against "architectures"
  EncoderParts::Pooler pooler;      // the pooler the file has (BERT's tanh pooler, DistilBERT's pre_classifier)
  EncoderParts::Scoring scoring;    // softmax, sigmoid (multi-label) or raw scores (regression, num_labels 1)
  std::vector<std::string> labels;  // classification heads: id2label, or LABEL_0 .. LABEL_{n-1} as transformers
  std::string headName;             // "BertForSequenceClassification", ... for the model card
  std::vector<std::string> notRun;  // tensors of heads attnviz does not run ("cls.predictions.bias" ...), as in the file
  std::vector<std::string> buffers; // non-parameters older versions saved ("embeddings.position_ids")
  // A BertModel name as this file writes it ("bert." prefix, DistilBERT's names), for WeightSet::setFileNames.
  std::function<std::string(const std::string&)> fileName;
};

// tensors: the checkpoint as read; modelType "bert" or "distilbert"; numLayers from config.json; coreference:
// the config has attnviz's coreference pointer, whose "coreference.*" tensors are kept. ModelFileError(where or
// the tensor) when a tensor belongs to no layout transformers writes, to a layer past num_hidden_layers, or when
// the heads found contradict config.json (id2label, num_labels, architectures).
HfEncoderLayout readHfEncoderLayout(NamedTensors tensors, const Params& config, const std::string& modelType,
                                    std::int64_t numLayers, bool coreference, const std::string& where);

}  // namespace attnviz
