#include "engine/core/token_ids.h"

#include <charconv>

#include "engine/core/error.h"
#include "engine/core/limits.h"

namespace attnviz {

namespace {

constexpr std::int64_t kMaxTokenId = std::int64_t{1} << 40;

bool isSeparator(char c) { return c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::vector<std::int64_t> parseTokenIds(std::string_view text, const std::string& where) {
  std::vector<std::int64_t> ids;
  std::size_t i = 0;
  while (i < text.size()) {
    if (isSeparator(text[i])) {
      ++i;
      continue;
    }
    std::int64_t id = 0;
    const char* begin = text.data() + i;
    auto [end, ec] = std::from_chars(begin, text.data() + text.size(), id);
    if (ec != std::errc() || end == begin || id < 0 || id > kMaxTokenId || (end != text.data() + text.size() && !isSeparator(*end)))
      throw InputError(where, "expects token ids, whole numbers from 0 separated by spaces or commas (e.g. \"101 7592 102\"), "
                              "got \"" + std::string(text.substr(0, 80)) + (text.size() > 80 ? "..." : "") + "\"");
    ids.push_back(id);
    if (ids.size() > static_cast<std::size_t>(kMaxTokensLimit.max))
      throw InputError(where, "has more than " + limitText(kMaxTokensLimit, kMaxTokensLimit.max) + " token ids");
    i = static_cast<std::size_t>(end - text.data());
  }
  if (ids.empty()) throw InputError(where, "expects at least one token id, e.g. \"101 7592 102\"");
  return ids;
}

TypedTokenIds parseTypedTokenIds(std::string_view text, const std::string& where) {
  const std::size_t bar = text.find('|');
  TypedTokenIds out;
  out.ids = parseTokenIds(text.substr(0, bar), where);
  if (bar == std::string_view::npos) return out;
  out.types = parseTokenIds(text.substr(bar + 1), where + " (segment ids after |)");
  if (out.types.size() != out.ids.size())
    throw InputError(where, "has " + std::to_string(out.types.size()) + " segment ids after | for " +
                                std::to_string(out.ids.size()) + " token ids; give one per token");
  return out;
}

}  // namespace attnviz
