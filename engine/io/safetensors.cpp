#include "engine/io/safetensors.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <algorithm>
#include <cstring>

#include "engine/core/error.h"
#include "engine/io/binary.h"
#include "engine/io/json_util.h"
#include "engine/io/tensor_files.h"

namespace attnviz {

namespace {

struct DTypeSize {
  const char* name;
  std::size_t size;
};

// Every dtype of the safetensors format, so that the header of any checkpoint can be checked and counted;
// only F32, F16 and BF16 are read into tensors.
constexpr DTypeSize kDTypes[] = {
    {"BOOL", 1}, {"U8", 1},  {"I8", 1},   {"F8_E5M2", 1}, {"F8_E4M3", 1}, {"I16", 2}, {"U16", 2}, {"F16", 2},
    {"BF16", 2}, {"I32", 4}, {"U32", 4}, {"F32", 4},     {"F64", 8},     {"I64", 8}, {"U64", 8},
};

std::string tensorWhere(const std::string& file, const std::string& name) { return file + ": tensor '" + name + "'"; }

std::uint64_t offsetValue(const QJsonValue& v, const std::string& where, const std::string& fix) {
  std::int64_t i = 0;
  if (!io::jsonToInt64(v, i) || i < 0)
    throw ModelFileError(where, "data_offsets holds " + io::jsonQuoted(v) + ", expected a non-negative integer; " + fix);
  return static_cast<std::uint64_t>(i);
}

io::SafetensorsEntry parseEntry(const std::string& name, const QJsonValue& value, std::uint64_t dataSize,
                                const std::string& file, WeightsOrigin origin) {
  const std::string where = tensorWhere(file, name);
  const std::string& fix = rewriteRemedy(origin);
  if (!value.isObject())
    throw ModelFileError(where, "header entry is " + io::jsonTypeName(value) +
                                    ", expected an object with dtype, shape and data_offsets; " + fix);
  const QJsonObject o = value.toObject();
  io::SafetensorsEntry e;
  e.name = name;

  const QJsonValue dtype = o.value(QStringLiteral("dtype"));
  if (!dtype.isString()) throw ModelFileError(where, "dtype is " + io::jsonQuoted(dtype) + ", expected a string; " + fix);
  e.dtype = dtype.toString().toStdString();
  for (const DTypeSize& d : kDTypes)
    if (e.dtype == d.name) e.dtypeSize = d.size;
  if (e.dtypeSize == 0) throw ModelFileError(where, "unknown dtype '" + e.dtype + "'; " + fix);

  const QJsonValue shape = o.value(QStringLiteral("shape"));
  if (!shape.isArray())
    throw ModelFileError(where, "shape is " + io::jsonQuoted(shape) + ", expected an array of integers; " + fix);
  for (const QJsonValue d : shape.toArray()) {
    std::int64_t n = 0;
    if (!io::jsonToInt64(d, n) || n < 0)
      throw ModelFileError(where, "shape holds " + io::jsonQuoted(d) + ", expected non-negative integers; " + fix);
    e.shape.push_back(n);
  }
  e.numel = io::fileShapeNumel(e.shape, where);

  const QJsonValue offsets = o.value(QStringLiteral("data_offsets"));
  if (!offsets.isArray() || offsets.toArray().size() != 2)
    throw ModelFileError(where, "data_offsets is " + io::jsonQuoted(offsets) + ", expected [begin, end]; " + fix);
  e.begin = offsetValue(offsets.toArray().at(0), where, fix);
  e.end = offsetValue(offsets.toArray().at(1), where, fix);
  const std::string range = "[" + std::to_string(e.begin) + ", " + std::to_string(e.end) + ")";
  if (e.begin > e.end) throw ModelFileError(where, "data " + range + " ends before it begins; " + fix);
  if (e.end > dataSize)
    throw ModelFileError(where, "data " + range + " is not within the file bounds (" + io::byteCount(dataSize) +
                                    " of data after the header); the file is truncated or corrupt: " + refetchRemedy(origin));
  std::uint64_t expected = 0;
  const bool overflow = io::mulOverflows(static_cast<std::uint64_t>(e.numel), e.dtypeSize, expected);
  if (overflow || expected != e.end - e.begin)
    throw ModelFileError(where, "data " + range + " holds " + io::byteCount(e.end - e.begin) + ", but shape " +
                                    shapeString(e.shape) + " of " + e.dtype + " needs " +
                                    (overflow ? std::string("more than 2^64 bytes") : io::byteCount(expected)) + "; " +
                                    fix);
  return e;
}

Tensor readEntry(const io::SafetensorsEntry& e, const Bytes& bytes, std::uint64_t dataStart, WeightsOrigin origin) {
  std::uint8_t* src = bytes.data() + dataStart + e.begin;
  if (e.dtype == "F32") {
    // Zero-copy when aligned: the tensor views the mapping (or buffer) and keeps it alive.
    if (reinterpret_cast<std::uintptr_t>(src) % alignof(float) == 0)
      return Tensor::view(reinterpret_cast<float*>(src), e.shape, bytes.owner());
    Tensor t(e.shape);
    std::memcpy(t.data(), src, static_cast<std::size_t>(e.numel) * sizeof(float));
    return t;
  }
  if (e.dtype == "F16" || e.dtype == "BF16") {
    Tensor t(e.shape);
    float* dst = t.data();
    const bool half = e.dtype == "F16";
    for (std::int64_t i = 0; i < e.numel; ++i) {
      const auto v = io::loadLE<std::uint16_t>(src + 2 * i);
      dst[i] = half ? io::halfToFloat(v) : io::bf16ToFloat(v);
    }
    return t;
  }
  throw ModelFileError(tensorWhere(bytes.label(), e.name),
                       "dtype " + e.dtype + " is not supported: attnviz reads F32, F16 and BF16 tensors; convert it to "
                           "float and " + rewriteRemedy(origin));
}

}  // namespace

namespace io {

std::uint64_t safetensorsHeaderLength(const std::uint8_t* data, std::size_t available, std::uint64_t fileSize,
                                      const std::string& where, WeightsOrigin origin) {
  requireWeightsFormat(data, available, fileSize, WeightsFormat::Safetensors, where, origin);
  if (fileSize < kSafetensorsPrefix || available < kSafetensorsPrefix)
    throw ModelFileError(where, "the file is " + byteCount(fileSize) +
                                    ", too short for a safetensors header (8-byte length, then JSON); the file is "
                                    "truncated or not a safetensors file: " + refetchRemedy(origin));
  const auto length = loadLE<std::uint64_t>(data);
  if (length > fileSize - kSafetensorsPrefix)
    throw ModelFileError(where, "header size " + std::to_string(length) + " is larger than the file (" +
                                    byteCount(fileSize) + "); the file is truncated or not a safetensors file: " +
                                    refetchRemedy(origin));
  if (length > kSafetensorsMaxHeader)
    throw ModelFileError(where, "header size " + std::to_string(length) + " is over the " +
                                    std::to_string(kSafetensorsMaxHeader) + "-byte limit of the format; " + rewriteRemedy(origin));
  return length;
}

SafetensorsHeader parseSafetensorsHeader(const std::uint8_t* data, std::size_t available, std::uint64_t fileSize,
                                         const std::string& where, WeightsOrigin origin) {
  const std::uint64_t length = safetensorsHeaderLength(data, available, fileSize, where, origin);
  if (available < kSafetensorsPrefix + length)
    throw InternalError(where, "parseSafetensorsHeader was given less than the whole header");
  SafetensorsHeader header;
  header.dataStart = kSafetensorsPrefix + length;
  header.dataSize = fileSize - header.dataStart;
  const QJsonObject root = parseJsonObject(reinterpret_cast<const char*>(data + kSafetensorsPrefix),
                                           static_cast<std::size_t>(length), where, rewriteRemedy(origin), "the header");
  for (auto it = root.begin(); it != root.end(); ++it) {
    const std::string name = it.key().toStdString();
    if (name == "__metadata__") continue;  // free-form strings (format, framework); nothing we need
    header.entries.push_back(parseEntry(name, it.value(), header.dataSize, where, origin));
  }
  // QJsonObject iterates keys alphabetically; the order of the data is the file's own order.
  std::stable_sort(header.entries.begin(), header.entries.end(),
                   [](const SafetensorsEntry& a, const SafetensorsEntry& b) { return a.begin < b.begin; });
  return header;
}

}  // namespace io

NamedTensors readSafetensors(const Bytes& bytes, WeightsOrigin origin) {
  const io::SafetensorsHeader header =
      io::parseSafetensorsHeader(bytes.data(), bytes.size(), bytes.size(), bytes.label(), origin);
  NamedTensors out;
  out.source = bytes.label();
  out.tensors.reserve(header.entries.size());
  for (const io::SafetensorsEntry& e : header.entries) out.tensors.emplace_back(e.name, readEntry(e, bytes, header.dataStart, origin));
  return out;
}

NamedTensors readSafetensors(const std::string& path, std::uint64_t maxBytes, WeightsOrigin origin) {
  return readSafetensors(Bytes::mapFile(path, maxBytes, Bytes::modelFileLimitHint()), origin);
}

}  // namespace attnviz
