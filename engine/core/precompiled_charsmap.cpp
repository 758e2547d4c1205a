#include "engine/core/precompiled_charsmap.h"

#include <algorithm>
#include <cstring>

#include "engine/core/error.h"
#include "engine/core/utf8.h"

namespace attnviz {

namespace {

// A Darts-clone unit (darts.h, DoubleArrayUnit), 32 bits:
//   bits 0-7 label (bit 31 too: set on value units, so a value never equals a byte label)
//   bit 8 has_leaf: a key ends here; its value is in the unit at (this node's offset XOR 0)
//   bit 9 extends the offset: offset = (unit >> 10) << (bit 9 ? 8 : 0)
//   a value unit: value = unit & 0x7fffffff
constexpr std::uint32_t kLabelMask = (1u << 31) | 0xffu;
bool hasLeaf(std::uint32_t unit) { return ((unit >> 8) & 1u) != 0; }
std::uint32_t valueOf(std::uint32_t unit) { return unit & ((1u << 31) - 1); }
std::uint32_t labelOf(std::uint32_t unit) { return unit & kLabelMask; }
std::uint32_t offsetOf(std::uint32_t unit) { return (unit >> 10) << ((unit & (1u << 9)) >> 6); }

constexpr std::size_t kTrieSizeBytes = 4;
constexpr std::size_t kUnitBytes = 4;
const std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 character at the start of text, or 0 when it is malformed (the ranges of table
// 3-7 of the Unicode standard, as SentencePiece's IsValidDecodeUTF8 checks them).
std::size_t utf8CharLength(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const unsigned char c = s[0];
  if (c < 0x80) return 1;
  std::size_t length = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) length = 2;
  else if (c == 0xE0) length = 3, lo = 0xA0;
  else if (c >= 0xE1 && c <= 0xEC) length = 3;
  else if (c == 0xED) length = 3, hi = 0x9F;
  else if (c >= 0xEE && c <= 0xEF) length = 3;
  else if (c == 0xF0) length = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) length = 4;
  else if (c == 0xF4) length = 4, hi = 0x8F;
  else return 0;
  if (length > n || s[1] < lo || s[1] > hi) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if ((s[k] & 0xC0) != 0x80) return 0;
  return length;
}

}  // namespace

PrecompiledCharsmap::PrecompiledCharsmap(std::string_view blob, std::string where) : where_(std::move(where)) {
  if (blob.empty()) return;
  const std::string remedy = "; the model file is corrupt (re-save it with SentencePiece)";
  if (blob.size() <= kTrieSizeBytes)
    throw ModelFileError(where_, "the precompiled charsmap has " + std::to_string(blob.size()) +
                                     " bytes, too few for its trie size" + remedy);
  std::uint32_t trieBytes = 0;
  std::memcpy(&trieBytes, blob.data(), kTrieSizeBytes);  // little-endian hosts only (engine/io/binary.h)
  if (trieBytes >= blob.size() - kTrieSizeBytes || trieBytes % kUnitBytes != 0 || trieBytes == 0)
    throw ModelFileError(where_, "the precompiled charsmap's trie size " + std::to_string(trieBytes) +
                                     " does not fit its " + std::to_string(blob.size()) +
                                     " bytes as whole 4-byte units followed by replacement strings" + remedy);
  units_.resize(trieBytes / kUnitBytes);
  std::memcpy(units_.data(), blob.data() + kTrieSizeBytes, trieBytes);
  replacements_ = std::string(blob.substr(kTrieSizeBytes + trieBytes));
  std::size_t start = 0;
  while (start < replacements_.size()) {
    std::size_t nul = replacements_.find('\0', start);
    if (nul == std::string::npos) nul = replacements_.size();
    const std::string_view replacement = std::string_view(replacements_).substr(start, nul - start);
    if (const auto bad = firstInvalidUtf8(replacement))
      throw ModelFileError(where_, "the precompiled charsmap's replacement at byte " + std::to_string(start) +
                                       " is not valid UTF-8 (byte " + std::to_string(start + *bad) + ")" + remedy);
    longestReplacement_ = std::max(longestReplacement_, replacement.size());
    start = nul + 1;
  }
}

std::uint32_t PrecompiledCharsmap::unit(std::size_t index) const {
  if (index >= units_.size())
    throw ModelFileError(where_, "the precompiled charsmap's trie points at unit " + std::to_string(index) +
                                     " of " + std::to_string(units_.size()) +
                                     "; the model file is corrupt (re-save it with SentencePiece)");
  return units_[index];
}

PrecompiledCharsmap::Match PrecompiledCharsmap::longestPrefix(std::string_view text) const {
  Match best;
  if (units_.empty()) return best;
  // Darts-clone's commonPrefixSearch from the root: child of node n for byte b is at n ^ offset(n) ^ b and is
  // real only if its label is b.
  std::size_t node = offsetOf(unit(0));
  int matches = 0;
  for (std::size_t i = 0; i < text.size() && matches < kMaxMatches; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    node ^= byte;
    const std::uint32_t u = unit(node);
    if (labelOf(u) != byte) break;
    node ^= offsetOf(u);
    if (!hasLeaf(u)) continue;
    ++matches;
    const std::uint32_t value = valueOf(unit(node));
    if (value >= replacements_.size())
      throw ModelFileError(where_, "a precompiled charsmap rule points at byte " + std::to_string(value) +
                                       " of " + std::to_string(replacements_.size()) +
                                       " bytes of replacements; the model file is corrupt");
    const std::size_t nul = replacements_.find('\0', value);
    if (nul == std::string::npos)
      throw ModelFileError(where_, "a precompiled charsmap replacement at byte " + std::to_string(value) +
                                       " has no terminating NUL; the model file is corrupt");
    best.length = i + 1;  // later matches are longer
    best.replacement = std::string_view(replacements_).substr(value, nul - value);
  }
  return best;
}

PrecompiledCharsmap::Step PrecompiledCharsmap::normalizePrefix(std::string_view text) const {
  const Match match = longestPrefix(text);
  if (match.length > 0) return {match.replacement, match.length};
  const std::size_t length = text.empty() ? 0 : utf8CharLength(text);
  if (length == 0) return {kReplacementCharacter, 1};
  return {text.substr(0, length), length};
}

}  // namespace attnviz
