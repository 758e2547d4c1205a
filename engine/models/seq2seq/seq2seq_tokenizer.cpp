// models/seq2seq/text.py in C++. The text is decoded to code points (after a validity check), normalised
// (rules 1-3), split on U+0020 and each word split by split_word (rules 4-5), then encoded back to UTF-8.
#include "engine/models/seq2seq/seq2seq_tokenizer.h"

#include <algorithm>
#include <array>
#include <initializer_list>

#include "engine/core/error.h"
#include "engine/core/utf8.h"

namespace attnviz::seq2seq {

namespace {

// text.py SPACES: become U+0020.
constexpr std::array<char32_t, 11> kSpaces = {0x00A0, 0x202F, 0x2007, 0x2009, 0x200A, 0x3000,
                                              U'\t', U'\n', U'\r', U'\v', U'\f'};
// text.py DROPPED: zero-width characters.
constexpr std::array<char32_t, 4> kDropped = {0x200B, 0x200C, 0x200D, 0xFEFF};
// text.py PUNCTUATION: '.,!?;:"()[]{}«»¿¡-–—/%$€&*+=<>@#'
constexpr std::array<char32_t, 32> kPunctuation = {
    U'.', U',', U'!', U'?', U';', U':', U'"', U'(', U')', U'[', U']', U'{', U'}', 0x00AB, 0x00BB, 0x00BF,
    0x00A1, U'-', 0x2013, 0x2014, U'/', U'%', U'$', 0x20AC, U'&', U'*', U'+', U'=', U'<', U'>', U'@', U'#'};

template <std::size_t N>
bool contains(const std::array<char32_t, N>& set, char32_t c) {
  return std::find(set.begin(), set.end(), c) != set.end();
}

bool isPunctuation(char32_t c) { return contains(kPunctuation, c); }

// text.py lower_char, branch for branch. Note: U+0178 (Ÿ) is inside the Latin Extended-A range and even, so
// that branch maps it to U+0179 before the Ÿ branch is reached; the port keeps this so token ids match the
// vocabularies the models were trained with.
char32_t lowerChar(char32_t c) {
  if ((c >= 0x41 && c <= 0x5A) || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 0x20;
  if (c >= 0x100 && c <= 0x17F) {
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c % 2 == 1 ? c + 1 : c;
    if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;
    return c % 2 == 0 ? c + 1 : c;
  }
  if (c == 0x178) return 0xFF;
  return c;
}

// Rules 1-3 (text.py normalise).
std::u32string normalise(const std::u32string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (contains(kDropped, c)) continue;
    if (contains(kSpaces, c)) out += U' ';
    else if (c == 0x2019 || c == 0x2018 || c == 0x02BC) out += U'\'';
    else if (c == 0x201C || c == 0x201D || c == 0x201E) out += U'"';
    else if (c == 0x2026) out += U"...";
    else out += lowerChar(c);
  }
  return out;
}

// Rules 4-5 on one space-free word (text.py split_word).
void splitWord(std::u32string_view word, std::vector<std::string>& tokens) {
  std::string current;  // UTF-8
  const auto flush = [&] {
    if (!current.empty()) tokens.push_back(std::move(current));
    current.clear();
  };
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char32_t c = word[i];
    if (isPunctuation(c)) {
      flush();
      appendUtf8(current, c);
      flush();
    } else if (c == U'\'') {
      const bool elision = !current.empty() && i + 1 < word.size() && !isPunctuation(word[i + 1]) && word[i + 1] != U'\'';
      if (elision) {  // the apostrophe stays on the left: "l'", "qu'", "didn'"
        current += '\'';
        flush();
      } else {
        flush();
        tokens.emplace_back("'");
      }
    } else {
      appendUtf8(current, c);
    }
  }
  flush();
}

}  // namespace

std::vector<std::string> tokenize(std::string_view text, const std::string& origin) {
  if (auto bad = firstInvalidUtf8(text))
    throw InputError(origin, "the text is not valid UTF-8 (byte " + std::to_string(*bad) + ")");
  const std::u32string normal = normalise(decodeUtf8(text));
  std::vector<std::string> tokens;
  const std::u32string_view all(normal);
  for (std::size_t start = 0; start <= all.size();) {
    std::size_t end = all.find(U' ', start);
    if (end == std::u32string_view::npos) end = all.size();
    if (end > start) splitWord(all.substr(start, end - start), tokens);
    start = end + 1;
  }
  return tokens;
}

namespace {

bool oneOf(const std::string& token, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), token) != set.end();
}

bool isElision(const std::string& token) { return token.size() > 1 && token.back() == '\''; }

bool allDigits(const std::string& token) {
  return !token.empty() && std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string detokenize(const std::vector<std::string>& tokens, Language language) {
  const bool english = language == Language::English;
  std::string out;
  bool glueNext = true;  // no space before the next token (true at the start)
  int quotes = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    bool glue = glueNext || oneOf(t, {".", ",", ")", "]", "}", "%", "-", "/"}) ||
                (english && oneOf(t, {"?", "!", ":", ";"}));
    glueNext = oneOf(t, {"(", "[", "{", "-", "/"}) || isElision(t) || (english && oneOf(t, {"$", "\u20ac"}));  // $5, €5
    if (t == "\"") {
      if (++quotes % 2 == 1) glueNext = true;  // opening
      else glue = true;                        // closing
    }
    if (oneOf(t, {",", ".", ":"}) && i > 0 && i + 1 < tokens.size() && allDigits(tokens[i - 1]) &&
        allDigits(tokens[i + 1]))
      glueNext = true;  // 1,000  3.5  11:00 (the "," itself already glues left)
    if (i > 0 && !glue) out += ' ';
    out += t;
  }
  return out;
}

std::string translationText(const std::vector<std::string>& targetTokens) {
  const bool endsWithEos = !targetTokens.empty() && targetTokens.back() == "<eos>";
  const std::vector<std::string> words(targetTokens.begin(), targetTokens.end() - (endsWithEos ? 1 : 0));
  return detokenize(words, Language::French);
}

}  // namespace attnviz::seq2seq
