// Hugging Face BERT-family checkpoints (model_type "bert" or "distilbert"; a folder or zip with config.json,
// model.safetensors and vocab.txt or tokenizer.json, plus tokenizer_config.json when present) run as the
// `encoder` kind. config.json is mapped to EncoderConfig; anything the encoder does not implement
// (relative positions, another activation, a decoder) is refused naming the key and its value. The tensor
// layouts (every BertFor... / DistilBertFor... head, with or without the model prefix) are read by
// hf_encoder_heads.h. A checkpoint without vocab.txt or tokenizer.json opens too and takes token ids only.
//
//   auto model = attnviz::loadHfEncoder("bert-base-uncased/");       // ModelFileError on anything unsupported
#pragma once

#include <memory>
#include <string>

#include "engine/api/model.h"

namespace attnviz {

class HfFiles;
class Params;
struct EncoderConfig;


std::unique_ptr<Model> loadHfEncoder(const std::string& path, const LoadOptions& options = {});
// The same from a checkpoint's files (a folder, a zip file or a zip in memory); its limits are the files' own.
std::unique_ptr<Model> loadHfEncoder(const HfFiles& files, const LoadOptions& options);

// config.json -> EncoderConfig for model_type bert or distilbert (exposed for tests).
EncoderConfig hfEncoderConfig(const Params& config, const std::string& modelType, const std::string& where);

}  // namespace attnviz
