// WordPiece tokenization as Hugging Face tokenizes BERT text, in one of two rule sets (WordPieceRules):
// - Python: transformers' slow BertTokenizer (BasicTokenizer + WordpieceTokenizer) exactly; the steps are listed in
//   the reference it is tested against, models/reference/wordpiece.py, except that unassigned code points are kept
//   (as the Rust tokenizers library does).
// - RustFast: the Rust tokenizers library's BertNormalizer + BertPreTokenizer + WordPiece model, what
//   BertTokenizerFast (AutoTokenizer's default) runs from a tokenizer.json.
// Real tokenizer.json files are checked against Rust and transformers.js (tests/data/wordpiece-conformance). Unicode
// data (categories, NFC/NFD, lowercasing) come from engine/core/unicode.h, generated from Python's.
//
//   WordPieceTokenizer tok(vocabLines, WordPieceOptions{}, "vocab.txt");
//   TokenizedText t = tok.encode("The animal didn't cross.", 512, "typed text");
//   // t.tokens: [CLS] the animal didn ' t cross . [SEP]; t.spans: byte ranges in the text; t.words: word index
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/models/encoder/tokenized_text.h"

namespace attnviz {

// The two rule sets differ in three places; everything else (cleaning, whitespace and punctuation split, greedy
// longest match) is the same in both. Both use attnviz's Unicode 14 tables, so a character whose properties
// changed between the Unicode versions Python and the Rust build use can still differ.
//                   Python (BasicTokenizer)                      RustFast (tokenizers' bert.rs normalizer)
//   final sigma     str.lower(): a word-final Σ becomes ς          char::to_lowercase per code point: Σ is always σ
//   CJK spacing     U+2B820-U+2CEAF is one of the ranges           that range starts at U+2B920 (U+2B820-U+2B91F
//                                                                  are not spaced)
//   NFC             the text is NFC-composed before lowercasing    never composed; accents are stripped (NFD, drop
//                   and accent stripping                           Mn) before lowercasing, not after
enum class WordPieceRules {
  Python,    // transformers' slow BertTokenizer, the class that reads a vocab.txt
  RustFast,  // the Rust tokenizers library (BertTokenizerFast): what AutoTokenizer runs from a tokenizer.json
};

const char* wordPieceRulesName(WordPieceRules rules);  // "Python BertTokenizer rules", "Rust tokenizers rules"

struct WordPieceOptions {
  WordPieceRules rules = WordPieceRules::Python;
  bool lowercase = true;              // do_lower_case
  std::optional<bool> stripAccents;   // strip_accents; nullopt: strip when lowercasing
  bool tokenizeChineseChars = true;   // tokenize_chinese_chars
  std::string unk = "[UNK]", cls = "[CLS]", sep = "[SEP]";
  int maxCharsPerWord = 100;          // max_input_chars_per_word; longer words become unk
};

class WordPieceTokenizer {
 public:
  // vocab: id = index. unk, cls and sep must be in it (ModelFileError naming vocabLabel otherwise).
  WordPieceTokenizer(std::vector<std::string> vocab, WordPieceOptions options, const std::string& vocabLabel);

  // [CLS] pieces [SEP], at most maxTokens (>= 2) in all; droppedTokens counts the pieces cut at the end.
  // InputError(origin) on invalid UTF-8.
  TokenizedText encode(std::string_view text, std::int64_t maxTokens, const std::string& origin) const;
  // The pieces only (no [CLS]/[SEP], no limit), as the Python reference's tokenize().
  std::vector<std::string> tokenize(std::string_view text, const std::string& origin) const;

  std::int64_t vocabSize() const { return static_cast<std::int64_t>(vocab_.size()); }
  const std::string& token(std::int64_t id) const { return vocab_.at(static_cast<std::size_t>(id)); }

 private:
  struct Piece {
    std::string text;
    std::int64_t id = 0;
    TokenizedText::Span span;
    std::int64_t word = 0;
  };
  struct Word;  // a word after the basic steps, with where its code points came from
  std::vector<Piece> pieces(std::string_view text, const std::string& origin) const;
  // Steps 2-6 of the reference on a text without special tokens; offset: its first byte in the input.
  std::vector<Word> basicWords(std::string_view text, std::size_t offset) const;
  void appendPieces(const Word& word, std::int64_t wordIndex, std::vector<Piece>& out) const;

  std::vector<std::string> vocab_;
  std::unordered_map<std::string, std::int64_t> ids_;
  WordPieceOptions options_;
  std::int64_t unk_ = 0, cls_ = 0, sep_ = 0;
  std::vector<std::string> specials_;  // special tokens kept whole when written in the text, longest first
};

}  // namespace attnviz
