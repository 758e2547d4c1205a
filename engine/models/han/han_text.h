// The sentence splitter and tokenizer of han packages ("tokenizer": "pang-lee-v2"): a C++ port of
// models/han/text.py with identical output (tests/unit/test_han_text.cpp checks hand-written cases and a
// fixture of raw and corpus texts against the Python). The rules, in short:
//   tokens: odd spaces become a space, zero-width characters are dropped; typographic quotes, `` and '' become
//     ' and ", an ellipsis "...", en/em dashes "--"; lowercase A-Z and the Latin-1 / Extended-A capitals;
//     split on spaces; . , ; : ! ? ( ) [ ] { } " * = & < > | ~ ^ \ are tokens of their own, a run of hyphens is
//     "--", a hyphen at a word's edge is "-" ("sci-fi" stays whole); an apostrophe between letters or digits
//     stays ("don't", "film's"), at a word's start it stays before a digit ("'80s") or a clitic ("'em"),
//     otherwise it is a "'" token.
//   sentences (on the text before lowercasing): Lines = one per non-empty line; Split = paragraphs (blank-line
//     separated) cut after . ! ? (and runs, plus closing quotes/brackets) when the next token does not start
//     with a lowercase letter, not after an abbreviation (Mr. Dr. etc. ...) or a single letter (J. R. R.),
//     not after an ellipsis unless a capital follows; Auto = Lines when the text has 2+ non-empty lines each
//     holding at most one sentence by the Split rules, otherwise Split.
//
//   auto s = attnviz::han::splitSentences("Mr. Smith liked it. I didn't!", attnviz::SentenceMode::Auto, "--text");
//   // s: {"mr", ".", "smith", "liked", "it", "."}, {"i", "didn't", "!"}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/api/model.h"

namespace attnviz::han {

// Tokens of one text, lowercased. Throws InputError(origin) naming the byte offset of invalid UTF-8.
std::vector<std::string> tokenize(std::string_view text, const std::string& origin);

// The sentences of a document, each a non-empty list of lowercased tokens (none when the text has no token).
std::vector<std::vector<std::string>> splitSentences(std::string_view text, SentenceMode mode, const std::string& origin);

}  // namespace attnviz::han
