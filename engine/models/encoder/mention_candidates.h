// Mention detection for the coreference pointer head ("coreference_pointer": {"candidates": "mentions"}):
// a word can be an antecedent when it is alphabetic, neither a pronoun nor a determiner nor [UNK], and follows
// a determiner ("the animal") or is written with a capital letter and does not start a sentence ("Kathleen
// Nott"). The same rule as mention_words() in models/coref/model.py, which the golden fixtures come from.
//
//   std::vector<bool> m = attnviz::mentionTokens(tokens, text, pronouns, determiners, "[UNK]");  // one per token
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/models/encoder/tokenized_text.h"

namespace attnviz {

// tokens: the tokenizer's output for text (words and spans filled); pronouns and determiners lowercase.
// -> one flag per token: it belongs to a mention word.
std::vector<bool> mentionTokens(const TokenizedText& tokens, std::string_view text,
                                const std::vector<std::string>& pronouns, const std::vector<std::string>& determiners,
                                const std::string& unk);

}  // namespace attnviz
