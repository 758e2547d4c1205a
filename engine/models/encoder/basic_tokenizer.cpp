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

std::vector<std::string> BasicTokenizer::split(std::string_view text, std::vector<TokenizedText::Span>* spans) const {
  std::vector<std::string> words;
  std::string word;
  std::size_t wordBegin = 0;
  auto flush = [&](std::size_t end) {
    if (!word.empty()) {
      words.push_back(std::move(word));
      if (spans) spans->push_back({wordBegin, end});
    }
    word.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (isAsciiSpace(c)) {
      flush(i);
    } else if (isAsciiPunctuation(c)) {
      flush(i);
      words.emplace_back(1, static_cast<char>(c));
      if (spans) spans->push_back({i, i + 1});
    } else {
      if (word.empty()) wordBegin = i;
      word += static_cast<char>(lowercase_ && c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
  }
  flush(text.size());
  return words;
}

TokenizedText BasicTokenizer::encode(std::string_view text, std::int64_t maxTokens, const std::string& origin) const {
  if (auto bad = firstInvalidUtf8(text))
    throw InputError(origin, "the text is not valid UTF-8 (byte " + std::to_string(*bad) + ")");
  if (maxTokens < 2) throw InternalError("tokenizer", "maxTokens must leave room for [CLS] and [SEP]");
  std::vector<TokenizedText::Span> spans;
  std::vector<std::string> words = split(text, &spans);
  TokenizedText out;
  const auto room = static_cast<std::size_t>(maxTokens - 2);
  if (words.size() > room) {
    out.droppedTokens = static_cast<std::int64_t>(words.size() - room);
    words.resize(room);
  }
  out.tokens.push_back("[CLS]");
  out.ids.push_back(cls_);
  out.spans.push_back({});
  out.words.push_back(-1);
  for (std::size_t i = 0; i < words.size(); ++i) {
    auto it = ids_.find(words[i]);
    out.ids.push_back(it == ids_.end() ? unk_ : it->second);
    out.tokens.push_back(it == ids_.end() ? "[UNK]" : std::move(words[i]));
    out.spans.push_back(spans[i]);
    out.words.push_back(static_cast<std::int64_t>(i));
  }
  out.tokens.push_back("[SEP]");
  out.ids.push_back(sep_);
  out.spans.push_back({});
  out.words.push_back(-1);
  return out;
}

}  // namespace attnviz
