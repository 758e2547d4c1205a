#include "engine/models/encoder/mention_candidates.h"

#include <algorithm>
#include <cstdint>

#include "engine/core/unicode.h"
#include "engine/core/utf8.h"

namespace attnviz {

namespace {

struct Word {
  std::string text;       // the word as the tokenizer made it: its pieces joined, "##" dropped
  bool unknown = false;   // the tokenizer made it [UNK]
  char32_t firstWritten = 0;  // its first character as written in the input
  std::size_t firstToken = 0, endToken = 0;
};

bool contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// Python's str.isalpha(): every code point a letter (L*), and at least one.
bool isAlphabetic(const std::string& text) {
  const std::u32string cps = decodeUtf8(text);
  if (cps.empty()) return false;
  return std::all_of(cps.begin(), cps.end(), [](char32_t c) { return unicode::category(c) <= unicode::Category::Lo; });
}

// The words of the input in order, from the tokens' word indexes ([CLS]/[SEP] have none).
std::vector<Word> wordsOf(const TokenizedText& tokens, std::string_view text, const std::string& unk) {
  std::vector<Word> words;
  std::int64_t current = -1;
  for (std::size_t i = 0; i < tokens.tokens.size(); ++i) {
    const std::int64_t w = tokens.words[i];
    if (w < 0) continue;
    const std::string& piece = tokens.tokens[i];
    if (w != current) {
      current = w;
      Word word;
      word.firstToken = i;
      const std::u32string written = decodeUtf8(text.substr(tokens.spans[i].begin, tokens.spans[i].end - tokens.spans[i].begin));
      word.firstWritten = written.empty() ? 0 : written.front();
      words.push_back(std::move(word));
    }
    Word& word = words.back();
    word.endToken = i + 1;
    word.unknown = word.unknown || piece == unk;
    word.text += piece.rfind("##", 0) == 0 ? piece.substr(2) : piece;
  }
  return words;
}

}  // namespace

std::vector<bool> mentionTokens(const TokenizedText& tokens, std::string_view text,
                                const std::vector<std::string>& pronouns, const std::vector<std::string>& determiners,
                                const std::string& unk) {
  std::vector<bool> out(tokens.tokens.size(), false);
  const std::vector<Word> words = wordsOf(tokens, text, unk);
  for (std::size_t k = 0; k < words.size(); ++k) {
    const Word& w = words[k];
    if (w.unknown || !isAlphabetic(w.text) || contains(pronouns, w.text) || contains(determiners, w.text)) continue;
    const std::string* previous = k > 0 ? &words[k - 1].text : nullptr;
    const bool capital = w.firstWritten != 0 && unicode::category(w.firstWritten) == unicode::Category::Lu;
    const bool startsSentence = !previous || *previous == "." || *previous == "!" || *previous == "?";
    if ((previous && contains(determiners, *previous)) || (capital && !startsSentence))
      std::fill(out.begin() + static_cast<std::ptrdiff_t>(w.firstToken), out.begin() + static_cast<std::ptrdiff_t>(w.endToken), true);
  }
  return out;
}

}  // namespace attnviz
