// The tokenizer of seq2seq packages ("tokenizer": "tatoeba-en-fr"), English and French alike: a C++ port of
// models/seq2seq/text.py with identical output, token for token (tests/unit/test_seq2seq_tokenizer*.cpp check
// hand-written cases and the whole Tatoeba test split against the Python). The rules, in short:
//   1. odd spaces (NBSP, narrow NBSP, thin spaces, tabs, newlines, ...) become a space; zero-width characters
//      are dropped;  2. typographic apostrophes and double quotes become ' and ", an ellipsis becomes "...";
//   3. lowercase A-Z and the Latin-1 / Latin Extended-A capitals (exactly as text.py's lower_char);
//   4. split on spaces; every PUNCTUATION character (hyphens included) is its own token;
//   5. an apostrophe inside a word ends a token ("l'homme" -> "l'" "homme"); at a word's edge it is a token.
//
//   std::vector<std::string> t = attnviz::seq2seq::tokenize("L'homme est peut-être là.", "--text");
//   // t: l' homme est peut - être là .
//   std::string s = attnviz::seq2seq::detokenize(t);   // "l'homme est peut - être là ."
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace attnviz::seq2seq {

// Tokens of a UTF-8 text. Throws InputError(origin, ...) naming the byte offset when the text is not valid UTF-8.
std::vector<std::string> tokenize(std::string_view text, const std::string& origin);

// Display text of a token list: one space between tokens, none after an elision ("l'" "homme" -> "l'homme";
// a lone "'" token is not an elision). text.py's detokenize().
std::string detokenize(const std::vector<std::string>& tokens);

}  // namespace attnviz::seq2seq
