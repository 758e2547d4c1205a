// SentencePiece's text normalisation (normalizer.cc, Normalizer::Normalize) with the map from normalised bytes back
// to the input's: the precompiled charsmap rule by rule (user-defined symbols first, kept as they are), then
//   remove_extra_whitespaces: drop leading and trailing spaces, collapse runs to one
//   add_dummy_prefix: one space in front (or behind, with treat_whitespace_as_suffix)
//   escape_whitespaces: every space becomes U+2581 "▁"
// A "space" here is what the charsmap gives as " " (nmt_nfkc maps tabs, NBSP, U+3000, ... to it).
//
//   NormalizedText n = normalizeForSentencePiece(" ﬁne  day", charsmap, NormalizerOptions{}, nullptr);
//   // n.text "▁fine▁day"; n.toOriginal[i]: the input byte that normalised byte i came from
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/precompiled_charsmap.h"
#include "engine/models/seq2seq/piece_trie.h"

namespace attnviz::seq2seq {

struct NormalizerOptions {
  bool addDummyPrefix = true;           // NormalizerSpec.add_dummy_prefix
  bool removeExtraWhitespaces = true;   // NormalizerSpec.remove_extra_whitespaces
  bool escapeWhitespaces = true;        // NormalizerSpec.escape_whitespaces
  bool treatWhitespaceAsSuffix = false; // TrainerSpec.treat_whitespace_as_suffix
};

struct NormalizedText {
  std::string text;
  // toOriginal[i]: the input byte offset that normalised byte i came from (the start of what the rule consumed);
  // toOriginal[text.size()]: where the input's used part ends. Size text.size() + 1.
  std::vector<std::size_t> toOriginal;
};

// `input` must be valid UTF-8 (the caller checks); userSymbols: user-defined pieces, matched longest first and
// copied unnormalised (may be null).
NormalizedText normalizeForSentencePiece(std::string_view input, const PrecompiledCharsmap& charsmap,
                                         const NormalizerOptions& options, const PieceTrie* userSymbols);

}  // namespace attnviz::seq2seq
