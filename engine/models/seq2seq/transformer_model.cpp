#include "engine/models/seq2seq/transformer_model.h"

#include <algorithm>
#include <filesystem>

#include "engine/core/error.h"
#include "engine/io/file_sniff.h"
#include "engine/io/hf_files.h"
#include "engine/io/package.h"
#include "engine/io/vocab_json.h"
#include "engine/io/weight_set.h"
#include "engine/models/seq2seq/decoding.h"
#include "engine/models/seq2seq/seq2seq_model.h"

namespace attnviz {

namespace seq2seq {

namespace {

// The transformer as a StepDecoder for greedy and beam search (no attention per step: the shown output's maps
// come from one forced pass).
class TransformerSteps final : public StepDecoder {
 public:
  TransformerSteps(const TransformerNetwork& net, const TransformerEncoded& encoded)
      : net_(net), encoded_(encoded), cache_(net.startCache(1)) {}
  std::int64_t startId() const override { return net_.config().decoderStartId; }
  std::int64_t eosId() const override { return net_.config().eosId; }
  std::int64_t vocabSize() const override { return net_.config().vocabSize; }
  std::int64_t attentionWidth() const override { return 0; }
  Tensor step(std::span<const std::int64_t> previous, Tensor&) override { return net_.step(encoded_, cache_, previous); }
  void keep(std::span<const std::int64_t> parents) override { TransformerNetwork::reorder(cache_, parents); }

 private:
  const TransformerNetwork& net_;
  const TransformerEncoded& encoded_;
  DecoderCache cache_;
};

// "model." when the checkpoint holds a …ForConditionalGeneration / MarianMTModel, "" for a bare BartModel.
std::string weightPrefix(const NamedTensors& tensors) {
  for (const auto& [name, tensor] : tensors.tensors)
    if (name.rfind("model.", 0) == 0) return "model.";
  return "";
}

// The decoder inputs for outputs y_1 .. y_T: start, y_1 .. y_{T-1}.
std::vector<std::int64_t> shiftedRight(const std::vector<std::int64_t>& ids, std::int64_t start) {
  std::vector<std::int64_t> in{start};
  in.insert(in.end(), ids.begin(), ids.end() - (ids.empty() ? 0 : 1));
  return in;
}

}  // namespace

TransformerSeq2seqModel::TransformerSeq2seqModel(const HfFiles& files) {
  const std::string where = files.label("config.json");
  const Params config(where, files.readText("config.json"));
  const std::string modelType = config.getString("model_type", "");
  const TransformerConfig c = readTransformerConfig(config, modelType, where);
  NamedTensors tensors = files.readWeights();
  const std::string prefix = weightPrefix(tensors);
  WeightSet w(std::move(tensors), "the checkpoint does not match its config.json: " + rewriteRemedy(WeightsOrigin::HuggingFace));
  network_ = TransformerNetwork(c, w, prefix);
  w.finish();
  if (files.has("vocab.json")) {
    tokens_ = readVocabJson(files.readText("vocab.json"), files.label("vocab.json"), c.vocabSize);
    for (std::size_t id = 0; id < tokens_.size(); ++id)
      if (!tokens_[id].empty()) ids_.emplace(tokens_[id], static_cast<std::int64_t>(id));
    if (const auto unk = ids_.find("<unk>"); unk != ids_.end()) unkId_ = unk->second;
  }
  // MarianTokenizer's files: both SentencePiece models and the vocabulary with its <unk>.
  std::string noTokenizer;
  if (c.family != TransformerFamily::Marian) noTokenizer = "BART's byte-level BPE tokenizer is not read yet";
  else if (!files.has("source.spm") || !files.has("target.spm")) noTokenizer = "no source.spm and target.spm";
  else if (tokens_.empty()) noTokenizer = "no vocab.json";
  else if (unkId_ < 0) noTokenizer = "vocab.json has no <unk>";
  if (noTokenizer.empty()) {
    sourcePieces_ = SentencePiece::fromBytes(files.readText("source.spm", kMaxSentencePieceFileBytes), files.label("source.spm"));
    targetPieces_ = SentencePiece::fromBytes(files.readText("target.spm", kMaxSentencePieceFileBytes), files.label("target.spm"));
  }

  const std::filesystem::path p(files.path());
  std::string name = files.isZip() ? p.stem().string() : p.filename().string();
  if (name.empty()) name = p.parent_path().filename().string();
  info_.identity = {name, kSeq2seqKind.name, modelType};
  info_.path = files.path();
  info_.format = std::string("Hugging Face checkpoint (") + (files.isZip() ? "zip" : "folder") + ", " + files.weightsFile() + ")";
  info_.parameterCount = w.parameterCount();
  info_.vocabSizes = {{"shared", c.vocabSize}};
  for (auto& [key, value] : config.asText())
    if (key != "attnviz_card") info_.architecture.emplace_back(std::move(key), std::move(value));
  info_.card = config.getFlattened("attnviz_card");
  info_.card.emplace_back("decoder", std::string(c.family == TransformerFamily::Marian ? "MarianMT" : "BART") +
                                         " transformer, " + std::to_string(c.encoderLayers) + "+" +
                                         std::to_string(c.decoderLayers) + " layers, d_model " + std::to_string(c.dModel) +
                                         ", " + activationName(c.activation));
  info_.tokenIdsOnly = !takesText();
  info_.card.emplace_back("tokenizer", takesText() ? "SentencePiece unigram (source.spm, target.spm; normaliser " +
                                                         sourcePieces_->normalizerName() + ") + vocab.json"
                                                   : "none (" + noTokenizer + "): token ids only (--token-ids)");
  noTokenizer_ = noTokenizer;
}

std::vector<std::int64_t> TransformerSeq2seqModel::textIds(std::string_view text, const std::string& origin,
                                                           bool target) const {
  if (!takesText()) throw InternalError("TransformerSeq2seqModel::textIds", "the checkpoint has no tokenizer");
  const Pieces pieces = (target ? *targetPieces_ : *sourcePieces_).encode(text, origin);
  std::vector<std::int64_t> ids;
  ids.reserve(pieces.pieces.size() + 1);
  for (const std::string& piece : pieces.pieces) {
    const auto it = ids_.find(piece);
    ids.push_back(it == ids_.end() ? unkId_ : it->second);
  }
  ids.push_back(config().eosId);
  return ids;
}

std::string TransformerSeq2seqModel::tokenText(std::int64_t id) const {
  if (id >= 0 && static_cast<std::size_t>(id) < tokens_.size() && !tokens_[static_cast<std::size_t>(id)].empty())
    return tokens_[static_cast<std::size_t>(id)];
  return "#" + std::to_string(id);
}

Trace TransformerSeq2seqModel::runImpl(const Input& input, const RunOptions& options) const {
  checkLimit(kMaxTokensLimit, options.maxTokens, kMaxTokensLimit.option);
  const TransformerConfig& c = config();
  if (input.kind != Input::Kind::TokenIds && !takesText())
    throw InputError(input.origin, "this checkpoint has no tokenizer attnviz reads (" + noTokenizer_ +
                                       "); give token ids (--token-ids)");
  if (options.target && !takesText())
    throw InputError(input.origin + " (target)", "a forced target needs the checkpoint's tokenizer (" + noTokenizer_ +
                                                 "); this one takes token ids only");
  std::vector<std::int64_t> source =
      input.kind == Input::Kind::TokenIds ? input.tokenIds : textIds(input.text, input.origin, false);
  if (input.kind == Input::Kind::TokenIds && source.empty())
    throw InputError(input.origin, "no token ids; give at least one (Marian sources end with </s>)");
  Trace trace;
  const std::int64_t room = std::min(options.maxTokens, c.maxPositions);
  if (static_cast<std::int64_t>(source.size()) > room) {
    trace.warnings.push_back("input truncated to " + std::to_string(room) + " tokens (" +
                             (options.maxTokens < c.maxPositions ? limitNote(kMaxTokensLimit)
                                                                 : std::string("max_position_embeddings")) +
                             "); " + std::to_string(source.size() - static_cast<std::size_t>(room)) +
                             " tokens were left out");
    source.resize(static_cast<std::size_t>(room));
  }
  const TransformerEncoded encoded = network_.encode(source);
  const std::int64_t limit = std::min<std::int64_t>(2 * static_cast<std::int64_t>(source.size()) + 10, c.maxPositions);

  trace.model = info_.identity;
  for (std::int64_t id : source) trace.sourceTokens.push_back(tokenText(id));
  trace.input = input.kind == Input::Kind::TokenIds ? input.origin : input.text;

  TransformerSteps steps(network_, encoded);
  std::vector<Decoded> outputs;
  if (options.target) {
    Decoded forcedTarget;
    forcedTarget.ids = textIds(*options.target, input.origin + " (target)", true);
    if (static_cast<std::int64_t>(forcedTarget.ids.size()) > room) {
      trace.warnings.push_back("target truncated to " + std::to_string(room) + " tokens (" + limitNote(kMaxTokensLimit) +
                               " or max_position_embeddings); " +
                               std::to_string(forcedTarget.ids.size() - static_cast<std::size_t>(room)) +
                               " tokens were left out");
      forcedTarget.ids.resize(static_cast<std::size_t>(room));
    }
    forcedTarget.finished = true;
    outputs.push_back(std::move(forcedTarget));
  } else if (options.beam == 1) {
    outputs.push_back(greedy(steps, limit));
  } else {
    outputs = beamSearch(steps, options.beam, limit);
  }
  const Decoded& best = outputs.front();
  if (!best.finished)
    trace.warnings.push_back("decoding stopped after " + std::to_string(limit) +
                             " tokens without </s> (the limit is 2 x source tokens + 10, at most "
                             "max_position_embeddings); the translation may be cut short");
  auto tokensOf = [&](const std::vector<std::int64_t>& ids) {
    std::vector<std::string> out;
    for (std::int64_t id : ids) out.push_back(tokenText(id));
    return out;
  };
  const ForcedPass pass = network_.forced(encoded, shiftedRight(best.ids, c.decoderStartId));
  trace.targetTokens = tokensOf(best.ids);
  std::vector<std::string> pieces;
  for (std::size_t i = 0; i < best.ids.size(); ++i)
    if (best.ids[i] != c.eosId) pieces.push_back(trace.targetTokens[i]);
  std::string translation;
  if (takesText()) translation = targetPieces_->decodePieces(pieces);
  else
    for (const std::string& piece : pieces) translation += (translation.empty() ? "" : " ") + piece;
  trace.prediction.translation = translation;
  trace.prediction.forced = options.target.has_value();
  trace.attention["cross"] = pass.cross;
  trace.attention["encoder_self"] = encoded.selfAttention;
  trace.attention["decoder_self"] = pass.selfAttention;
  if (options.beam > 1)
    for (const Decoded& d : outputs)
      trace.hypotheses.push_back({tokensOf(d.ids), d.score, network_.forced(encoded, shiftedRight(d.ids, c.decoderStartId)).cross});
  return trace;
}

}  // namespace seq2seq

std::unique_ptr<Model> loadHfSeq2seq(const HfFiles& files, const LoadOptions&) {
  return std::make_unique<seq2seq::TransformerSeq2seqModel>(files);
}

}  // namespace attnviz
