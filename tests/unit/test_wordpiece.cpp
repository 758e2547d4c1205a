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
#include "tests/unit/fixture_escape.h"
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

using attnviz::test::unescapeFixture;

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
    const std::string text = unescapeFixture(line.substr(a + 1, b - a - 1));
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

// The three places where Python's slow BertTokenizer (WordPieceRules::Python) and the Rust tokenizers library
// (WordPieceRules::RustFast) differ. Expectations: Python's from models/reference/wordpiece.py, Rust's from the Rust
// library itself (npm `tokenizers` 0.23.2, a BertNormalizer + BertPreTokenizer + WordPiece tokenizer over this
// vocabulary), both run on these texts.
namespace {

using attnviz::WordPieceRules;

WordPieceTokenizer rulesTokenizer(WordPieceRules rules, WordPieceOptions o = {}) {
  o.rules = rules;
  return WordPieceTokenizer({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".",
                             "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82",  // οδος (final sigma)
                             "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x83",  // οδοσ
                             "\xCF\x83\xCE\xB1",                  // σα
                             "x", "y", "z", "w",
                             "\xF0\xAB\xA0\xA0",                  // U+2B820
                             "\xF0\xAB\xA4\xA0",                  // U+2B920
                             "caf\xC3\xA9", "cafe", "##\xCC\x81", // café (composed), cafe, ## + U+0301
                             "\xE8\xB1\x88",                      // U+8C48, NFC of U+F900
                             "\xEF\xA4\x80"},                     // U+F900 (CJK compatibility ideograph)
                            std::move(o), "vocab.txt");
}

const std::string kSigmaText = "\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3 \xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3. \xCE\xA3\xCE\x91";  // ΟΔΟΣ ΟΔΟΣ. ΣΑ
const std::string kExtensionEText =  // x U+2B820 y U+2B91F z U+2B920 w
    "x\xF0\xAB\xA0\xA0y\xF0\xAB\xA4\x9Fz\xF0\xAB\xA4\xA0w";
const std::string kNfcText = "cafe\xCC\x81 CAFE\xCC\x81 \xEF\xA4\x80";  // e + U+0301 twice, U+F900

}  // namespace

TEST(WordPieceRules, FinalSigmaIsSigmaOnlyInPython) {
  const std::string odos = "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82", odosRust = "\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x83";
  // str.lower(): Σ at the end of a word (also before punctuation, which is split off later) becomes ς.
  EXPECT_EQ(rulesTokenizer(WordPieceRules::Python).tokenize(kSigmaText, "t"),
            (Pieces{odos, odos, ".", "\xCF\x83\xCE\xB1"}));
  // char::to_lowercase per code point: σ everywhere.
  EXPECT_EQ(rulesTokenizer(WordPieceRules::RustFast).tokenize(kSigmaText, "t"),
            (Pieces{odosRust, odosRust, ".", "\xCF\x83\xCE\xB1"}));
  // Not lowercasing: Σ stays in both.
  WordPieceOptions cased;
  cased.lowercase = false;
  for (WordPieceRules r : {WordPieceRules::Python, WordPieceRules::RustFast})
    EXPECT_EQ(rulesTokenizer(r, cased).tokenize(kSigmaText, "t"), (Pieces{"[UNK]", "[UNK]", ".", "[UNK]"}));
}

TEST(WordPieceRules, ExtensionEStartsAt2B920InRust) {
  // Python spaces U+2B820-U+2CEAF; U+2B91F is spaced too but is not in the vocabulary.
  EXPECT_EQ(rulesTokenizer(WordPieceRules::Python).tokenize(kExtensionEText, "t"),
            (Pieces{"x", "\xF0\xAB\xA0\xA0", "y", "[UNK]", "z", "\xF0\xAB\xA4\xA0", "w"}));
  // Rust spaces from U+2B920 only: x U+2B820 y U+2B91F z is one word, not in the vocabulary.
  EXPECT_EQ(rulesTokenizer(WordPieceRules::RustFast).tokenize(kExtensionEText, "t"),
            (Pieces{"[UNK]", "\xF0\xAB\xA4\xA0", "w"}));
  // Below and above the disputed range both agree: U+2B81F (Extension D's end) and U+2B920.
  for (WordPieceRules r : {WordPieceRules::Python, WordPieceRules::RustFast})
    EXPECT_EQ(rulesTokenizer(r).tokenize("x\xF0\xAB\xA0\x9F" "y z\xF0\xAB\xA4\xA0w", "t"),
              (Pieces{"x", "[UNK]", "y", "z", "\xF0\xAB\xA4\xA0", "w"}));
}

TEST(WordPieceRules, NfcOnlyInPythonWhichMattersWhenAccentsAreKept) {
  const std::string cafe = "caf\xC3\xA9", acute = "##\xCC\x81", f900 = "\xEF\xA4\x80", u8c48 = "\xE8\xB1\x88";
  // Accents stripped (lowercase, strip_accents null): NFD follows either way, so both give the same pieces.
  for (WordPieceRules r : {WordPieceRules::Python, WordPieceRules::RustFast})
    EXPECT_EQ(rulesTokenizer(r).tokenize(kNfcText, "t"), (Pieces{"cafe", "cafe", u8c48}));
  WordPieceOptions keep;
  keep.stripAccents = false;
  // Python composes e + U+0301 to é and maps U+F900 to its canonical U+8C48; Rust keeps both as written.
  EXPECT_EQ(rulesTokenizer(WordPieceRules::Python, keep).tokenize(kNfcText, "t"), (Pieces{cafe, cafe, u8c48}));
  EXPECT_EQ(rulesTokenizer(WordPieceRules::RustFast, keep).tokenize(kNfcText, "t"),
            (Pieces{"cafe", acute, "cafe", acute, f900}));
  WordPieceOptions cased;
  cased.lowercase = false;
  cased.stripAccents = false;
  EXPECT_EQ(rulesTokenizer(WordPieceRules::Python, cased).tokenize(kNfcText, "t"), (Pieces{cafe, "[UNK]", u8c48}));
  EXPECT_EQ(rulesTokenizer(WordPieceRules::RustFast, cased).tokenize(kNfcText, "t"),
            (Pieces{"cafe", acute, "[UNK]", f900}));
}

TEST(WordPieceRules, RustSpansStillCoverTheirBytes) {
  // Without NFC the combining accent is a piece of its own, spanning its two bytes.
  WordPieceOptions keep;
  keep.stripAccents = false;
  const auto t = rulesTokenizer(WordPieceRules::RustFast, keep).encode("cafe\xCC\x81", 512, "t");
  ASSERT_EQ(t.tokens, (Pieces{"[CLS]", "cafe", "##\xCC\x81", "[SEP]"}));
  EXPECT_EQ(t.spans[1].begin, 0u);
  EXPECT_EQ(t.spans[1].end, 4u);
  EXPECT_EQ(t.spans[2].begin, 4u);
  EXPECT_EQ(t.spans[2].end, 6u);
  EXPECT_EQ(t.words, (std::vector<std::int64_t>{-1, 0, 0, -1}));
}

TEST(WordPieceRules, PythonIsTheDefaultAndTheNamesSaySo) {
  EXPECT_EQ(WordPieceOptions{}.rules, WordPieceRules::Python);
  EXPECT_STREQ(attnviz::wordPieceRulesName(WordPieceRules::RustFast), "Rust tokenizers rules");
  EXPECT_STREQ(attnviz::wordPieceRulesName(WordPieceRules::Python), "Python BertTokenizer rules");
}
