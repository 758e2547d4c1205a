#include "engine/api/json_writer.h"

#include <charconv>
#include <cmath>

namespace attnviz {

void JsonWriter::separate() {
  if (afterKey_) {
    afterKey_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

void JsonWriter::beginObject() { separate(); out_ += '{'; first_.push_back(true); }
void JsonWriter::endObject() { out_ += '}'; first_.pop_back(); }
void JsonWriter::beginArray() { separate(); out_ += '['; first_.push_back(true); }
void JsonWriter::endArray() { out_ += ']'; first_.pop_back(); }

void JsonWriter::key(std::string_view name) {
  string(name);
  out_ += ':';
  afterKey_ = true;
}

void JsonWriter::string(std::string_view value) {
  separate();
  out_ += '"';
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          static const char* hex = "0123456789abcdef";
          out_ += "\\u00";
          out_ += hex[c >> 4];
          out_ += hex[c & 15];
        } else {
          out_ += ch;  // UTF-8 passes through; inputs are validated before they get here
        }
    }
  }
  out_ += '"';
}

namespace {
// Shortest round-trip text of a float or double (std::to_chars); JSON has no NaN or infinity: null.
template <class Real>
void appendReal(std::string& out, Real value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}
}  // namespace

void JsonWriter::number(double value) {
  separate();
  appendReal(out_, value);
}

void JsonWriter::number(float value) {
  separate();
  appendReal(out_, value);
}

void JsonWriter::number(std::int64_t value) {
  separate();
  out_ += std::to_string(value);
}

void JsonWriter::boolean(bool value) { separate(); out_ += value ? "true" : "false"; }
void JsonWriter::null() { separate(); out_ += "null"; }

void JsonWriter::strings(const std::vector<std::string>& values) {
  beginArray();
  for (const auto& v : values) string(v);
  endArray();
}

void JsonWriter::numbers(const std::vector<float>& values) {
  beginArray();
  for (float v : values) number(v);
  endArray();
}

void JsonWriter::tensor(const Tensor& t) {
  if (t.rank() == 0) {
    number(t.empty() ? 0.0f : t.data()[0]);
    return;
  }
  tensorAt(t, 0, 0, t.numel() / std::max<std::int64_t>(t.dim(0), 1));
}

void JsonWriter::tensorAt(const Tensor& t, int axis, std::int64_t offset, std::int64_t stride) {
  beginArray();
  const std::int64_t n = t.dim(axis);
  const bool last = axis == t.rank() - 1;
  for (std::int64_t i = 0; i < n; ++i) {
    if (last) {
      number(t.data()[offset + i]);
    } else {
      const std::int64_t inner = stride / std::max<std::int64_t>(t.dim(axis + 1), 1);
      tensorAt(t, axis + 1, offset + i * stride, inner);
    }
  }
  endArray();
}

}  // namespace attnviz
