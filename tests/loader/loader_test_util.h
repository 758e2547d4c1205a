// Shared helpers of the loader tests: paths into tests/data/loader, reading a file into Bytes (to test the
// from-memory readers), writing safetensors, and checking that a call fails with a ModelFileError carrying given message parts.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/tensor.h"
#include "engine/io/bytes.h"

namespace attnviz::test {

inline std::string loaderData(const std::string& relative) {
  return std::string(ATTNVIZ_TEST_DATA) + "/loader/" + relative;
}

// The file's bytes in memory, labelled with its path (as if QuaZip had pulled it out of a zip).
inline Bytes fileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(in.good() || in.eof()) << "cannot read " << path;
  return Bytes::fromVector(std::move(data), path);
}

// F32 safetensors of the given tensors, in the given order.
inline void writeSafetensors(const std::string& path, const std::vector<std::pair<std::string, Tensor>>& tensors) {
  std::string header = "{";
  std::size_t offset = 0;
  for (const auto& [name, t] : tensors) {
    std::string shape;
    for (auto d : t.shape()) shape += (shape.empty() ? "" : ",") + std::to_string(d);
    const std::size_t bytes = static_cast<std::size_t>(t.numel()) * sizeof(float);
    header += (header.size() > 1 ? "," : "") + std::string("\"") + name + "\":{\"dtype\":\"F32\",\"shape\":[" + shape +
              "],\"data_offsets\":[" + std::to_string(offset) + "," + std::to_string(offset + bytes) + "]}";
    offset += bytes;
  }
  header += "}";
  while (header.size() % 8) header += ' ';
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const std::uint64_t size = header.size();
  out.write(reinterpret_cast<const char*>(&size), 8);
  out << header;
  for (const auto& [name, t] : tensors) out.write(reinterpret_cast<const char*>(t.data()), t.numel() * 4);
}

// Success when fn throws a ModelFileError whose "where: what" contains every part; anything else
// (no throw, another exception type, a message lacking a part) is a failure that prints what happened.
inline ::testing::AssertionResult failsWith(const std::function<void()>& fn, const std::vector<std::string>& parts) {
  try {
    fn();
  } catch (const ModelFileError& e) {
    const std::string message = e.message();
    for (const std::string& part : parts)
      if (message.find(part) == std::string::npos)
        return ::testing::AssertionFailure() << "message lacks \"" << part << "\":\n  " << message;
    return ::testing::AssertionSuccess() << message;
  } catch (const Error& e) {
    return ::testing::AssertionFailure() << "threw " << kindName(e.kind()) << " instead of a model file error: "
                                         << e.message();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw a non-attnviz exception: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}

// One deliberately broken file and the parts its error message must contain (besides its path).
struct BrokenCase {
  const char* file;  // relative to tests/data/loader
  std::vector<std::string> message;
};

// Test name of a case: the file name with every non-alphanumeric character as '_'.
inline std::string brokenCaseName(const ::testing::TestParamInfo<BrokenCase>& info) {
  std::string name = info.param.file;
  name = name.substr(name.find('/') + 1);
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

// Both the path reader and the from-memory reader refuse the file with a message naming it.
template <class Read>
void expectRefusedBothWays(const BrokenCase& c, Read read) {
  const std::string path = loaderData(c.file);
  std::vector<std::string> parts = c.message;
  parts.insert(parts.begin(), path);  // the message always names the file
  EXPECT_TRUE(failsWith([&] { read(path); }, parts));
  EXPECT_TRUE(failsWith([&] { read(fileBytes(path)); }, parts));
}

inline void expectValues(const Tensor& t, const Shape& shape, const std::vector<float>& values) {
  EXPECT_EQ(shapeString(t.shape()), shapeString(shape));
  ASSERT_EQ(t.numel(), static_cast<std::int64_t>(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ(t.values()[i], values[i]) << "at flat index " << i;
}

inline bool viewsInto(const Tensor& t, const Bytes& b) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(t.data());
  return p >= b.data() && p < b.data() + b.size();
}

// The values the generator writes (make_loader_data.py: A and B).
inline const std::vector<float> kA = {-1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 1.5f};  // [2, 3]
inline const std::vector<float> kB = {3.0f, -4.0f, 1e-3f, 7.25f};             // [4]

}  // namespace attnviz::test
