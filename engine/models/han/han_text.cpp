// models/han/text.py in C++, function for function (normalise, split_chunk, clitic_at, cased_tokens,
// boundaries, split_tokens, paragraphs, split_sentences). Text is decoded to code points after a validity
// check; tokens are encoded back to UTF-8 at the end.
#include "engine/models/han/han_text.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "engine/core/error.h"
#include "engine/core/utf8.h"

namespace attnviz::han {

namespace {

using Token = std::u32string;
using Tokens = std::vector<Token>;

constexpr std::array<char32_t, 10> kSpaces = {0x00A0, 0x202F, 0x2007, 0x2009, 0x200A,
                                              0x3000, U'\t', U'\v', U'\f', U'\r'};
constexpr std::array<char32_t, 4> kDropped = {0x200B, 0x200C, 0x200D, 0xFEFF};
constexpr std::u32string_view kPunctuation = U".,;:!?()[]{}\"*=&<>|~^\\";
constexpr std::array<std::u32string_view, 11> kClitics = {U"'s", U"'em", U"'n",  U"'til", U"'cause", U"'re",
                                                          U"'ve", U"'ll", U"'d", U"'m",   U"'t"};
constexpr std::array<std::u32string_view, 41> kAbbreviations = {
    U"mr",  U"mrs", U"ms",  U"dr",  U"prof", U"st",     U"jr",  U"sr",  U"vs",  U"etc",  U"inc",  U"ltd",  U"co",  U"corp",
    U"mt",  U"ft",  U"vol", U"pp",  U"gen",  U"col",    U"lt",  U"sgt", U"capt", U"rev", U"hon",  U"messrs", U"jan", U"feb",
    U"mar", U"apr", U"jun", U"jul", U"aug",  U"sep",    U"sept", U"oct", U"nov", U"dec", U"approx", U"dept", U"fig"};

template <std::size_t N>
bool contains(const std::array<char32_t, N>& set, char32_t c) {
  return std::find(set.begin(), set.end(), c) != set.end();
}
bool isPunctuation(char32_t c) { return kPunctuation.find(c) != std::u32string_view::npos; }
bool isFinal(const Token& t) { return t == U"." || t == U"!" || t == U"?"; }
bool isClosing(const Token& t) { return t == U"\"" || t == U"'" || t == U")" || t == U"]" || t == U"}"; }

// text.py lower_char.
char32_t lowerChar(char32_t c) {
  if (c == 0x178) return 0xFF;
  if ((c >= 0x41 && c <= 0x5A) || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 0x20;
  if (c >= 0x100 && c <= 0x17F) {
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c % 2 == 1 ? c + 1 : c;
    if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;
    return c % 2 == 0 ? c + 1 : c;
  }
  return c;
}

Token lower(const Token& t) {
  Token out(t);
  for (char32_t& c : out) c = lowerChar(c);
  return out;
}

bool isDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

// text.py is_word_char: ASCII letters and digits, and everything from U+00C0 on except x, / and two
// punctuation blocks.
bool isWordChar(char32_t c) {
  if (c < 0x80) return isDigit(c) || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
  return c >= 0xC0 && c != 0xD7 && c != 0xF7 && !(c >= 0x2000 && c <= 0x206F) && !(c >= 0x3000 && c <= 0x303F);
}

bool startsLowercase(const Token& t) {
  const char32_t c = t[0];
  return c < 0x180 && isWordChar(c) && !isDigit(c) && lowerChar(c) == c;
}
bool startsUppercase(const Token& t) { return lowerChar(t[0]) != t[0]; }

bool isAbbreviation(const Token& lowered) {
  return std::find(kAbbreviations.begin(), kAbbreviations.end(), std::u32string_view(lowered)) != kAbbreviations.end();
}

// text.py normalise: keeps case and newlines.
std::u32string normalise(const std::u32string& text) {
  std::u32string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t c = text[i];
    // `` and '' become " (text.replace, before anything else).
    if ((c == U'`' || c == U'\'') && i + 1 < text.size() && text[i + 1] == c) {
      out += U'"';
      ++i;
      continue;
    }
    if (contains(kDropped, c)) continue;
    if (contains(kSpaces, c)) out += U' ';
    else if (c == 0x2019 || c == 0x2018 || c == 0x02BC || c == U'`') out += U'\'';
    else if (c == 0x201C || c == 0x201D || c == 0x201E) out += U'"';
    else if (c == 0x2026) out += U"...";
    else if (c == 0x2013 || c == 0x2014) out += U"--";
    else out += c;
  }
  return out;
}

bool cliticAt(std::u32string_view chunk, std::size_t i) {
  for (std::u32string_view clitic : kClitics) {
    const std::size_t end = i + clitic.size();
    if (end > chunk.size()) continue;
    if (lower(Token(chunk.substr(i, clitic.size()))) == clitic && (end == chunk.size() || !isWordChar(chunk[end])))
      return true;
  }
  return false;
}

// text.py split_chunk.
void splitChunk(std::u32string_view chunk, Tokens& tokens) {
  Token current;
  const auto flush = [&] {
    if (!current.empty()) tokens.push_back(std::move(current));
    current.clear();
  };
  const std::size_t n = chunk.size();
  std::size_t i = 0;
  while (i < n) {
    const char32_t c = chunk[i];
    if (isPunctuation(c)) {
      flush();
      tokens.emplace_back(1, c);
    } else if (c == U'-') {
      std::size_t j = i;
      while (j < n && chunk[j] == U'-') ++j;
      const bool inside = j - i == 1 && !current.empty() && j < n && !isPunctuation(chunk[j]) && chunk[j] != U'\'';
      if (inside) {
        current += U'-';
      } else {
        flush();
        tokens.emplace_back(j - i == 1 ? U"-" : U"--");
      }
      i = j;
      continue;
    } else if (c == U'\'') {
      const bool before = !current.empty() && isWordChar(current.back());
      const bool after = i + 1 < n && isWordChar(chunk[i + 1]);
      if (before && after) {
        current += c;
      } else if (current.empty() && i + 1 < n && (isDigit(chunk[i + 1]) || cliticAt(chunk, i))) {
        current = Token(1, c);
      } else {
        flush();
        tokens.emplace_back(U"'");
      }
    } else {
      current += c;
    }
    ++i;
  }
  flush();
}

// text.py cased_tokens: newlines count as spaces.
Tokens casedTokens(std::u32string_view text) {
  Tokens tokens;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == U' ' || text[i] == U'\n') {
      if (i > start) splitChunk(text.substr(start, i - start), tokens);
      start = i + 1;
    }
  }
  return tokens;
}

// text.py boundaries: indexes after which a sentence ends.
std::vector<std::size_t> boundaries(const Tokens& tokens) {
  std::vector<std::size_t> ends;
  const std::size_t n = tokens.size();
  std::size_t i = 0;
  while (i < n) {
    if (!isFinal(tokens[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j + 1 < n && isFinal(tokens[j + 1])) ++j;
    const std::size_t runEnd = j;  // the run is tokens[i..runEnd]
    while (j + 1 < n && isClosing(tokens[j + 1])) ++j;
    if (j + 1 >= n) break;
    const Token& following = tokens[j + 1];
    const Token previous = i > 0 ? tokens[i - 1] : Token();
    bool allDots = true;
    for (std::size_t k = i; k <= runEnd; ++k) allDots = allDots && tokens[k] == U".";
    bool endsHere = false;
    if (allDots && runEnd == i) {
      const bool initial = previous.size() == 1 && isWordChar(previous[0]) && !isDigit(previous[0]);
      endsHere = !startsLowercase(following) && !isAbbreviation(lower(previous)) && !initial;
    } else if (allDots) {  // an ellipsis
      endsHere = startsUppercase(following);
    } else {
      endsHere = !startsLowercase(following);
    }
    if (endsHere) ends.push_back(j);
    i = j + 1;
  }
  return ends;
}

std::vector<Tokens> splitTokens(const Tokens& tokens) {
  std::vector<Tokens> sentences;
  std::size_t start = 0;
  for (std::size_t end : boundaries(tokens)) {
    sentences.emplace_back(tokens.begin() + static_cast<std::ptrdiff_t>(start),
                           tokens.begin() + static_cast<std::ptrdiff_t>(end) + 1);
    start = end + 1;
  }
  if (start < tokens.size()) sentences.emplace_back(tokens.begin() + static_cast<std::ptrdiff_t>(start), tokens.end());
  return sentences;
}

bool blank(std::u32string_view line) { return line.find_first_not_of(U' ') == std::u32string_view::npos; }

std::vector<std::u32string_view> linesOf(std::u32string_view text) {
  std::vector<std::u32string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == U'\n') {
      lines.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return lines;
}

std::string utf8(const Token& t) {
  std::string out;
  for (char32_t c : t) appendUtf8(out, c);
  return out;
}

std::vector<std::string> loweredUtf8(const Tokens& tokens) {
  std::vector<std::string> out;
  out.reserve(tokens.size());
  for (const Token& t : tokens) out.push_back(utf8(lower(t)));
  return out;
}

std::u32string decodeChecked(std::string_view text, const std::string& origin) {
  if (auto bad = firstInvalidUtf8(text))
    throw InputError(origin, "the text is not valid UTF-8 (byte " + std::to_string(*bad) + ")");
  return decodeUtf8(text);
}

}  // namespace

std::vector<std::string> tokenize(std::string_view text, const std::string& origin) {
  return loweredUtf8(casedTokens(normalise(decodeChecked(text, origin))));
}

std::vector<std::vector<std::string>> splitSentences(std::string_view text, SentenceMode mode, const std::string& origin) {
  const std::u32string normal = normalise(decodeChecked(text, origin));
  const std::vector<std::u32string_view> lines = linesOf(normal);
  std::vector<Tokens> cased;
  cased.reserve(lines.size());
  for (std::u32string_view line : lines) cased.push_back(casedTokens(line));
  if (mode == SentenceMode::Auto) {
    std::size_t nonEmpty = 0;
    bool oneEach = true;
    for (const Tokens& t : cased) {
      if (t.empty()) continue;
      ++nonEmpty;
      oneEach = oneEach && boundaries(t).empty();
    }
    mode = nonEmpty >= 2 && oneEach ? SentenceMode::Lines : SentenceMode::Split;
  }
  std::vector<Tokens> sentences;
  if (mode == SentenceMode::Lines) {
    for (Tokens& t : cased)
      if (!t.empty()) sentences.push_back(std::move(t));
  } else {
    std::u32string paragraph;  // text.py paragraphs(): non-blank lines joined by a space
    bool open = false;
    const auto flush = [&] {
      if (!open) return;
      for (Tokens& s : splitTokens(casedTokens(paragraph))) sentences.push_back(std::move(s));
      paragraph.clear();
      open = false;
    };
    for (std::u32string_view line : lines) {
      if (blank(line)) {
        flush();
        continue;
      }
      if (open) paragraph += U' ';
      paragraph += line;
      open = true;
    }
    flush();
  }
  std::vector<std::vector<std::string>> out;
  out.reserve(sentences.size());
  for (const Tokens& s : sentences)
    if (!s.empty()) out.push_back(loweredUtf8(s));
  return out;
}

}  // namespace attnviz::han
