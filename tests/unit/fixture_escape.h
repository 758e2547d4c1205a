// The escape of the tokenizer fixtures' text columns (make_wordpiece_fixture.py's and make_expected.mjs's
// escape()): "\\" stands for "\", "\u{HEX}" for that code point, any other "\c" for c.
#pragma once

#include <string>

#include "engine/core/utf8.h"

namespace attnviz::test {

inline std::string unescapeFixture(const std::string& text) {
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

}  // namespace attnviz::test
