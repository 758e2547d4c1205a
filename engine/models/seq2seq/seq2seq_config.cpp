#include "engine/models/seq2seq/seq2seq_config.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <utility>

#include "engine/core/error.h"
#include "engine/io/package.h"

namespace attnviz::seq2seq {

namespace {

constexpr std::array<std::pair<AttentionKind, std::string_view>, 6> kAttentionNames = {{
    {AttentionKind::Bahdanau, "bahdanau"},
    {AttentionKind::LuongDot, "luong-dot"},
    {AttentionKind::LuongGeneral, "luong-general"},
    {AttentionKind::LuongConcat, "luong-concat"},
    {AttentionKind::ScaledDot, "scaled-dot"},
    {AttentionKind::LocalP, "local-p"},
}};
constexpr std::string_view kTokenizer = "tatoeba-en-fr";
// Every key train.py writes; nothing else is accepted.
const std::set<std::string> kKnownKeys = {
    "embedding_size", "encoder_hidden",    "decoder_hidden",    "attention_size", "window",
    "attention",      "source_vocab_size", "target_vocab_size", "max_source_tokens", "tokenizer",
    "pad_id",         "unk_id",            "sos_id",            "eos_id"};
// Generous for real models, small enough that products of them fit comfortably in int64.
constexpr std::int64_t kMaxDim = 1 << 16;
constexpr std::int64_t kMaxVocab = 1 << 22;

std::string choices() {
  std::string out;
  for (const auto& [kind, name] : kAttentionNames) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

}  // namespace

std::string_view attentionName(AttentionKind kind) {
  for (const auto& [k, name] : kAttentionNames)
    if (k == kind) return name;
  return "?";
}

Config readConfig(const Params& a, const std::string& where) {
  for (const auto& [key, value] : a.asText())
    if (!kKnownKeys.count(key))
      throw ModelFileError(where, "architecture key '" + key + "' (value " + value +
                                      ") is not a seq2seq hyper-parameter this attnviz knows; re-export the package "
                                      "with models/seq2seq/train.py, or use a newer attnviz");
  Config c;
  c.embeddingSize = a.getInt("embedding_size", 1, kMaxDim);
  c.encoderHidden = a.getInt("encoder_hidden", 1, kMaxDim);
  c.decoderHidden = a.getInt("decoder_hidden", 1, kMaxDim);
  c.attentionSize = a.getInt("attention_size", 1, kMaxDim);
  const double window = a.getNumber("window");
  if (!(window > 0.0 && window <= 1e6))
    throw ModelFileError(where, "key 'window' is " + std::to_string(window) + ", expected a number in (0, 1e6] (local-p's window; sigma = window / 2)");
  c.window = static_cast<float>(window);

  const std::string attention = a.getString("attention");
  bool known = false;
  for (const auto& [kind, name] : kAttentionNames)
    if (attention == name) c.attention = kind, known = true;
  if (!known)
    throw ModelFileError(where, "key 'attention' is \"" + attention + "\", expected one of " + choices());
  if ((c.attention == AttentionKind::LuongDot || c.attention == AttentionKind::ScaledDot) &&
      c.decoderHidden != c.annotationSize())
    throw ModelFileError(where, "attention \"" + attention + "\" compares the decoder state with the annotations, so "
                                    "decoder_hidden (" + std::to_string(c.decoderHidden) + ") must equal 2 * encoder_hidden (" +
                                    std::to_string(c.annotationSize()) + ")");

  c.sourceVocabSize = a.getInt("source_vocab_size", 1, kMaxVocab);
  c.targetVocabSize = a.getInt("target_vocab_size", 1, kMaxVocab);
  c.maxSourceTokens = a.getInt("max_source_tokens", 1, 1 << 20);
  const std::string tokenizer = a.getString("tokenizer");
  if (tokenizer != kTokenizer)
    throw ModelFileError(where, "key 'tokenizer' is \"" + tokenizer + "\", expected \"" + std::string(kTokenizer) +
                                    "\" (the only seq2seq tokenizer: models/seq2seq/text.py)");

  const std::int64_t idLimit = std::min(c.sourceVocabSize, c.targetVocabSize) - 1;
  c.padId = a.getInt("pad_id", 0, idLimit);
  c.unkId = a.getInt("unk_id", 0, idLimit);
  c.sosId = a.getInt("sos_id", 0, idLimit);
  c.eosId = a.getInt("eos_id", 0, idLimit);
  if (std::set<std::int64_t>{c.padId, c.unkId, c.sosId, c.eosId}.size() != 4)
    throw ModelFileError(where, "pad_id, unk_id, sos_id and eos_id must be four different ids, found " +
                                    std::to_string(c.padId) + ", " + std::to_string(c.unkId) + ", " +
                                    std::to_string(c.sosId) + ", " + std::to_string(c.eosId));
  return c;
}

}  // namespace attnviz::seq2seq
