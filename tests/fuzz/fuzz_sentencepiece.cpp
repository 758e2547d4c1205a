// Fuzzes the SentencePiece path (engine/models/seq2seq/sentencepiece.h): byte 0 picks what the rest is.
//   even: a .model file (protobuf reader, vocabulary checks, precompiled charsmap); when it loads, a few fixed texts
//         (spaces, NFKC-relevant characters, unknowns, invalid UTF-8) are encoded with it;
//   odd:  a text, encoded with the fixture model tests/data/sentencepiece/hansards-unigram.model (byte 0 & 2 clear)
//         or bytes-identity.model (set).
// Checked besides the contract of fuzz_util.h: pieces, ids and spans have one entry per piece, no piece is empty,
// ids are the model's, spans lie inside the text and in order; the pieces and ids decode. Seeds: tests/fuzz/corpus/sentencepiece.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/models/seq2seq/sentencepiece.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using attnviz::seq2seq::SentencePiece;

void encodeAndCheck(const SentencePiece& spm, const std::string& text) {
  fuzz::expectResultOrError([&] {
    const attnviz::seq2seq::Pieces p = spm.encode(text, "text");
    if (p.pieceIds.size() != p.pieces.size() || p.byteOffsets.size() != p.pieces.size()) std::abort();
    std::size_t previousEnd = 0;
    for (std::size_t i = 0; i < p.pieces.size(); ++i) {
      if (p.pieces[i].empty() || p.pieceIds[i] < 0 || p.pieceIds[i] >= spm.size()) std::abort();
      const auto [begin, end] = p.byteOffsets[i];
      if (begin > end || end > text.size() || begin < previousEnd) std::abort();
      previousEnd = begin;  // a span may start where the one before started (byte-fallback pieces share a start)
    }
    spm.decode(p.pieceIds, "ids");
    spm.decodePieces(p.pieces);
  });
}

const SentencePiece& fixture(bool bytesIdentity) {
  static const SentencePiece nfkc = SentencePiece::fromFile(std::string(ATTNVIZ_TEST_DATA) +
                                                            "/sentencepiece/hansards-unigram.model");
  static const SentencePiece identity = SentencePiece::fromFile(std::string(ATTNVIZ_TEST_DATA) +
                                                                "/sentencepiece/bytes-identity.model");
  return bytesIdentity ? identity : nfkc;
}

const char* const kTexts[] = {
    "  The house  met at 2 p.m.\t", "Le \xEF\xAC\x81lm \xC3\xA9tait tr\xC3\xA8s bien\xC2\xA0!",
    "\xEF\xBC\xA1\xEF\xBC\xA2 \xE2\x91\xA0 e\xCC\x81", "\xE4\xB8\xAD\xE6\x96\x87\xF0\x9F\x98\x80 x", "", "   ",
    "bad \xC3( utf-8", "<sep><mask>\xE2\x84\xA2",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  const std::string rest = fuzz::text(data + 1, size - 1);
  if (mode & 1) {
    const SentencePiece& spm = fixture((mode & 2) != 0);
    encodeAndCheck(spm, rest);
    // The text as piece strings (split at spaces) and as ids (bytes), decoded.
    fuzz::expectResultOrError([&] { spm.decodePieces(fuzz::split(rest, ' ', 64)); });
    fuzz::expectResultOrError([&] {
      std::vector<std::int64_t> ids;
      for (unsigned char c : rest) ids.push_back(c);
      spm.decode(ids, "ids");
    });
    return 0;
  }
  fuzz::expectResultOrError([&] {
    const SentencePiece spm = SentencePiece::fromBytes(rest, "fuzz.model");
    for (const char* text : kTexts) encodeAndCheck(spm, text);
  });
  return 0;
}
