// A bounded reader of the protobuf wire format over untrusted bytes: one message's fields in file order, nested
// messages read by a child reader over their bytes. Nothing is allocated per field and nothing is read past the
// buffer: varints are at most 10 bytes, every length is checked against what is left, nesting is limited to
// kMaxProtobufDepth, groups (wire types 3 and 4) and unknown wire types are refused. A field the caller does not
// know is skipped by its wire type, as protobuf does. Errors are ModelFileError(where, ...) naming the byte offset
// from the start of the outermost message.
//
//   attnviz::io::ProtobufReader model(bytes.data(), bytes.size(), "source.spm");
//   attnviz::io::ProtobufField field;
//   while (model.next(field)) {
//     if (field.number == 1) { ProtobufReader piece = model.child(field); ... piece.next(...) ... }
//     if (field.number == 7) std::int32_t n = model.int32(field, "vocab_size");
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace attnviz::io {

// Nesting deeper than this is refused (a SentencePiece model nests two levels).
constexpr int kMaxProtobufDepth = 16;

enum class WireType : std::uint8_t { Varint = 0, Fixed64 = 1, Bytes = 2, Fixed32 = 5 };

struct ProtobufField {
  std::uint32_t number = 0;    // 1 .. 2^29 - 1
  WireType type = WireType::Varint;
  std::uint64_t value = 0;     // Varint, Fixed64 and Fixed32 (zero-extended)
  std::string_view bytes;      // Bytes: the payload, inside the reader's buffer
  std::size_t offset = 0;      // where the field's tag starts, from the start of the outermost message
};

class ProtobufReader {
 public:
  // data[0, size) is one message; baseOffset: its position in the outermost message (for messages).
  ProtobufReader(const std::uint8_t* data, std::size_t size, std::string where, std::size_t baseOffset = 0,
                 int depth = 0);

  // The next field, or false at the end of the message. ModelFileError on a malformed field.
  bool next(ProtobufField& field);

  // A reader over a Bytes field holding a nested message (ModelFileError past kMaxProtobufDepth or on another
  // wire type). `name` is the field's name for messages.
  ProtobufReader child(const ProtobufField& field, const char* name) const;

  // The field's value as the declared type; ModelFileError naming `name` when the wire type does not fit.
  std::int32_t int32(const ProtobufField& field, const char* name) const;  // int32 and enums: the low 32 bits
  bool boolean(const ProtobufField& field, const char* name) const;
  float float32(const ProtobufField& field, const char* name) const;
  std::string_view bytes(const ProtobufField& field, const char* name) const;  // string and bytes

  const std::string& where() const { return where_; }

 private:
  std::uint64_t readVarint(const char* what);
  [[noreturn]] void fail(std::size_t offset, const std::string& what) const;
  void requireType(const ProtobufField& field, WireType type, const char* name) const;

  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
  std::string where_;
  std::size_t baseOffset_;
  int depth_;
};

}  // namespace attnviz::io
