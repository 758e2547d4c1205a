// What an encoder tokenizer gives the model: the tokens with [CLS] and [SEP] around them, their ids, and
// where each token came from in the input text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace attnviz {

struct TokenizedText {
  std::vector<std::string> tokens;  // including [CLS] and [SEP]
  std::vector<std::int64_t> ids;
  // Per token: the bytes of the input it came from ([begin, end); empty for the added [CLS] and [SEP]) and the
  // index of the word it belongs to (the words after whitespace and punctuation splitting; -1 for the added
  // [CLS] and [SEP]). The pieces of one word share its index: "animal" -> "ani", "##mal" -> 5, 5.
  struct Span {
    std::size_t begin = 0, end = 0;
  };
  std::vector<Span> spans;
  std::vector<std::int64_t> words;
  std::int64_t droppedTokens = 0;  // tokens cut because of maxTokens
};

}  // namespace attnviz
