// The WordPiece tokenizer (engine/models/encoder/wordpiece_tokenizer.h) against the Python reference
// models/reference/wordpiece.py: every case of tests/data/wordpiece/cases.tsv (written by
// tests/data/make_wordpiece_fixture.py: ~400 texts x 5 option sets), plus spans, truncation and errors.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/utf8.h"
#include "engine/models/encoder/wordpiece_tokenizer.h"

using attnviz::WordPieceOptions;
using attnviz::WordPieceTokenizer;
using Pieces = std::vector<std::string>;

namespace {

std::vector<std::string> fixtureVocab() {
  std::ifstream in(std::string(ATTNVIZ_TEST_DATA) + "/wordpiece/vocab.txt");
  std::vector<std::string> vocab;
  for (std::string line; std::getline(in, line);) vocab.push_back(line);
  return vocab;
}

// "\\" -> "\", "\u{HEX}" -> that code point (make_wordpiece_fixture.py's escape()).
std::string unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
    } else if (text.compare(i, 3, "\\u{") == 0) {
      const std::size_t close = text.find('}', i);
      attnviz::appendUtf8(out, static_cast<char32_t>(std::stoul(text.substr(i + 3, close - i - 3), nullptr, 16)));
      i = close;
    } else {
      out += text[++i];
    }
  }
  return out;
}

WordPieceOptions optionsNamed(const std::string& name) {
  WordPieceOptions o;
  if (name == "lower") return o;
  if (name == "cased") o.lowercase = false;
  else if (name == "lower-keep-accents") o.stripAccents = false;
  else if (name == "cased-strip-accents") o.lowercase = false, o.stripAccents = true;
  else if (name == "lower-no-cjk") o.tokenizeChineseChars = false;
  else ADD_FAILURE() << "unknown option set " << name;
  return o;
}

Pieces words(const std::string& line) {
  Pieces out;
  std::istringstream in(line);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

WordPieceTokenizer small(WordPieceOptions o = {}) {
  return WordPieceTokenizer({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "ani", "##mal", "cafe",
                             "it", "'", "t", "didn", ".", "\xC3\xA9", "caf"},
                            std::move(o), "vocab.txt");
}

}  // namespace

TEST(WordPiece, MatchesTheReferenceOnTheFixture) {
  const std::vector<std::string> vocab = fixtureVocab();
  ASSERT_GT(vocab.size(), 100u) << "missing tests/data/wordpiece/vocab.txt";
  std::ifstream in(std::string(ATTNVIZ_TEST_DATA) + "/wordpiece/cases.tsv");
  int cases = 0, failures = 0;
  for (std::string line; std::getline(in, line);) {
    const std::size_t a = line.find('\t'), b = line.find('\t', a + 1);
    ASSERT_NE(b, std::string::npos) << line;
    const WordPieceTokenizer tok(vocab, optionsNamed(line.substr(0, a)), "vocab.txt");
    const std::string text = unescape(line.substr(a + 1, b - a - 1));
    const Pieces expected = words(line.substr(b + 1));
    ++cases;
    const Pieces got = tok.tokenize(text, "case");
    if (got != expected && ++failures <= 10) {
      std::string g, e;
      for (const auto& p : got) g += p + " ";
      for (const auto& p : expected) e += p + " ";
      ADD_FAILURE() << line.substr(0, a) << " | " << line.substr(a + 1, b - a - 1) << "\n got:      " << g
                    << "\n expected: " << e;
    }
  }
  EXPECT_EQ(cases, 2000);
  EXPECT_EQ(failures, 0);
}

TEST(WordPiece, EncodesWithClsSepSpansAndWords) {
  const std::string text = "The animal didn't  caf\xC3\xA9.";
  const auto t = small().encode(text, 512, "typed text");
  EXPECT_EQ(t.tokens, (Pieces{"[CLS]", "the", "ani", "##mal", "didn", "'", "t", "cafe", ".", "[SEP]"}));
  EXPECT_EQ(t.ids.front(), 2);
  EXPECT_EQ(t.ids.back(), 3);
  ASSERT_EQ(t.spans.size(), t.tokens.size());
  auto spanText = [&](std::size_t i) { return text.substr(t.spans[i].begin, t.spans[i].end - t.spans[i].begin); };
  EXPECT_EQ(spanText(1), "The");
  EXPECT_EQ(spanText(2), "ani");
  EXPECT_EQ(spanText(3), "mal");
  EXPECT_EQ(spanText(7), "caf\xC3\xA9");  // accent stripped, span still covers it
  EXPECT_EQ(spanText(8), ".");
  EXPECT_EQ(t.words, (std::vector<std::int64_t>{-1, 0, 1, 1, 2, 3, 4, 5, 6, -1}));
  EXPECT_EQ(t.droppedTokens, 0);
}

TEST(WordPiece, ComposedCharactersSpanAllTheirBytes) {
  const std::string text = "cafe\xCC\x81 x";  // e + combining acute -> é after NFC, stripped to e
  const auto t = small().encode(text, 512, "t");
  ASSERT_GE(t.tokens.size(), 3u);
  EXPECT_EQ(t.tokens[1], "cafe");
  EXPECT_EQ(t.spans[1].begin, 0u);
  EXPECT_EQ(t.spans[1].end, 6u);
}

TEST(WordPiece, TruncatesCountingThePiecesLeftOut) {
  const auto t = small().encode("the animal the animal", 4, "t");
  EXPECT_EQ(t.tokens, (Pieces{"[CLS]", "the", "ani", "[SEP]"}));  // of the ani ##mal the ani ##mal
  EXPECT_EQ(t.droppedTokens, 4);
}

TEST(WordPiece, SpecialTokensInTheTextStayWhole) {
  EXPECT_EQ(small().tokenize("the [MASK]animal[SEP]", "t"), (Pieces{"the", "[MASK]", "ani", "##mal", "[SEP]"}));
}

TEST(WordPiece, LongWordsAndUnmatchedRestsAreUnk) {
  WordPieceOptions o;
  o.maxCharsPerWord = 5;
  EXPECT_EQ(small(o).tokenize("animal ani", "t"), (Pieces{"[UNK]", "ani"}));  // 6 code points > 5
  EXPECT_EQ(small().tokenize("animalx", "t"), (Pieces{"[UNK]"}));
}

TEST(WordPiece, EmptyTextGivesClsSep) {
  EXPECT_EQ(small().encode("", 512, "t").tokens, (Pieces{"[CLS]", "[SEP]"}));
  EXPECT_EQ(small().encode(" \t\n\x01 ", 512, "t").tokens, (Pieces{"[CLS]", "[SEP]"}));
}

TEST(WordPiece, InvalidUtf8IsAnInputErrorNamingTheOrigin) {
  try {
    small().encode("ok \xFF", 512, "the input box");
    FAIL() << "no error";
  } catch (const attnviz::InputError& e) {
    EXPECT_EQ(e.where(), "the input box");
    EXPECT_NE(std::string(e.what()).find("UTF-8"), std::string::npos) << e.what();
  }
}

TEST(WordPiece, MissingSpecialTokenIsAModelFileError) {
  try {
    WordPieceTokenizer({"[UNK]", "[CLS]", "a"}, WordPieceOptions{}, "my/vocab.txt");
    FAIL() << "no error";
  } catch (const attnviz::ModelFileError& e) {
    EXPECT_EQ(e.where(), "my/vocab.txt");
    EXPECT_NE(std::string(e.what()).find("[SEP]"), std::string::npos) << e.what();
  }
}
