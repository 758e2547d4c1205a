#include "engine/models/seq2seq/sentencepiece_model_proto.h"

#include "engine/core/error.h"
#include "engine/io/protobuf_reader.h"

namespace attnviz::seq2seq {

using io::ProtobufField;
using io::ProtobufReader;

const char* pieceTypeName(PieceType type) {
  switch (type) {
    case PieceType::Normal: return "NORMAL";
    case PieceType::Unknown: return "UNKNOWN";
    case PieceType::Control: return "CONTROL";
    case PieceType::UserDefined: return "USER_DEFINED";
    case PieceType::Unused: return "UNUSED";
    case PieceType::Byte: return "BYTE";
  }
  return "?";
}

namespace {

SentencePieceModelProto::Piece readPiece(ProtobufReader reader, std::size_t index) {
  SentencePieceModelProto::Piece piece;
  ProtobufField f;
  while (reader.next(f)) {
    switch (f.number) {
      case 1: piece.text = std::string(reader.bytes(f, "SentencePiece.piece")); break;
      case 2: piece.score = reader.float32(f, "SentencePiece.score"); break;
      case 3: {
        const std::int32_t type = reader.int32(f, "SentencePiece.type");
        if (type < 1 || type > 6)
          throw ModelFileError(reader.where(), "piece " + std::to_string(index) + " has type " +
                                                   std::to_string(type) + ", not one of SentencePiece's 1-6 "
                                                   "(NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE)");
        piece.type = static_cast<PieceType>(type);
        break;
      }
      default: break;  // unknown fields are skipped, as protobuf does
    }
  }
  return piece;
}

void readTrainerSpec(ProtobufReader reader, SentencePieceModelProto& model) {
  ProtobufField f;
  while (reader.next(f)) {
    switch (f.number) {
      case 3: model.modelType = reader.int32(f, "TrainerSpec.model_type"); break;
      case 24: model.treatWhitespaceAsSuffix = reader.boolean(f, "TrainerSpec.treat_whitespace_as_suffix"); break;
      case 35: model.byteFallback = reader.boolean(f, "TrainerSpec.byte_fallback"); break;
      case 40: model.unkId = reader.int32(f, "TrainerSpec.unk_id"); break;
      case 41: model.bosId = reader.int32(f, "TrainerSpec.bos_id"); break;
      case 42: model.eosId = reader.int32(f, "TrainerSpec.eos_id"); break;
      case 43: model.padId = reader.int32(f, "TrainerSpec.pad_id"); break;
      case 44: model.unkSurface = std::string(reader.bytes(f, "TrainerSpec.unk_surface")); break;
      default: break;
    }
  }
}

void readNormalizerSpec(ProtobufReader reader, SentencePieceModelProto& model) {
  ProtobufField f;
  while (reader.next(f)) {
    switch (f.number) {
      case 1: model.normalizerName = std::string(reader.bytes(f, "NormalizerSpec.name")); break;
      case 2: model.precompiledCharsmap = std::string(reader.bytes(f, "NormalizerSpec.precompiled_charsmap")); break;
      case 3: model.addDummyPrefix = reader.boolean(f, "NormalizerSpec.add_dummy_prefix"); break;
      case 4: model.removeExtraWhitespaces = reader.boolean(f, "NormalizerSpec.remove_extra_whitespaces"); break;
      case 5: model.escapeWhitespaces = reader.boolean(f, "NormalizerSpec.escape_whitespaces"); break;
      default: break;
    }
  }
}

}  // namespace

SentencePieceModelProto readSentencePieceModelProto(std::string_view bytes, const std::string& where) {
  SentencePieceModelProto model;
  ProtobufReader reader(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), where);
  ProtobufField f;
  while (reader.next(f)) {
    switch (f.number) {
      case 1:
        if (model.pieces.size() == kMaxSentencePieces)
          throw ModelFileError(where, "the SentencePiece model has more than " + std::to_string(kMaxSentencePieces) +
                                          " pieces, more than attnviz accepts; the file is not a real model");
        model.pieces.push_back(readPiece(reader.child(f, "ModelProto.pieces"), model.pieces.size()));
        break;
      // Singular message fields that occur twice are merged by protobuf: reading both in turn does the same.
      case 2: readTrainerSpec(reader.child(f, "ModelProto.trainer_spec"), model); break;
      case 3: readNormalizerSpec(reader.child(f, "ModelProto.normalizer_spec"), model); break;
      default: break;
    }
  }
  return model;
}

}  // namespace attnviz::seq2seq
