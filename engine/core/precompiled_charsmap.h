// The "precompiled charsmap" of SentencePiece normalisation rules (NormalizerSpec.precompiled_charsmap in a .model
// file; the Hugging Face tokenizers "Precompiled" normalizer carries the same bytes in base64). Layout:
//   uint32 little-endian T | T bytes: a Darts-clone double-array trie, 4-byte units | replacement strings
// The trie maps a byte string (a character or sequence to rewrite) to an offset into the replacement strings, each
// NUL-terminated: "ﬁ" -> "fi", "Ａ" -> "A", U+00A0 -> " ". nmt_nfkc's is NFKC plus a few NMT-minded rules.
//
// The replacement strings must be valid UTF-8 (checked here, so normalised text always is). Every trie index and
// replacement offset is checked when used: a corrupt blob gives ModelFileError(where, ...) from the constructor or
// from a lookup, never a read outside the blob.
//
//   attnviz::PrecompiledCharsmap rules(spec.precompiledCharsmap, "source.spm");
//   auto step = rules.normalizePrefix("ﬁne");  // step.replacement "fi", step.consumed 3 (the bytes of "ﬁ")
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz {

class PrecompiledCharsmap {
 public:
  PrecompiledCharsmap() = default;  // no rules: every character stays as it is
  // blob: the bytes above (copied). An empty blob means no rules, as in SentencePiece.
  PrecompiledCharsmap(std::string_view blob, std::string where);

  bool empty() const { return units_.empty(); }
  const std::string& where() const { return where_; }
  // The longest replacement string: a bound on how much one step can grow the text.
  std::size_t longestReplacement() const { return longestReplacement_; }

  // The longest rule whose key is a prefix of `text` (among the first kMaxMatches keys found, shortest first, as
  // SentencePiece's normaliser looks at no more): its replacement and key length; length 0 when none matches.
  struct Match {
    std::string_view replacement;  // inside this object
    std::size_t length = 0;
  };
  Match longestPrefix(std::string_view text) const;

  // One normalisation step at the start of a non-empty `text`, as SentencePiece's Normalizer::NormalizePrefix does
  // without user-defined symbols: the longest rule, else one well-formed UTF-8 character unchanged, else (a
  // malformed byte) U+FFFD for that one byte.
  struct Step {
    std::string_view replacement;  // inside this object, `text` or a static U+FFFD
    std::size_t consumed = 0;      // bytes of text used, >= 1
  };
  Step normalizePrefix(std::string_view text) const;

  static constexpr int kMaxMatches = 32;

 private:
  std::uint32_t unit(std::size_t index) const;  // ModelFileError when index is past the trie
  std::vector<std::uint32_t> units_;  // the double array
  std::string replacements_;          // NUL-terminated strings
  std::string where_;
  std::size_t longestReplacement_ = 4;  // a UTF-8 character copied unchanged
};

}  // namespace attnviz
