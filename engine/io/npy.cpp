// NumPy .npy reader. Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
//   "\x93NUMPY" major minor, header length (uint16 in v1, uint32 in v2/v3), a Python dict literal
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } padded with spaces and '\n', then raw data.
// The header is parsed by a small literal parser that accepts only strings, booleans and integer tuples:
// nothing in it is ever evaluated, and object arrays ('|O', which hold pickles) are refused.
#include <cstdio>
#include <cstring>
#include <limits>

#include "engine/core/error.h"
#include "engine/io/binary.h"
#include "engine/io/tensor_files.h"

namespace attnviz {

namespace {

constexpr std::uint8_t kMagic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr std::size_t kMagicSize = sizeof kMagic;
constexpr const char* kFixHint = "save it again with numpy.save(path, np.ascontiguousarray(arr, dtype=np.float32))";

enum class Elem { F16, F32, F64, Bool, I8, U8, I16, U16, I32, U32, I64, U64 };

struct NpyDType {
  const char* descr;
  Elem elem;
  std::size_t size;
};

// The dtypes attnviz converts to f32. Little-endian only ('|' marks single-byte types, where order is moot).
constexpr NpyDType kDTypes[] = {
    {"<f2", Elem::F16, 2}, {"<f4", Elem::F32, 4}, {"<f8", Elem::F64, 8},  {"|b1", Elem::Bool, 1},
    {"|i1", Elem::I8, 1},  {"|u1", Elem::U8, 1},  {"<i2", Elem::I16, 2}, {"<u2", Elem::U16, 2},
    {"<i4", Elem::I32, 4}, {"<u4", Elem::U32, 4}, {"<i8", Elem::I64, 8}, {"<u8", Elem::U64, 8},
};

// One value of the header dict. Tuples hold only non-negative integers (a shape); anything else is `Other`.
struct PyValue {
  enum Kind { String, Bool, Tuple, Other } kind = Other;
  std::string text;  // String; for Other a short description ("a list")
  bool flag = false;
  Shape ints;
};

// Parses the header dict literal, throwing ModelFileError(where, ...) at the first unexpected character.
class HeaderParser {
 public:
  HeaderParser(const char* begin, const char* end, std::string where) : begin_(begin), p_(begin), end_(end), where_(std::move(where)) {}

  std::vector<std::pair<std::string, PyValue>> parseDict() {
    std::vector<std::pair<std::string, PyValue>> items;
    expect('{');
    while (true) {
      skipSpace();
      if (peek() == '}') break;
      std::string key = parseString();
      expect(':');
      PyValue value = parseValue();
      items.emplace_back(std::move(key), std::move(value));
      skipSpace();
      if (peek() == ',') {
        ++p_;
        continue;
      }
      if (peek() != '}') fail("',' or '}'");
    }
    ++p_;
    skipSpace();
    if (p_ != end_) fail("the end of the header");
    return items;
  }

 private:
  char peek() const { return p_ < end_ ? *p_ : '\0'; }
  void skipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\t' || *p_ == '\r')) ++p_;
  }
  [[noreturn]] void fail(const std::string& expected) const {
    std::string found = p_ < end_ ? "'" + std::string(1, *p_) + "'" : "the end of the header";
    if (p_ < end_ && (static_cast<unsigned char>(*p_) < 0x20 || static_cast<unsigned char>(*p_) >= 0x7f)) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(*p_));
      found = std::string("byte ") + hex;
    }
    throw ModelFileError(where_, "the .npy header is malformed: expected " + expected + ", found " + found +
                                     " at header character " + std::to_string(p_ - begin_) + "; " + kFixHint);
  }
  void expect(char c) {
    skipSpace();
    if (peek() != c) fail(std::string("'") + c + "'");
    ++p_;
  }
  std::string parseString() {
    skipSpace();
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("a quoted string");
    ++p_;
    const char* start = p_;
    while (p_ < end_ && *p_ != quote) {
      if (*p_ == '\\') fail("a string without escapes");
      ++p_;
    }
    if (p_ >= end_) fail("a closing quote");
    std::string s(start, p_);
    ++p_;
    return s;
  }
  bool matchWord(const char* word) {
    const std::size_t n = std::strlen(word);
    if (static_cast<std::size_t>(end_ - p_) >= n && std::memcmp(p_, word, n) == 0) {
      p_ += n;
      return true;
    }
    return false;
  }
  std::int64_t parseInt() {
    skipSpace();
    if (peek() < '0' || peek() > '9') fail("a non-negative integer");
    std::int64_t v = 0;
    while (peek() >= '0' && peek() <= '9') {
      const int digit = *p_ - '0';
      if (v > (std::numeric_limits<std::int64_t>::max() - digit) / 10) fail("an integer that fits in 64 bits");
      v = v * 10 + digit;
      ++p_;
    }
    if (peek() == 'L') ++p_;  // Python 2 long literal, written by old numpy versions
    return v;
  }
  PyValue parseValue() {
    skipSpace();
    PyValue v;
    const char c = peek();
    if (c == '\'' || c == '"') {
      v.kind = PyValue::String;
      v.text = parseString();
    } else if (matchWord("True")) {
      v.kind = PyValue::Bool;
      v.flag = true;
    } else if (matchWord("False")) {
      v.kind = PyValue::Bool;
      v.flag = false;
    } else if (c == '(') {
      ++p_;
      v.kind = PyValue::Tuple;
      skipSpace();
      while (peek() != ')') {
        v.ints.push_back(parseInt());
        skipSpace();
        if (peek() == ',') {
          ++p_;
          skipSpace();
        } else if (peek() != ')') {
          fail("',' or ')'");
        }
      }
      ++p_;
    } else if (c == '[') {
      // A list descr is a structured dtype (record array). Skip it with bracket matching, to refuse it by name.
      v.kind = PyValue::Other;
      v.text = "a structured dtype (a list of fields)";
      int depth = 0;
      do {
        if (p_ >= end_) fail("a closing ']'");
        if (*p_ == '[') ++depth;
        if (*p_ == ']') --depth;
        ++p_;
      } while (depth > 0);
    } else {
      fail("a string, True, False or a tuple");
    }
    return v;
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  std::string where_;
};

template <typename T>
void convertInto(const std::uint8_t* src, std::int64_t n, float* dst) {
  for (std::int64_t i = 0; i < n; ++i) dst[i] = static_cast<float>(io::loadLE<T>(src + i * sizeof(T)));
}

void convert(Elem elem, const std::uint8_t* src, std::int64_t n, float* dst) {
  switch (elem) {
    case Elem::F16:
      for (std::int64_t i = 0; i < n; ++i) dst[i] = io::halfToFloat(io::loadLE<std::uint16_t>(src + 2 * i));
      return;
    case Elem::F32: std::memcpy(dst, src, static_cast<std::size_t>(n) * 4); return;
    case Elem::F64: convertInto<double>(src, n, dst); return;
    case Elem::Bool:
      for (std::int64_t i = 0; i < n; ++i) dst[i] = src[i] != 0 ? 1.0f : 0.0f;
      return;
    case Elem::I8: convertInto<std::int8_t>(src, n, dst); return;
    case Elem::U8: convertInto<std::uint8_t>(src, n, dst); return;
    case Elem::I16: convertInto<std::int16_t>(src, n, dst); return;
    case Elem::U16: convertInto<std::uint16_t>(src, n, dst); return;
    case Elem::I32: convertInto<std::int32_t>(src, n, dst); return;
    case Elem::U32: convertInto<std::uint32_t>(src, n, dst); return;
    case Elem::I64: convertInto<std::int64_t>(src, n, dst); return;
    case Elem::U64: convertInto<std::uint64_t>(src, n, dst); return;
  }
}

const NpyDType& lookupDType(const std::string& descr, const std::string& where) {
  for (const NpyDType& d : kDTypes)
    if (descr == d.descr) return d;
  if (descr.size() >= 2 && descr[1] == 'O')
    throw ModelFileError(where, "the array holds Python objects (dtype '" + descr +
                                    "'): reading it would mean unpickling, which attnviz never does; store numbers "
                                    "instead and " + kFixHint);
  std::string why;
  if (!descr.empty() && descr[0] == '>') why = " (big-endian)";
  throw ModelFileError(where, "dtype '" + descr + "'" + why +
                                  " is not supported: attnviz reads little-endian float16/32/64, bool and integer "
                                  "arrays ('<f4', '<f2', '<f8', '<i4', '<i8', '|u1', ...); " + kFixHint);
}

}  // namespace

NpyArray readNpyArray(const Bytes& bytes, WeightsOrigin origin) {
  const std::string& where = bytes.label();
  std::uint8_t* data = bytes.data();
  const std::size_t size = bytes.size();
  io::requireWeightsFormat(data, size, size, io::WeightsFormat::Npy, where, origin);

  if (size < kMagicSize + 2 || std::memcmp(data, kMagic, kMagicSize) != 0)
    throw ModelFileError(where, "not a .npy file: it does not start with the magic \"\\x93NUMPY\" (found " +
                                    io::byteCount(size) + " of something else); " + kFixHint);
  const int major = data[6];
  const int minor = data[7];
  std::size_t headerLength = 0;
  std::size_t headerStart = 0;
  if (major == 1) {
    if (size < 10) throw ModelFileError(where, "the file is truncated inside the .npy preamble: " + refetchRemedy(origin));
    headerLength = io::loadLE<std::uint16_t>(data + 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (size < 12) throw ModelFileError(where, "the file is truncated inside the .npy preamble: " + refetchRemedy(origin));
    headerLength = io::loadLE<std::uint32_t>(data + 8);
    headerStart = 12;
  } else {
    throw ModelFileError(where, ".npy format version " + std::to_string(major) + "." + std::to_string(minor) +
                                    " is not supported (1.0, 2.0 and 3.0 are); " + kFixHint);
  }
  // Bound the header by the file before touching it.
  if (headerLength > size - headerStart)
    throw ModelFileError(where, "header size " + std::to_string(headerLength) + " is larger than the file (" +
                                    io::byteCount(size) + "); the file is truncated or not a .npy file: " +
                                    refetchRemedy(origin));

  const char* headerBegin = reinterpret_cast<const char*>(data + headerStart);
  HeaderParser parser(headerBegin, headerBegin + headerLength, where);
  const auto items = parser.parseDict();

  const PyValue* descr = nullptr;
  const PyValue* fortran = nullptr;
  const PyValue* shapeValue = nullptr;
  for (const auto& [key, value] : items) {
    const PyValue** slot = key == "descr" ? &descr : key == "fortran_order" ? &fortran : key == "shape" ? &shapeValue : nullptr;
    if (slot == nullptr)
      throw ModelFileError(where, "the .npy header has an unexpected key '" + key +
                                      "' (expected 'descr', 'fortran_order' and 'shape'); " + kFixHint);
    if (*slot != nullptr) throw ModelFileError(where, "the .npy header repeats the key '" + key + "'");
    *slot = &value;
  }
  if (!descr || !fortran || !shapeValue)
    throw ModelFileError(where, std::string("the .npy header lacks the key '") +
                                    (!descr ? "descr" : !fortran ? "fortran_order" : "shape") + "'; " + kFixHint);
  if (descr->kind != PyValue::String)
    throw ModelFileError(where, descr->text + " is not supported, only plain numeric dtypes such as '<f4'; " + kFixHint);
  if (fortran->kind != PyValue::Bool) throw ModelFileError(where, "'fortran_order' is not True or False");
  if (shapeValue->kind != PyValue::Tuple) throw ModelFileError(where, "'shape' is not a tuple of integers");

  const NpyDType& dtype = lookupDType(descr->text, where);
  if (fortran->flag)
    throw ModelFileError(where, "the array is stored in Fortran (column-major) order, attnviz reads C order only; "
                                "save np.ascontiguousarray(arr) instead");

  const Shape& shape = shapeValue->ints;
  const std::int64_t numel = io::fileShapeNumel(shape, where);
  std::uint64_t needed = 0;
  if (io::mulOverflows(static_cast<std::uint64_t>(numel), dtype.size, needed))
    throw ModelFileError(where, "shape " + shapeString(shape) + " of '" + dtype.descr + "' needs more bytes than exist");
  const std::size_t dataStart = headerStart + headerLength;
  const std::size_t present = size - dataStart;
  if (needed != present)
    throw ModelFileError(where, "shape " + shapeString(shape) + " of '" + dtype.descr + "' needs " +
                                    io::byteCount(needed) + " of data, the file holds " + io::byteCount(present) +
                                    (needed > present ? "; the file is truncated: " + refetchRemedy(origin)
                                                      : "; the file has trailing bytes: " + std::string(kFixHint)));

  std::uint8_t* values = data + dataStart;
  // f32 at a 4-byte aligned address (numpy pads headers to 64 bytes, so the usual case) is used in place:
  // the tensor views the mapping or buffer and keeps it alive.
  if (dtype.elem == Elem::F32 && reinterpret_cast<std::uintptr_t>(values) % alignof(float) == 0)
    return {Tensor::view(reinterpret_cast<float*>(values), shape, bytes.owner()), dtype.descr};
  Tensor t(shape);
  convert(dtype.elem, values, numel, t.data());
  return {t, dtype.descr};
}

Tensor readNpy(const Bytes& bytes, WeightsOrigin origin) { return readNpyArray(bytes, origin).tensor; }

Tensor readNpy(const std::string& path, std::uint64_t maxBytes, WeightsOrigin origin) {
  return readNpy(Bytes::mapFile(path, maxBytes, Bytes::modelFileLimitHint()), origin);
}

}  // namespace attnviz
