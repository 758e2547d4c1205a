// A small streaming JSON writer for traces and `attnviz info --json`: strings escaped, floats in their
// shortest round-trip form (std::to_chars), NaN and infinities written as null (JSON has no such numbers).
//
//   JsonWriter w;  w.beginObject(); w.key("kind"); w.string("encoder"); w.endObject();  w.str() == {"kind":"encoder"}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/tensor.h"

namespace attnviz {

class JsonWriter {
 public:
  void beginObject();
  void endObject();
  void beginArray();
  void endArray();
  void key(std::string_view name);
  void string(std::string_view value);
  void number(double value);
  void number(std::int64_t value);
  void number(float value);  // shortest float form: 0.1f prints as 0.1, not 0.10000000149011612
  void boolean(bool value);
  void null();
  void strings(const std::vector<std::string>& values);
  void numbers(const std::vector<float>& values);
  void tensor(const Tensor& t);  // nested arrays following the shape
  const std::string& str() const { return out_; }

 private:
  void separate();
  void tensorAt(const Tensor& t, int axis, std::int64_t offset, std::int64_t stride);
  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool afterKey_ = false;
};

}  // namespace attnviz
