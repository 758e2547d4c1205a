// The "basic" tokenizer of attnviz encoder packages: ASCII-lowercase (when configured), split on
// whitespace, every ASCII punctuation character its own token, words missing from the vocabulary become
// [UNK], and [CLS] ... [SEP] around them. Mirrors basic_tokenize() in models/reference/encoder.py.
// (WordPiece for Hugging Face checkpoints is a separate tokenizer.)
//
//   BasicTokenizer tok(vocabLines, /*lowercase=*/true);
//   TokenizedText t = tok.encode("The cat sat.", /*maxTokens=*/512);   // t.tokens: [CLS] the cat sat . [SEP]
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/models/encoder/tokenized_text.h"

namespace attnviz {

class BasicTokenizer {
 public:
  // vocab: one token per line, id = line index. Must contain [UNK], [CLS], [SEP] (ModelFileError otherwise;
  // where = vocabLabel).
  BasicTokenizer(std::vector<std::string> vocab, bool lowercase, const std::string& vocabLabel);
  // Throws InputError(origin) on invalid UTF-8. maxTokens counts [CLS] and [SEP] (>= 2).
  TokenizedText encode(std::string_view text, std::int64_t maxTokens, const std::string& origin) const;
  // The words, before vocabulary lookup, with their byte ranges in text.
  std::vector<std::string> split(std::string_view text, std::vector<TokenizedText::Span>* spans = nullptr) const;
  std::int64_t vocabSize() const { return static_cast<std::int64_t>(vocab_.size()); }
  const std::string& token(std::int64_t id) const { return vocab_.at(static_cast<std::size_t>(id)); }

 private:
  std::vector<std::string> vocab_;
  std::unordered_map<std::string, std::int64_t> ids_;
  bool lowercase_;
  std::int64_t unk_ = 0, cls_ = 0, sep_ = 0;
};

}  // namespace attnviz
