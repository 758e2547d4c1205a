// Internal to engine/io: little-endian reads from untrusted bytes and the half-precision conversions the
// readers share. Callers check bounds first; these helpers only decode.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

#include "engine/core/error.h"
#include "engine/core/tensor.h"

namespace attnviz::io {

// Every reader copies or views file bytes as host values; the formats are little-endian.
static_assert(std::endian::native == std::endian::little, "engine/io assumes a little-endian host");

template <typename T>
T loadLE(const std::uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);  // memcpy: p has no alignment guarantee
  return v;
}

// IEEE 754 binary16 -> binary32, exact (every half is representable as a float), subnormals included.
inline float halfToFloat(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exponent = (h >> 10) & 0x1fu;
  std::uint32_t mantissa = h & 0x3ffu;
  std::uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);  // inf or nan
  } else if (exponent != 0) {
    bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;  // signed zero
  } else {
    // Subnormal half: shift the mantissa up until its leading 1 is the implicit bit.
    int e = 127 - 15 + 1;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --e;
    }
    bits = sign | (static_cast<std::uint32_t>(e) << 23) | ((mantissa & 0x3ffu) << 13);
  }
  return std::bit_cast<float>(bits);
}

// bfloat16 is the top half of a binary32.
inline float bf16ToFloat(std::uint16_t b) { return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16); }

// a * b, or false when it overflows uint64.
inline bool mulOverflows(std::uint64_t a, std::uint64_t b, std::uint64_t& out) {
  return __builtin_mul_overflow(a, b, &out);
}

// Byte counts in messages are exact, never rounded: "4096 bytes".
inline std::string byteCount(std::uint64_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

// Element count of a shape read from a file: an overflow is the file's fault (ModelFileError naming `where`),
// not a broken invariant, so shapeNumel's InternalError is translated.
inline std::int64_t fileShapeNumel(const Shape& shape, const std::string& where) {
  for (std::int64_t d : shape)
    if (d < 0) throw ModelFileError(where, "shape " + shapeString(shape) + " has a negative dimension");
  try {
    return shapeNumel(shape);
  } catch (const InternalError&) {
    throw ModelFileError(where, "shape " + shapeString(shape) + " has more elements than a 64-bit count can hold; "
                                "the file is corrupt");
  }
}

}  // namespace attnviz::io
