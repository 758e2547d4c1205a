#include "engine/core/limits.h"

#include <string_view>

#include "engine/core/error.h"

namespace attnviz {

namespace {

// 4096 -> "4,096"
std::string grouped(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return (n < 0 ? "-" : "") + digits;
}

// By name: each translation unit may hold its own copy of the option's string literal.
bool isBytes(const LimitRange& range) { return std::string_view(range.option) == kMaxModelFileBytesLimit.option; }

}  // namespace

std::string limitText(const LimitRange& range, std::int64_t value) {
  if (!isBytes(range)) return grouped(value);
  constexpr const char* kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (unit < 4 && value >= 1024 && value % 1024 == 0) value /= 1024, ++unit;
  return grouped(value) + " " + kUnits[unit];
}

std::string limitNote(const LimitRange& range) {
  return std::string("the limit of ") + range.what + "; change it with " + range.option + ", or Run > Limits in the GUI";
}

std::int64_t checkLimit(const LimitRange& range, std::int64_t value, const std::string& where) {
  if (value < range.min || value > range.max)
    throw UsageError(where, std::string("the limit of ") + range.what + " must be from " + limitText(range, range.min) +
                                " to " + limitText(range, range.max) + ", got " + limitText(range, value));
  return value;
}

}  // namespace attnviz
