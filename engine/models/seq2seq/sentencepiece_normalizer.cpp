#include "engine/models/seq2seq/sentencepiece_normalizer.h"

#include "engine/core/error.h"

namespace attnviz::seq2seq {

namespace {

constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";  // U+2581 LOWER ONE EIGHTH BLOCK
// Real rules grow text at most 13-fold (U+FDFA, 3 bytes, becomes 33 with 3 escaped spaces); more is a hostile file.
constexpr std::size_t kMaxGrowth = 64;

// Length of the longest user-defined symbol at the start of text, or 0.
std::size_t userSymbolLength(std::string_view text, const PieceTrie* symbols) {
  if (symbols == nullptr) return 0;
  std::size_t longest = 0;
  PieceTrie::Node node = PieceTrie::kRoot;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((node = symbols->child(node, text[i])) == PieceTrie::kNone) break;
    if (symbols->value(node) >= 0) longest = i + 1;
  }
  return longest;
}

}  // namespace

NormalizedText normalizeForSentencePiece(std::string_view input, const PrecompiledCharsmap& charsmap,
                                         const NormalizerOptions& options, const PieceTrie* userSymbols) {
  NormalizedText out;
  // Most text grows a little (a space becomes the 3 bytes of "▁"); the vectors grow if it grows more.
  out.text.reserve(input.size() + input.size() / 4 + 8);
  out.toOriginal.reserve(out.text.capacity() + 1);
  const std::string_view space = options.escapeWhitespaces ? kSpaceSymbol : std::string_view(" ");

  // One step: a user-defined symbol as it is, else the charsmap's rule or one character.
  auto step = [&](std::string_view rest) {
    if (const std::size_t n = userSymbolLength(rest, userSymbols); n > 0)
      return PrecompiledCharsmap::Step{rest.substr(0, n), n};
    return charsmap.normalizePrefix(rest);
  };
  std::size_t consumed = 0;  // input bytes used so far
  auto appendSpace = [&] {
    out.text += space;
    out.toOriginal.insert(out.toOriginal.end(), space.size(), consumed);
  };

  std::string_view rest = input;
  if (options.removeExtraWhitespaces) {  // leading spaces: only steps that normalise to exactly one space
    while (!rest.empty()) {
      const auto s = step(rest);
      if (s.replacement != " ") break;
      rest.remove_prefix(s.consumed);
      consumed += s.consumed;
    }
  }
  if (rest.empty()) {
    out.toOriginal.push_back(consumed);
    return out;
  }
  if (options.addDummyPrefix && !options.treatWhitespaceAsSuffix) appendSpace();

  bool previousWasSpace = options.removeExtraWhitespaces;
  while (!rest.empty()) {
    const auto s = step(rest);
    std::string_view piece = s.replacement;
    while (previousWasSpace && !piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    if (!piece.empty()) {
      for (char c : piece) {
        if (options.escapeWhitespaces && c == ' ') {
          out.text += kSpaceSymbol;
          out.toOriginal.insert(out.toOriginal.end(), kSpaceSymbol.size(), consumed);
        } else {
          out.text += c;
          out.toOriginal.push_back(consumed);
        }
      }
      previousWasSpace = piece.back() == ' ';
    }
    consumed += s.consumed;
    rest.remove_prefix(s.consumed);
    if (!options.removeExtraWhitespaces) previousWasSpace = false;
    if (out.text.size() > kMaxGrowth * consumed + kSpaceSymbol.size())
      throw ModelFileError(charsmap.where(), "normalising the text made it more than " + std::to_string(kMaxGrowth) +
                                                " times longer: the precompiled charsmap is not a real one "
                                                "(nmt_nfkc's longest rule is 13 times its key)");
  }

  if (options.removeExtraWhitespaces) {  // trailing spaces; the input ends where the first of them came from
    while (out.text.size() >= space.size() && std::string_view(out.text).substr(out.text.size() - space.size()) == space) {
      const std::size_t length = out.text.size() - space.size();
      consumed = out.toOriginal[length];
      out.text.resize(length);
      out.toOriginal.resize(length);
    }
  }
  if (options.addDummyPrefix && options.treatWhitespaceAsSuffix) appendSpace();
  out.toOriginal.push_back(consumed);
  return out;
}

}  // namespace attnviz::seq2seq
