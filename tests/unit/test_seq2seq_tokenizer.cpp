// The seq2seq tokenizer (engine/models/seq2seq/seq2seq_tokenizer.h) on hand-written cases; every expected
// token list is what models/seq2seq/text.py gives (test_seq2seq_tokenizer_split.cpp checks the whole Tatoeba
// test split against the Python).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/models/seq2seq/seq2seq_tokenizer.h"

using attnviz::seq2seq::detokenize;
using attnviz::seq2seq::Language;
using attnviz::seq2seq::translationText;
using attnviz::seq2seq::tokenize;
using Tokens = std::vector<std::string>;

namespace {
Tokens tok(const std::string& text) { return tokenize(text, "test"); }
}  // namespace

TEST(Seq2seqTokenizer, ElisionsKeepTheApostropheOnTheLeft) {
  EXPECT_EQ(tok("L'homme est là."), (Tokens{"l'", "homme", "est", "là", "."}));
  EXPECT_EQ(tok("Qu'il vienne !"), (Tokens{"qu'", "il", "vienne", "!"}));
  EXPECT_EQ(tok("I didn't know."), (Tokens{"i", "didn'", "t", "know", "."}));
  EXPECT_EQ(tok("aujourd'hui"), (Tokens{"aujourd'", "hui"}));
  EXPECT_EQ(tok("rock'n'roll"), (Tokens{"rock'", "n'", "roll"}));
}

TEST(Seq2seqTokenizer, ApostrophesAtWordEdgesAreTokens) {
  EXPECT_EQ(tok("'Tis the season'"), (Tokens{"'", "tis", "the", "season", "'"}));
  EXPECT_EQ(tok("l'"), (Tokens{"l", "'"}));
  EXPECT_EQ(tok("'"), (Tokens{"'"}));
  EXPECT_EQ(tok("l''homme"), (Tokens{"l", "'", "'", "homme"}));
  EXPECT_EQ(tok("l'-homme"), (Tokens{"l", "'", "-", "homme"}));
  EXPECT_EQ(tok("l'homme'"), (Tokens{"l'", "homme", "'"}));
  EXPECT_EQ(tok("don't!"), (Tokens{"don'", "t", "!"}));
}

TEST(Seq2seqTokenizer, HyphensDashesAndPunctuationAreTokens) {
  EXPECT_EQ(tok("peut-être"), (Tokens{"peut", "-", "être"}));
  EXPECT_EQ(tok("Est-ce loin ?"), (Tokens{"est", "-", "ce", "loin", "?"}));
  EXPECT_EQ(tok("a–b—c"), (Tokens{"a", "–", "b", "—", "c"}));
  EXPECT_EQ(tok("«Bonjour»"), (Tokens{"«", "bonjour", "»"}));
  EXPECT_EQ(tok("¿Qué? ¡Sí!"), (Tokens{"¿", "qué", "?", "¡", "sí", "!"}));
  EXPECT_EQ(tok("50€ & $5"), (Tokens{"50", "€", "&", "$", "5"}));
  EXPECT_EQ(tok("3.5%"), (Tokens{"3", ".", "5", "%"}));
  EXPECT_EQ(tok("1,000.50"), (Tokens{"1", ",", "000", ".", "50"}));
  EXPECT_EQ(tok("x/y"), (Tokens{"x", "/", "y"}));
}

TEST(Seq2seqTokenizer, OddSpacesBecomeSpacesAndZeroWidthCharactersGo) {
  EXPECT_EQ(tok("Tom's  \u00a0dog\u202fbarks\tloudly\n"), (Tokens{"tom'", "s", "dog", "barks", "loudly"}));
  EXPECT_EQ(tok("a\vb\fc\rd"), (Tokens{"a", "b", "c", "d"}));
  EXPECT_EQ(tok("\u2007\u2009\u200a\u3000x"), (Tokens{"x"}));
  EXPECT_EQ(tok("zero\u200bwidth\ufeff"), (Tokens{"zerowidth"}));
  EXPECT_EQ(tok("a\u00adb"), (Tokens{"a\u00adb"}));  // a soft hyphen is neither: kept
  EXPECT_EQ(tok(""), Tokens{});
  EXPECT_EQ(tok("  "), Tokens{});
}

TEST(Seq2seqTokenizer, TypographicQuotesAndEllipsis) {
  EXPECT_EQ(tok("\u201cHello,\u201d she said\u2026"), (Tokens{"\"", "hello", ",", "\"", "she", "said", ".", ".", "."}));
  EXPECT_EQ(tok("It\u2019s \u2018fine\u2019"), (Tokens{"it'", "s", "'", "fine", "'"}));
  EXPECT_EQ(tok("l\u02bcami"), (Tokens{"l'", "ami"}));
  EXPECT_EQ(tok("\u201eJa\u201c"), (Tokens{"\"", "ja", "\""}));
}

TEST(Seq2seqTokenizer, LowercasesAsciiLatin1AndLatinExtendedA) {
  EXPECT_EQ(tok("ÉCOLE À Paris ÇA"), (Tokens{"école", "à", "paris", "ça"}));
  EXPECT_EQ(tok("CAFÉ ÀÞß"), (Tokens{"café", "àþß"}));
  EXPECT_EQ(tok("Ǆ ß ÿ ×Ø"), (Tokens{"Ǆ", "ß", "ÿ", "×ø"}));  // × is no letter; Ǆ is outside the ranges
  EXPECT_EQ(tok("Ā Ą Ĺ Ľ Ź Ż Ž İ ı ĸ ŉ ſ Œ"),
            (Tokens{"ā", "ą", "ĺ", "ľ", "ź", "ż", "ž", "İ", "ı", "ĸ", "ŉ", "ſ", "œ"}));
  // As text.py: U+0178 (Ÿ) falls in its Latin Extended-A branch and becomes U+017A's capital Ź, not ÿ.
  EXPECT_EQ(tok("Ÿ"), (Tokens{"Ź"}));
  EXPECT_EQ(tok("🙂 emoji"), (Tokens{"🙂", "emoji"}));
}

// The rules of seq2seq_tokenizer.h, one case each; test_seq2seq_tokenizer_split.cpp checks them on real sentences.
TEST(Seq2seqTokenizer, DetokenizeWritesTheTextAsTatoebaDoes) {
  const auto fr = [](const std::string& s) { return detokenize(tok(s), Language::French); };
  const auto en = [](const std::string& s) { return detokenize(tok(s), Language::English); };
  EXPECT_EQ(fr("L'homme est peut-être là."), "l'homme est peut-être là.");
  EXPECT_EQ(fr("Est-ce vrai\u202f? Non\u00a0! Voici\u00a0: «\u00a0oui\u00a0» ; (bon) [x] {y}"),
            "est-ce vrai ? non ! voici : « oui » ; (bon) [x] {y}");
  EXPECT_EQ(en("Is it true? No! Here: yes; (fine)"), "is it true? no! here: yes; (fine)");
  EXPECT_EQ(en("I didn't know."), "i didn't know.");
  EXPECT_EQ(fr("Il a dit \"oui\" puis \"non\"."), "il a dit \"oui\" puis \"non\".");
  EXPECT_EQ(en("1,000 people, 3.5 km at 11:00 for 50% and $5 or 5 / 10"), "1,000 people, 3.5 km at 11:00 for 50% and $5 or 5/10");
  // Tokens cannot tell "1,5" from "1, 5": digits on both sides join (Tatoeba: 61 "1,5" against 12 "1, 5").
  EXPECT_EQ(en("at 11:00, 50 people"), "at 11:00,50 people");
  EXPECT_EQ(fr("50 $"), "50 $");  // French writes the currency after the number
  EXPECT_EQ(fr("Attends\u2026"), "attends...");
  EXPECT_EQ(fr("l'"), "l '");  // a lone apostrophe is no elision
  EXPECT_EQ(en("It\u2019s \u2018fine\u2019"), "it's ' fine '");
  EXPECT_EQ(detokenize({"le", "<unk>", "-", "être"}, Language::French), "le <unk>-être");  // <unk> stays visible
  EXPECT_EQ(detokenize({}, Language::French), "");
}

TEST(Seq2seqTokenizer, TranslationTextDropsTheFinalEosOnly) {
  EXPECT_EQ(translationText({"peut", "-", "être", ".", "<eos>"}), "peut-être.");
  EXPECT_EQ(translationText({"oui", "?"}), "oui ?");
  EXPECT_EQ(translationText({"<eos>"}), "");
  EXPECT_EQ(translationText({}), "");
}

TEST(Seq2seqTokenizer, InvalidUtf8IsAnInputErrorNamingTheOriginAndByte) {
  try {
    tokenize("ok \xC3\x28 no", "--text #2");
    FAIL() << "no error";
  } catch (const attnviz::InputError& e) {
    EXPECT_EQ(e.where(), "--text #2");
    EXPECT_NE(std::string(e.what()).find("byte 3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(tokenize("\xED\xA0\x80", "t"), attnviz::InputError);  // a surrogate
  EXPECT_THROW(tokenize("\xC0\xAF", "t"), attnviz::InputError);      // an overlong
}
