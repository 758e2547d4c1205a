// Readers for the WPT 2003 word-alignment files: gold links (dev.wa.nonullalign) and the pre-tokenised
// sentence files (dev.e, dev.f). Both come from outside: sizes are bounded and every malformed line is an
// InputError naming file:line.
#include <charconv>
#include <string_view>

#include "engine/align/alignment.h"
#include "engine/core/error.h"
#include "engine/core/text_file.h"
#include "engine/core/utf8.h"

namespace attnviz {

namespace {

constexpr std::size_t kMaxQuotedBytes = 60;  // how much of a bad line an error message shows
constexpr const char* kWptLineShape = "expected \"sentence source target [S|P] [confidence]\"";

std::string readBoundedFile(const std::string& path) {
  return readTextFile(path, kMaxAlignmentFileBytes, "alignment and sentence files");
}

// Calls f(line, lineNo) for every line; the final newline ends the last line rather than starting one.
template <typename F>
void forEachLine(std::string_view text, F&& f) {
  std::size_t start = 0;
  int lineNo = 1;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    f(line, lineNo);
    start = end + 1;
    ++lineNo;
  }
}

std::vector<std::string_view> splitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

// The line as a message shows it: at most kMaxQuotedBytes, control and non-ASCII bytes as '?'.
std::string quoted(std::string_view line) {
  std::string out = "\"";
  for (std::size_t i = 0; i < line.size() && i < kMaxQuotedBytes; ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    out += (c >= 0x20 && c < 0x7F) ? static_cast<char>(c) : '?';
  }
  if (line.size() > kMaxQuotedBytes) out += "...";
  return out + "\"";
}

int parsePosition(std::string_view field, const char* what, const std::string& where) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec == std::errc::result_out_of_range || (ec == std::errc() && value > kMaxWptNumber))
    throw InputError(where, std::string(what) + " " + quoted(field) + " is too large (at most " +
                                std::to_string(kMaxWptNumber) + ")");
  if (ec != std::errc() || end != field.data() + field.size())
    throw InputError(where, std::string(what) + " " + quoted(field) + " is not a whole number; " + kWptLineShape);
  if (value == 0 && std::string_view(what) != "sentence")
    throw InputError(where, std::string(what) + " position 0 is the NULL word, which this reader does not take "
                                "(positions are 1-based; use the .nonullalign gold file)");
  if (value < 1) throw InputError(where, std::string(what) + " " + quoted(field) + " must be 1 or more (1-based)");
  return static_cast<int>(value);
}

void checkConfidence(std::string_view field, const std::string& where) {
  double value = 0;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec != std::errc() || end != field.data() + field.size() || !(value >= 0.0 && value <= 1.0))
    throw InputError(where, "confidence " + quoted(field) + " is not a number from 0 to 1");
}

}  // namespace

std::map<int, GoldAlignment> parseWptAlignments(const std::string& text, const std::string& where) {
  std::map<int, GoldAlignment> gold;
  forEachLine(text, [&](std::string_view line, int lineNo) {
    const std::string at = where + ":" + std::to_string(lineNo);
    const std::vector<std::string_view> fields = splitFields(line);
    if (fields.empty()) return;
    if (fields.size() < 3 || fields.size() > 5) throw InputError(at, std::string(kWptLineShape) + ", got " + quoted(line));
    const int sentence = parsePosition(fields[0], "sentence", at);
    const int source = parsePosition(fields[1], "source", at);
    const int target = parsePosition(fields[2], "target", at);
    bool sure = true;
    if (fields.size() >= 4) {
      if (fields[3] == "P") sure = false;
      else if (fields[3] != "S") throw InputError(at, "label " + quoted(fields[3]) + " is not S (sure) or P (possible)");
    }
    if (fields.size() == 5) checkConfidence(fields[4], at);
    GoldAlignment& g = gold[sentence];
    const Link link{source - 1, target - 1};
    g.possible.insert(link);
    if (sure) g.sure.insert(link);
  });
  return gold;
}

std::map<int, GoldAlignment> readWptAlignments(const std::string& path) {
  return parseWptAlignments(readBoundedFile(path), path);
}

void checkGoldWithin(const GoldAlignment& gold, int sourceWords, int targetWords, const std::string& where) {
  for (const auto& [s, t] : gold.possible) {
    if (s >= sourceWords || t >= targetWords)
      throw InputError(where, "gold link " + std::to_string(s + 1) + " " + std::to_string(t + 1) +
                                  " is outside the sentence pair (" + std::to_string(sourceWords) + " source words, " +
                                  std::to_string(targetWords) + " target words)");
  }
}

std::vector<std::vector<std::string>> parseSentences(const std::string& text, const std::string& where) {
  std::vector<std::vector<std::string>> sentences;
  forEachLine(text, [&](std::string_view line, int lineNo) {
    const std::string at = where + ":" + std::to_string(lineNo);
    if (auto bad = firstInvalidUtf8(line)) throw InputError(at, "invalid UTF-8 at byte " + std::to_string(*bad + 1));
    const std::vector<std::string_view> fields = splitFields(line);
    if (fields.empty()) throw InputError(at, "has no words (one pre-tokenised sentence per line; line N is pair N)");
    sentences.emplace_back(fields.begin(), fields.end());
  });
  return sentences;
}

std::vector<std::vector<std::string>> readSentences(const std::string& path) {
  return parseSentences(readBoundedFile(path), path);
}

}  // namespace attnviz
