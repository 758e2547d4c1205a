#include "engine/models/encoder/wordpiece_tokenizer.h"

#include <algorithm>

#include "engine/core/error.h"
#include "engine/core/unicode.h"
#include "engine/core/utf8.h"

namespace attnviz {

namespace {

using unicode::SourceRanges;

bool isWhitespace(char32_t c) {
  return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || unicode::category(c) == unicode::Category::Zs;
}

// What the cleaning step drops: categories Cc, Cf and Co (Cs cannot come out of valid UTF-8). Unassigned code
// points (Cn) stay and become [UNK] like any unknown character: the Rust tokenizers library (BertNormalizer's
// is_control is unicode_categories' is_other, Cc|Cf|Co) and transformers.js keep them, and so a character newer
// than our Unicode tables (Unicode 15 emoji, Kawi) is not silently deleted. (Python's slow BertTokenizer drops
// C*, Cn included, so what it does with a new character depends on the Python's Unicode version.)
bool isControl(char32_t c) {
  if (c == U'\t' || c == U'\n' || c == U'\r') return false;
  const unicode::Category k = unicode::category(c);
  return k == unicode::Category::Cc || k == unicode::Category::Cf || k == unicode::Category::Co ||
         k == unicode::Category::Cs;
}

bool isPunctuation(char32_t c) {
  if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
  return unicode::isPunctuationCategory(c);
}

// The CJK ideograph ranges spaced when tokenize_chinese_chars / handle_chinese_chars: BERT's and BasicTokenizer's
// _is_chinese_char list U+2B820-U+2CEAF (Extension E); the Rust library's is_chinese_char
// (tokenizers/src/normalizers/bert.rs) starts that range at U+2B920, so U+2B820-U+2B91F stay inside words there.
constexpr char32_t kExtensionEFirst = 0x2B820;
constexpr char32_t kRustExtensionEFirst = 0x2B920;

bool isCjk(char32_t c, WordPieceRules rules) {
  const char32_t extensionE = rules == WordPieceRules::RustFast ? kRustExtensionEFirst : kExtensionEFirst;
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
         (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= extensionE && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

std::string utf8(const std::u32string& text) {
  std::string out;
  for (char32_t c : text) appendUtf8(out, c);
  return out;
}

std::u32string stripAccents(const std::u32string& text, SourceRanges& sources) {
  const std::u32string d = unicode::nfd(text, sources);
  std::u32string out;
  SourceRanges kept;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (unicode::category(d[i]) == unicode::Category::Mn) continue;
    out += d[i];
    kept.push_back(sources[i]);
  }
  sources = std::move(kept);
  return out;
}

}  // namespace

const char* wordPieceRulesName(WordPieceRules rules) {
  return rules == WordPieceRules::RustFast ? "Rust tokenizers rules" : "Python BertTokenizer rules";
}

// Code points with, for each, the bytes of the input it came from (SourceRange holding byte offsets).
struct WordPieceTokenizer::Word {
  std::u32string text;
  SourceRanges sources;
  TokenizedText::Span span(std::size_t first, std::size_t last) const {  // of the code points [first, last)
    TokenizedText::Span out{sources[first].begin, sources[first].end};
    for (std::size_t i = first; i < last; ++i) {
      out.begin = std::min(out.begin, sources[i].begin);
      out.end = std::max(out.end, sources[i].end);
    }
    return out;
  }
};

WordPieceTokenizer::WordPieceTokenizer(std::vector<std::string> vocab, WordPieceOptions options, const std::string& vocabLabel)
    : vocab_(std::move(vocab)), options_(std::move(options)) {
  if (options_.maxCharsPerWord < 1)
    throw ModelFileError(vocabLabel, "max_input_chars_per_word must be at least 1");
  for (std::size_t i = 0; i < vocab_.size(); ++i) ids_.emplace(vocab_[i], static_cast<std::int64_t>(i));
  auto special = [&](const std::string& token, const char* role) {
    auto it = ids_.find(token);
    if (it == ids_.end())
      throw ModelFileError(vocabLabel, "the vocabulary has no " + token + " token (the " + role +
                                           " token the tokenizer configuration names)");
    return it->second;
  };
  unk_ = special(options_.unk, "unknown-word");
  cls_ = special(options_.cls, "classification");
  sep_ = special(options_.sep, "separator");
  for (const std::string& t : {options_.unk, options_.cls, options_.sep, std::string("[PAD]"), std::string("[MASK]")})
    if (ids_.count(t) && std::find(specials_.begin(), specials_.end(), t) == specials_.end()) specials_.push_back(t);
  std::stable_sort(specials_.begin(), specials_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

std::vector<WordPieceTokenizer::Word> WordPieceTokenizer::basicWords(std::string_view text, std::size_t offset) const {
  const std::u32string decoded = decodeUtf8(text);
  SourceRanges bytes(decoded.size());  // the bytes of each code point in the whole input
  for (std::size_t i = 0, b = offset; i < decoded.size(); ++i) {
    const char32_t c = decoded[i];
    const std::size_t length = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    bytes[i] = {b, b + length};
    b += length;
  }

  // Cleaning and CJK spacing, then whitespace split (str.split()).
  std::vector<Word> tokens;
  Word current;
  auto flush = [&] {
    if (!current.text.empty()) tokens.push_back(std::move(current));
    current = Word{};
  };
  for (std::size_t i = 0; i < decoded.size(); ++i) {
    const char32_t c = decoded[i];
    if (c == 0 || c == 0xFFFD || isControl(c)) continue;
    if (isWhitespace(c) || unicode::isPythonSpace(c)) {
      flush();
      continue;
    }
    if (options_.tokenizeChineseChars && isCjk(c, options_.rules)) {
      flush();
      current.text = std::u32string(1, c);
      current.sources = {bytes[i]};
      flush();
      continue;
    }
    current.text += c;
    current.sources.push_back(bytes[i]);
  }
  flush();

  // Lowercasing and accents per token (whitespace neither composes nor decomposes, so normalising each token alone
  // equals normalising the text), then punctuation split.
  // Python (BasicTokenizer.tokenize): NFC, then str.lower() (Final_Sigma: a word-final Σ -> ς), then strip accents.
  // RustFast (BertNormalizer::normalize): no NFC; strip accents (NFD, drop Mn) first, then lowercase each code point
  // alone (char::to_lowercase: Σ -> σ always).
  const bool strip = options_.stripAccents.value_or(options_.lowercase);
  const bool python = options_.rules == WordPieceRules::Python;
  std::vector<Word> words;
  for (Word& t : tokens) {
    std::u32string s = t.text;
    if (python) {
      s = unicode::nfc(s, t.sources);
      if (options_.lowercase) s = unicode::toLower(s, t.sources);
      if (strip) s = stripAccents(s, t.sources);
    } else {
      if (strip) s = stripAccents(s, t.sources);
      if (options_.lowercase) s = unicode::toLowerEachCodePoint(s, t.sources);
    }
    Word piece;
    auto cut = [&] {
      if (!piece.text.empty()) words.push_back(std::move(piece));
      piece = Word{};
    };
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (isPunctuation(s[i])) {
        cut();
        piece.text = std::u32string(1, s[i]);
        piece.sources = {t.sources[i]};
        cut();
      } else {
        piece.text += s[i];
        piece.sources.push_back(t.sources[i]);
      }
    }
    cut();
  }
  return words;
}

void WordPieceTokenizer::appendPieces(const Word& word, std::int64_t wordIndex, std::vector<Piece>& out) const {
  const std::size_t n = word.text.size();
  if (n > static_cast<std::size_t>(options_.maxCharsPerWord)) {
    out.push_back({options_.unk, unk_, word.span(0, n), wordIndex});
    return;
  }
  // Greedy longest match from the left; any rest without a match makes the whole word unk.
  std::vector<Piece> found;
  for (std::size_t start = 0; start < n;) {
    std::size_t end = n;
    const std::string prefix = start == 0 ? "" : "##";
    for (; end > start; --end) {
      std::string candidate = prefix + utf8(word.text.substr(start, end - start));
      if (auto it = ids_.find(candidate); it != ids_.end()) {
        found.push_back({std::move(candidate), it->second, word.span(start, end), wordIndex});
        break;
      }
    }
    if (end == start) {
      out.push_back({options_.unk, unk_, word.span(0, n), wordIndex});
      return;
    }
    start = end;
  }
  for (Piece& p : found) out.push_back(std::move(p));
}

std::vector<WordPieceTokenizer::Piece> WordPieceTokenizer::pieces(std::string_view text, const std::string& origin) const {
  if (auto bad = firstInvalidUtf8(text))
    throw InputError(origin, "the text is not valid UTF-8 (byte " + std::to_string(*bad) + ")");
  std::vector<Piece> out;
  std::int64_t wordIndex = 0;
  auto tokenizeChunk = [&](std::size_t begin, std::size_t end) {
    for (const Word& w : basicWords(text.substr(begin, end - begin), begin)) appendPieces(w, wordIndex++, out);
  };
  // Special tokens written in the text stay whole (leftmost, longest first); the text between is tokenized.
  std::size_t chunkBegin = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::string* match = nullptr;
    for (const std::string& s : specials_)
      if (text.substr(i, s.size()) == s) {
        match = &s;
        break;
      }
    if (!match) {
      ++i;
      continue;
    }
    tokenizeChunk(chunkBegin, i);
    out.push_back({*match, ids_.at(*match), {i, i + match->size()}, wordIndex++});
    i += match->size();
    chunkBegin = i;
  }
  tokenizeChunk(chunkBegin, text.size());
  return out;
}

std::vector<std::string> WordPieceTokenizer::tokenize(std::string_view text, const std::string& origin) const {
  std::vector<std::string> out;
  for (Piece& p : pieces(text, origin)) out.push_back(std::move(p.text));
  return out;
}

TokenizedText WordPieceTokenizer::encode(std::string_view text, std::int64_t maxTokens, const std::string& origin) const {
  if (maxTokens < 2) throw InternalError("tokenizer", "maxTokens must leave room for [CLS] and [SEP]");
  std::vector<Piece> all = pieces(text, origin);
  TokenizedText out;
  const auto room = static_cast<std::size_t>(maxTokens - 2);
  if (all.size() > room) {
    out.droppedTokens = static_cast<std::int64_t>(all.size() - room);
    all.resize(room);
  }
  auto add = [&](std::string token, std::int64_t id, TokenizedText::Span span, std::int64_t word) {
    out.tokens.push_back(std::move(token));
    out.ids.push_back(id);
    out.spans.push_back(span);
    out.words.push_back(word);
  };
  add(options_.cls, cls_, {}, -1);
  for (Piece& p : all) add(std::move(p.text), p.id, p.span, p.word);
  add(options_.sep, sep_, {}, -1);
  return out;
}

}  // namespace attnviz
