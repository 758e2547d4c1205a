// UTF-8 checks for text that comes from outside (typed text, files, vocabularies).
//
//   if (auto bad = attnviz::firstInvalidUtf8(text)) throw InputError(origin, "invalid UTF-8 at byte " + ...);
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace attnviz {

// Byte offset of the first byte that does not start a well-formed UTF-8 sequence (overlongs, surrogates
// and code points above U+10FFFF are ill-formed), or nullopt when the whole text is valid.
std::optional<std::size_t> firstInvalidUtf8(std::string_view text);

// Code points of well-formed UTF-8 (check with firstInvalidUtf8 first; ill-formed input gives garbage, never
// reads out of bounds).
std::u32string decodeUtf8(std::string_view text);

// Appends the UTF-8 bytes of one code point.
void appendUtf8(std::string& out, char32_t c);

}  // namespace attnviz
