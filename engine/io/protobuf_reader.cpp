#include "engine/io/protobuf_reader.h"

#include <bit>

#include "engine/core/error.h"
#include "engine/io/binary.h"

namespace attnviz::io {

namespace {

constexpr int kMaxVarintBytes = 10;  // 64 bits, 7 per byte
constexpr std::uint64_t kMaxFieldNumber = (1u << 29) - 1;

const char* wireTypeName(WireType type) {
  switch (type) {
    case WireType::Varint: return "varint";
    case WireType::Fixed64: return "64-bit";
    case WireType::Bytes: return "length-delimited";
    case WireType::Fixed32: return "32-bit";
  }
  return "?";
}

}  // namespace

ProtobufReader::ProtobufReader(const std::uint8_t* data, std::size_t size, std::string where, std::size_t baseOffset,
                               int depth)
    : data_(data), size_(size), where_(std::move(where)), baseOffset_(baseOffset), depth_(depth) {}

void ProtobufReader::fail(std::size_t offset, const std::string& what) const {
  throw ModelFileError(where_, "malformed protobuf at byte " + std::to_string(baseOffset_ + offset) + ": " + what +
                                   "; the file is truncated or not what it claims to be");
}

std::uint64_t ProtobufReader::readVarint(const char* what) {
  const std::size_t start = pos_;
  std::uint64_t value = 0;
  for (int i = 0; i < kMaxVarintBytes; ++i) {
    if (pos_ >= size_) fail(start, std::string("the message ends inside a varint (") + what + ")");
    const std::uint8_t b = data_[pos_++];
    value |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);  // i = 9: only bit 63 fits, the rest falls off
    if ((b & 0x80) == 0) return value;
  }
  fail(start, std::string("a varint longer than 10 bytes (") + what + ")");
}

bool ProtobufReader::next(ProtobufField& field) {
  if (pos_ >= size_) return false;
  const std::size_t start = pos_;
  const std::uint64_t tag = readVarint("a field tag");
  const std::uint64_t number = tag >> 3;
  const auto type = static_cast<std::uint8_t>(tag & 7);
  if (number == 0 || number > kMaxFieldNumber)
    fail(start, "field number " + std::to_string(number) + " is out of range 1.." + std::to_string(kMaxFieldNumber));
  field = ProtobufField{};
  field.number = static_cast<std::uint32_t>(number);
  field.offset = baseOffset_ + start;
  switch (type) {
    case 0:
      field.type = WireType::Varint;
      field.value = readVarint("a varint field");
      break;
    case 1:
      field.type = WireType::Fixed64;
      if (size_ - pos_ < 8) fail(start, "a 64-bit field runs past the end of its message");
      field.value = loadLE<std::uint64_t>(data_ + pos_);
      pos_ += 8;
      break;
    case 2: {
      field.type = WireType::Bytes;
      const std::size_t lengthAt = pos_;
      const std::uint64_t length = readVarint("a length");
      if (length > size_ - pos_)
        fail(lengthAt, "field " + std::to_string(number) + " claims " + byteCount(length) + " but its message has " +
                           byteCount(size_ - pos_) + " left");
      field.bytes = std::string_view(reinterpret_cast<const char*>(data_ + pos_), static_cast<std::size_t>(length));
      pos_ += static_cast<std::size_t>(length);
      break;
    }
    case 5:
      field.type = WireType::Fixed32;
      if (size_ - pos_ < 4) fail(start, "a 32-bit field runs past the end of its message");
      field.value = loadLE<std::uint32_t>(data_ + pos_);
      pos_ += 4;
      break;
    default:
      fail(start, "field " + std::to_string(number) + " has wire type " + std::to_string(type) +
                      (type == 3 || type == 4 ? " (a group, which this reader does not accept)" : " (no such type)"));
  }
  return true;
}

void ProtobufReader::requireType(const ProtobufField& field, WireType type, const char* name) const {
  if (field.type != type)
    throw ModelFileError(where_, std::string("malformed protobuf at byte ") + std::to_string(field.offset) + ": " +
                                     name + " (field " + std::to_string(field.number) + ") should be " +
                                     wireTypeName(type) + " but is " + wireTypeName(field.type) +
                                     "; the file is not what it claims to be");
}

ProtobufReader ProtobufReader::child(const ProtobufField& field, const char* name) const {
  requireType(field, WireType::Bytes, name);
  if (depth_ + 1 > kMaxProtobufDepth)
    fail(field.offset - baseOffset_, std::string(name) + " nests messages deeper than " +
                                         std::to_string(kMaxProtobufDepth) + " levels");
  const auto* start = reinterpret_cast<const std::uint8_t*>(field.bytes.data());
  return ProtobufReader(start, field.bytes.size(), where_, baseOffset_ + static_cast<std::size_t>(start - data_),
                        depth_ + 1);
}

std::int32_t ProtobufReader::int32(const ProtobufField& field, const char* name) const {
  requireType(field, WireType::Varint, name);
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(field.value));  // protobuf truncates to 32 bits
}

bool ProtobufReader::boolean(const ProtobufField& field, const char* name) const {
  requireType(field, WireType::Varint, name);
  return field.value != 0;
}

float ProtobufReader::float32(const ProtobufField& field, const char* name) const {
  requireType(field, WireType::Fixed32, name);
  return std::bit_cast<float>(static_cast<std::uint32_t>(field.value));
}

std::string_view ProtobufReader::bytes(const ProtobufField& field, const char* name) const {
  requireType(field, WireType::Bytes, name);
  return field.bytes;
}

}  // namespace attnviz::io
