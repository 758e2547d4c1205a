#include "engine/models/encoder/basic_tokenizer.h"

#include "engine/core/error.h"
#include "engine/core/utf8.h"

namespace attnviz {

namespace {
bool isAsciiPunctuation(unsigned char c) {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}
// Python's str.split() whitespace within ASCII (the text is otherwise kept byte for byte).
bool isAsciiSpace(unsigned char c) { return c == ' ' || (c >= 9 && c <= 13) || (c >= 28 && c <= 31); }
}  // namespace

BasicTokenizer::BasicTokenizer(std::vector<std::string> vocab, bool lowercase, const std::string& vocabLabel)
    : vocab_(std::move(vocab)), lowercase_(lowercase) {
  for (std::size_t i = 0; i < vocab_.size(); ++i) ids_.emplace(vocab_[i], static_cast<std::int64_t>(i));
  auto special = [&](const char* token) {
    auto it = ids_.find(token);
    if (it == ids_.end())
      throw ModelFileError(vocabLabel, std::string("the vocabulary has no ") + token +
                                           " token; add it (one token per line) and re-export the package");
    return it->second;
  };
  unk_ = special("[UNK]");
  cls_ = special("[CLS]");
  sep_ = special("[SEP]");
}

std::vector<std::string> BasicTokenizer::split(std::string_view text) const {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (unsigned char c : text) {
    if (isAsciiSpace(c)) {
      flush();
    } else if (isAsciiPunctuation(c)) {
      flush();
      words.emplace_back(1, static_cast<char>(c));
    } else {
      word += static_cast<char>(lowercase_ && c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
  }
  flush();
  return words;
}

TokenizedText BasicTokenizer::encode(std::string_view text, std::int64_t maxTokens, const std::string& origin) const {
  if (auto bad = firstInvalidUtf8(text))
    throw InputError(origin, "the text is not valid UTF-8 (byte " + std::to_string(*bad) + ")");
  if (maxTokens < 2) throw InternalError("tokenizer", "maxTokens must leave room for [CLS] and [SEP]");
  std::vector<std::string> words = split(text);
  TokenizedText out;
  const auto room = static_cast<std::size_t>(maxTokens - 2);
  if (words.size() > room) {
    out.droppedWords = static_cast<std::int64_t>(words.size() - room);
    words.resize(room);
  }
  out.tokens.reserve(words.size() + 2);
  out.ids.reserve(words.size() + 2);
  out.tokens.push_back("[CLS]");
  out.ids.push_back(cls_);
  for (auto& w : words) {
    auto it = ids_.find(w);
    out.ids.push_back(it == ids_.end() ? unk_ : it->second);
    out.tokens.push_back(it == ids_.end() ? "[UNK]" : std::move(w));
  }
  out.tokens.push_back("[SEP]");
  out.ids.push_back(sep_);
  return out;
}

}  // namespace attnviz
