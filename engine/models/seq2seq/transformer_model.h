// Hugging Face MarianMT and BART checkpoints (model_type "marian" / "bart": a folder or zip with config.json and
// model.safetensors, vocab.json for token names) run as the `seq2seq` kind: a transformer encoder-decoder
// (transformer_network.h) with greedy, beam and forced decoding.
//
// Trace (engine/api/trace.h, README "Trace format"): attention "cross" [decoder layers, heads, T, S] (row t: the
// step that emits target token t, over the source tokens), "encoder_self" [encoder layers, heads, S, S],
// "decoder_self" [decoder layers, heads, T, T] (causal: zero above the diagonal). The RNN seq2seq models keep
// "cross" [T, S]. All maps of the shown output come from one forced pass over it (greedy and beam choose the ids
// step by step with cached keys and values; forced() recomputes their attention in one pass, equal within float
// rounding: tests/golden/test_hf_seq2seq_golden.cpp).
// Inputs: text through the checkpoint's MarianTokenizer files (source.spm / target.spm, SentencePiece unigram
// models, and vocab.json mapping pieces to ids: pieces, then </s>; a piece missing from vocab.json is <unk>, as
// MarianTokenizer does), or token ids exactly as given (--token-ids; Marian sources end with </s>, BART's are
// <s> ... </s>). Decoding starts from decoder_start_token_id. A forced target (RunOptions::target) goes through
// target.spm the same way. The translation is target.spm's decoding of the pieces (without </s>). BART's byte-level
// BPE tokenizer is not read yet: BART checkpoints take token ids.
//
//   auto model = attnviz::loadHfSeq2seq(attnviz::HfFiles("opus-mt-en-fr"), {});
//   attnviz::Trace t = model->run(attnviz::Input::fromTokenIds({38, 1150, 0}), {});   // t.attention["cross"]
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <string>
#include <vector>

#include "engine/api/model.h"
#include "engine/models/seq2seq/sentencepiece.h"
#include "engine/models/seq2seq/transformer_network.h"

namespace attnviz {

class HfFiles;

std::unique_ptr<Model> loadHfSeq2seq(const HfFiles& files, const LoadOptions& options);

namespace seq2seq {

class TransformerSeq2seqModel final : public Model {
 public:
  explicit TransformerSeq2seqModel(const HfFiles& files);
  const ModelInfo& info() const override { return info_; }
  const TransformerNetwork& network() const { return network_; }
  const TransformerConfig& config() const { return network_.config(); }
  // Token text for an id: its vocab.json entry, or "#id" when the checkpoint has none (as encoders show them).
  std::string tokenText(std::int64_t id) const;
  bool takesText() const { return sourcePieces_.has_value(); }
  // Text -> ids as MarianTokenizer makes them: pieces of source.spm (target.spm when target) looked up in
  // vocab.json (<unk> when absent), then </s>. InputError(origin) on invalid UTF-8; no tokenizer: InternalError.
  std::vector<std::int64_t> textIds(std::string_view text, const std::string& origin, bool target) const;

 protected:
  Trace runImpl(const Input& input, const RunOptions& options) const override;

 private:
  ModelInfo info_;
  TransformerNetwork network_;
  std::vector<std::string> tokens_;  // id -> vocab.json token; empty without vocab.json
  std::unordered_map<std::string, std::int64_t> ids_;  // vocab.json token -> id
  std::int64_t unkId_ = -1;          // vocab.json's "<unk>"
  std::optional<SentencePiece> sourcePieces_, targetPieces_;  // source.spm, target.spm (with vocab.json)
  std::string noTokenizer_;  // why text is not taken (for messages), when it is not
};

}  // namespace seq2seq
}  // namespace attnviz
