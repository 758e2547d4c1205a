// UTF-8 checks for text that comes from outside (typed text, files, vocabularies).
//
//   if (auto bad = attnviz::firstInvalidUtf8(text)) throw InputError(origin, "invalid UTF-8 at byte " + ...);
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace attnviz {

// Byte offset of the first byte that does not start a well-formed UTF-8 sequence (overlongs, surrogates
// and code points above U+10FFFF are ill-formed), or nullopt when the whole text is valid.
std::optional<std::size_t> firstInvalidUtf8(std::string_view text);

}  // namespace attnviz
