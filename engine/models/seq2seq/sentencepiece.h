// A SentencePiece unigram tokenizer reading real .model files (Marian/opus-mt checkpoints ship them as source.spm
// and target.spm), giving the pieces python3-sentencepiece 0.1.97 gives, piece for piece, with each piece's bytes in
// the original text, and decoding ids or piece strings back to text as it does
// (tests/unit/test_sentencepiece_conformance.cpp: 4,500 lines over three trained models and T5's charsmap, 1,200
// decoded sequences; all identical). BPE, WORD and CHAR models are refused with a message naming the type.
//
//   attnviz::seq2seq::SentencePiece spm = attnviz::seq2seq::SentencePiece::fromFile("source.spm");
//   attnviz::seq2seq::Pieces p = spm.encode("Le ﬁlm était  très bien.", "typed text");
//   // with tests/data/sentencepiece/hansards-unigram.model:
//   // p.pieces:      ▁Le   ▁fil  m     ▁étai  t      ▁très  ▁bien  .      (nmt_nfkc made "ﬁ" "fi"; two spaces one)
//   // p.pieceIds:    194   1360  61    229    12     220    218    27     (the .model's own numbering)
//   // p.byteOffsets: 0-2   2-7   7-8   8-14   14-15  15-22  22-27  27-28  (" ﬁl" is bytes 2-7 of the text)
//   std::string back = spm.decode(p.pieceIds, "ids");   // "Le film était très bien."
//
// What encode does, as SentencePiece does it:
//  1. normalise (sentencepiece_normalizer.h): the precompiled charsmap, whitespace rules, "▁" for spaces;
//  2. Viterbi over every vocabulary piece found in the normalised text (NORMAL pieces with their scores,
//     USER_DEFINED ones with a bonus that makes them win: length x the highest NORMAL score - 0.1; UNUSED pieces are
//     never chosen); a character that starts no one-character piece may also be an unknown piece of score
//     (lowest NORMAL score - 10). Ties keep the earlier candidate (shorter pieces from earlier positions first);
//  3. consecutive unknown characters become one piece (id unkId(), the text as normalised), or with byte_fallback
//     one <0xXX> piece per byte.
// Spans: a piece covers the input bytes from the first to the last it was normalised from; a piece made by a rule
// together with the piece before it (the "i" of "ﬁ" -> "f" "i") gets the whole "ﬁ", the one before it an empty span
// at its start; a space the normaliser added ("▁" in front) has an empty span; collapsed spaces belong to the
// piece of the space kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/precompiled_charsmap.h"
#include "engine/models/seq2seq/piece_trie.h"
#include "engine/models/seq2seq/sentencepiece_model_proto.h"
#include "engine/models/seq2seq/sentencepiece_normalizer.h"

namespace attnviz::seq2seq {

// Real models are a few MB (a 250,000-piece vocabulary is about 5 MB); larger files are refused before reading.
constexpr std::uint64_t kMaxSentencePieceFileBytes = 64ull << 20;

struct ByteSpan {
  std::size_t begin = 0, end = 0;  // [begin, end) in the text given to encode
  bool operator==(const ByteSpan&) const = default;
};

struct Pieces {
  std::vector<std::string> pieces;     // as SentencePiece writes them: "▁the", an unknown run as its text
  std::vector<std::int64_t> pieceIds;  // the .model's own ids (index of the piece in the file)
  std::vector<ByteSpan> byteOffsets;   // per piece, into the original text
};

class SentencePiece {
 public:
  // ModelFileError naming the file and the reason for a file that is missing, too large, malformed or not a
  // unigram model.
  static SentencePiece fromFile(const std::string& path);
  static SentencePiece fromBytes(std::string_view bytes, const std::string& label);

  // InputError(origin, ...) when text is not valid UTF-8. Empty (or all-space) text gives no pieces.
  Pieces encode(std::string_view text, const std::string& origin) const;
  // Step 1 alone (text and map back to the input); InputError as encode.
  NormalizedText normalize(std::string_view text, const std::string& origin) const;

  // Text of ids or of piece strings, as python3-sentencepiece's decode(ids) and decode_pieces(pieces):
  // CONTROL pieces vanish; the UNKNOWN piece is trainer_spec.unk_surface (" ⁇ "), a piece string not in the
  // vocabulary stays as it is; runs of BYTE pieces are UTF-8 (U+FFFD for each byte that starts no valid
  // character); "▁" becomes a space, and while nothing has been written yet a leading "▁" is dropped (with
  // add_dummy_prefix or remove_extra_whitespaces; with remove_extra_whitespaces every such piece's, else the first's).
  // decode: InputError(origin) for an id outside the vocabulary.
  std::string decode(const std::vector<std::int64_t>& ids, const std::string& origin) const;
  std::string decodePieces(const std::vector<std::string>& pieces) const;

  std::int64_t size() const { return static_cast<std::int64_t>(pieces_.size()); }
  const std::string& piece(std::int64_t id) const { return pieces_.at(static_cast<std::size_t>(id)).text; }
  PieceType type(std::int64_t id) const { return pieces_.at(static_cast<std::size_t>(id)).type; }
  float score(std::int64_t id) const { return pieces_.at(static_cast<std::size_t>(id)).score; }
  // The id of a piece by its text (any type), or nullopt.
  std::optional<std::int64_t> pieceId(std::string_view text) const;

  std::int64_t unkId() const { return unkId_; }
  // From the trainer spec; -1 when the model has none (or the id is not a piece).
  std::int64_t bosId() const { return bosId_; }
  std::int64_t eosId() const { return eosId_; }
  std::int64_t padId() const { return padId_; }
  bool byteFallback() const { return byteFallback_; }
  const std::string& normalizerName() const { return normalizerName_; }
  const std::string& label() const { return label_; }

 private:
  SentencePiece() = default;
  void checkAndIndex(const std::string& where);
  struct Decoder;  // the state of one decode: text so far, pending byte pieces, whether anything was written

  std::vector<SentencePieceModelProto::Piece> pieces_;
  PieceTrie vocabulary_;    // NORMAL, USER_DEFINED and UNUSED pieces: the lattice's candidates
  PieceTrie userSymbols_;   // USER_DEFINED pieces: kept unnormalised
  PieceTrie reserved_;      // UNKNOWN, CONTROL and BYTE pieces (looked up by pieceId only)
  PrecompiledCharsmap charsmap_;
  NormalizerOptions normalizerOptions_;
  std::string normalizerName_;
  std::int64_t unkId_ = -1, bosId_ = -1, eosId_ = -1, padId_ = -1;
  bool byteFallback_ = false;
  std::string unkSurface_;
  std::int64_t byteIds_[256] = {};  // with byte_fallback: the id of <0xXX>, or unkId_ when absent
  float minScore_ = 0, maxScore_ = 0;
  std::string label_;
};

}  // namespace attnviz::seq2seq
