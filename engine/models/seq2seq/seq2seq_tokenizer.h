// The tokenizer of seq2seq packages ("tokenizer": "tatoeba-en-fr"), English and French alike: a C++ port of
// models/seq2seq/text.py with identical output, token for token (tests/unit/test_seq2seq_tokenizer*.cpp check
// hand-written cases and the whole Tatoeba test split against the Python). The rules, in short:
//   1. odd spaces (NBSP, narrow NBSP, thin spaces, tabs, newlines, ...) become a space; zero-width characters
//      are dropped;  2. typographic apostrophes and double quotes become ' and ", an ellipsis becomes "...";
//   3. lowercase A-Z and the Latin-1 / Latin Extended-A capitals (exactly as text.py's lower_char);
//   4. split on spaces; every PUNCTUATION character (hyphens included) is its own token;
//   5. an apostrophe inside a word ends a token ("l'homme" -> "l'" "homme"); at a word's edge it is a token.
//
//   std::vector<std::string> t = attnviz::seq2seq::tokenize("L'homme est peut-être là ?", "--text");
//   // t: l' homme est peut - être là ?
//   std::string s = attnviz::seq2seq::detokenize(t, Language::French);   // "l'homme est peut-être là ?"
//
// detokenize() undoes the splitting as the Tatoeba text was written (hyphens, elisions, French spaces before
// ? ! : ; »), so a translation reads "peut-être", not "peut - être". Over the whole Tatoeba set the display text
// equals the normalised original for 99.6% of French and 99.9% of English sentences (the rest are sentences
// written against the set's own habit, e.g. "loterie?"); tests/unit/test_seq2seq_tokenizer_split.cpp checks
// this rate on the test split. (The Hansards files are pre-tokenised, "peut - être", which is no display form.)
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace attnviz::seq2seq {

// Tokens of a UTF-8 text. Throws InputError(origin, ...) naming the byte offset when the text is not valid UTF-8.
std::vector<std::string> tokenize(std::string_view text, const std::string& origin);

enum class Language { English, French };

// Display text of a token list (text.py's detokenize(), rule for rule). One space between tokens, except:
//   none before  . , ) ] } % - /           and, in English only, before ? ! : ;
//   none after   ( [ { - /, an elision ("l'" "homme" -> "l'homme"; a lone "'" is no elision), and in English $ €
//   French keeps its space before ? ! : ; » and after «
//   "  alternates: the 1st, 3rd, ... opens (no space after), the 2nd, 4th, ... closes (no space before)
//   , . : between two all-digit tokens join them: "1,000", "3.5", "11:00"
// Tokens are written as they are, <unk> included.
std::string detokenize(const std::vector<std::string>& tokens, Language language);

// A seq2seq model's translation as shown everywhere (the trace's prediction, beam rows): the target tokens
// without a final "<eos>", detokenized as French (the target language of every "tatoeba-en-fr" model).
std::string translationText(const std::vector<std::string>& targetTokens);

}  // namespace attnviz::seq2seq
