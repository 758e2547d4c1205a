// The fields of a SentencePiece .model file (a serialised sentencepiece.ModelProto, sentencepiece_model.proto) that
// a unigram tokenizer needs, read with the bounded protobuf reader (engine/io/protobuf_reader.h). Unread fields are
// skipped. Field numbers:
//   ModelProto       1 pieces (repeated SentencePiece)  2 trainer_spec  3 normalizer_spec
//   SentencePiece    1 piece (string)  2 score (float)  3 type (enum, default NORMAL)
//   TrainerSpec      3 model_type (UNIGRAM=1, BPE=2, WORD=3, CHAR=4; default UNIGRAM)  24 treat_whitespace_as_suffix
//                    35 byte_fallback  40 unk_id  41 bos_id  42 eos_id  43 pad_id  44 unk_surface
//   NormalizerSpec   1 name  2 precompiled_charsmap (bytes)  3 add_dummy_prefix  4 remove_extra_whitespaces
//                    5 escape_whitespaces (the last three default true)
//
//   SentencePieceModelProto m = readSentencePieceModelProto(bytes, "source.spm");  // ModelFileError if malformed
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace attnviz::seq2seq {

// More pieces are refused while reading (the largest real vocabularies have about 256,000).
constexpr std::size_t kMaxSentencePieces = 1u << 21;

enum class PieceType : std::uint8_t { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6 };
const char* pieceTypeName(PieceType type);

enum class SentencePieceModelType : std::int32_t { Unigram = 1, Bpe = 2, Word = 3, Char = 4 };

struct SentencePieceModelProto {
  struct Piece {
    std::string text;
    float score = 0;
    PieceType type = PieceType::Normal;
  };
  std::vector<Piece> pieces;  // id = index
  // trainer_spec
  std::int32_t modelType = 1;  // SentencePieceModelType, as read (other values are kept to be named in a message)
  bool treatWhitespaceAsSuffix = false;
  bool byteFallback = false;
  std::int32_t unkId = 0, bosId = 1, eosId = 2, padId = -1;
  std::string unkSurface = " \xE2\x81\x87 ";  // " ⁇ ", the default
  // normalizer_spec
  std::string normalizerName;
  std::string precompiledCharsmap;
  bool addDummyPrefix = true, removeExtraWhitespaces = true, escapeWhitespaces = true;
};

// Parses the whole message; `where` names the file in messages. Checks only the wire format, the enum ranges and
// kMaxSentencePieces; what the pieces mean is checked by SentencePiece (sentencepiece.h).
SentencePieceModelProto readSentencePieceModelProto(std::string_view bytes, const std::string& where);

}  // namespace attnviz::seq2seq
