#include "engine/models/han/han_config.h"

#include <set>

#include "engine/core/error.h"
#include "engine/io/package.h"

namespace attnviz::han {

namespace {

constexpr const char* kTokenizer = "pang-lee-v2";
// Every key train.py writes; nothing else is accepted.
const std::set<std::string> kKnownKeys = {
    "embedding_size", "word_hidden", "sentence_hidden", "word_attention", "sentence_attention", "vocab_size",
    "classes",        "tokenizer",   "pad_id",          "unk_id",         "max_sentences",      "max_words_per_sentence"};
// Generous for real models, small enough that products of them fit comfortably in int64.
constexpr std::int64_t kMaxDim = 1 << 16;
constexpr std::int64_t kMaxVocab = 1 << 22;

}  // namespace

Config readConfig(const Params& a, const std::string& where) {
  for (const auto& [key, value] : a.asText())
    if (!kKnownKeys.count(key))
      throw ModelFileError(where, "architecture key '" + key + "' (value " + value +
                                      ") is not a han hyper-parameter this attnviz knows; re-export the package with "
                                      "models/han/train.py, or use a newer attnviz");
  Config c;
  c.embeddingSize = a.getInt("embedding_size", 1, kMaxDim);
  c.wordHidden = a.getInt("word_hidden", 1, kMaxDim);
  c.sentenceHidden = a.getInt("sentence_hidden", 1, kMaxDim);
  c.wordAttention = a.getInt("word_attention", 1, kMaxDim);
  c.sentenceAttention = a.getInt("sentence_attention", 1, kMaxDim);
  c.vocabSize = a.getInt("vocab_size", 2, kMaxVocab);
  c.classes = a.getInt("classes", 2, kMaxDim);
  const std::string tokenizer = a.getString("tokenizer");
  if (tokenizer != kTokenizer)
    throw ModelFileError(where, "key 'tokenizer' is \"" + tokenizer + "\", expected \"" + kTokenizer +
                                    "\" (the only han tokenizer: models/han/text.py)");
  c.padId = a.getInt("pad_id", 0, c.vocabSize - 1);
  c.unkId = a.getInt("unk_id", 0, c.vocabSize - 1);
  if (c.padId == c.unkId)
    throw ModelFileError(where, "pad_id and unk_id must differ, both are " + std::to_string(c.padId));
  c.maxSentences = a.getInt("max_sentences", 1, 1 << 20);
  c.maxWordsPerSentence = a.getInt("max_words_per_sentence", 1, 1 << 20);
  return c;
}

}  // namespace attnviz::han
