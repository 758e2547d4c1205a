#include "app/export_items.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>

#include "app/cli_inputs.h"

namespace attnviz::cli {

namespace {

constexpr int kNumberDigits = 4;  // input-0001: sorts by number up to 9,999 inputs

std::string numbered(const std::string& base, int number) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%0*d", kNumberDigits, number);
  return base + "-" + digits;
}

// "reviews/cv001.txt" -> "cv001"; a name that is all suffix (".txt") stays whole; "-" (standard input) -> "stdin".
std::string stemOf(const std::string& path) {
  if (path == kStdinPath) return kStdinName;
  const std::string stem = std::filesystem::path(path).stem().string();
  return stem.empty() ? "input" : stem;
}

// Hands out names, each once: a name met again gets -2, -3, ... Compared without case, so that no two figures
// share a file on a file system that ignores case.
class NameBook {
 public:
  std::string claim(const std::string& wanted) {
    std::string name = wanted;
    for (int n = 2; !taken_.insert(lower(name)).second; ++n) name = wanted + "-" + std::to_string(n);
    return name;
  }

 private:
  static std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return s;
  }
  std::set<std::string> taken_;
};

}  // namespace

ExportPlan planExport(const std::vector<InputSpec>& specs) {
  ExportPlan plan;
  NameBook names;
  int textNo = 0, idsNo = 0;
  auto add = [&](ExportItem::Source source, std::string value, std::string origin, const std::string& name) {
    plan.items.push_back({source, std::move(value), {}, std::move(origin), names.claim(name)});
  };
  auto addGiven = [&](Input input, const std::string& name) {
    plan.items.push_back({ExportItem::Source::Given, {}, input, input.origin, names.claim(name)});
  };
  for (const InputSpec& spec : specs) {
    try {
      switch (spec.kind) {
        case InputSpec::Kind::Text:
          ++textNo;
          if (spec.textPair)
            addGiven(Input::fromTextPair(spec.value, *spec.textPair, "--text #" + std::to_string(textNo)), numbered("input", textNo));
          else
            add(ExportItem::Source::Text, spec.value, "--text #" + std::to_string(textNo), numbered("input", textNo));
          break;
        case InputSpec::Kind::TokenIds:
          ++idsNo;
          addGiven(Input::fromTokenIds(spec.tokenIds, spec.tokenTypeIds, "--token-ids #" + std::to_string(idsNo)),
                   numbered("ids", idsNo));
          break;
        case InputSpec::Kind::Pixels: {
          Input pixels = imageInput(spec.value);
          pixels.kind = Input::Kind::Pixels;
          addGiven(std::move(pixels), stemOf(spec.value));
          break;
        }
        case InputSpec::Kind::TextFile:
          add(ExportItem::Source::TextFile, spec.value, spec.value == kStdinPath ? kStdinName : spec.value, stemOf(spec.value));
          break;
        case InputSpec::Kind::TextDir:
          for (const std::string& file : listTextDir(spec.value)) add(ExportItem::Source::TextFile, file, file, stemOf(file));
          break;
        case InputSpec::Kind::Lines: {
          std::vector<Input> lines = readLinesFile(spec.value);
          if (lines.empty()) throw InputError(spec.value, "has no non-empty lines");
          for (Input& line : lines) {  // origin "FILE:LINE"
            const int lineNo = std::stoi(line.origin.substr(line.origin.rfind(':') + 1));
            add(ExportItem::Source::Text, std::move(line.text), line.origin, numbered(stemOf(spec.value), lineNo));
          }
          break;
        }
        case InputSpec::Kind::Image:
          add(ExportItem::Source::Image, spec.value, spec.value, stemOf(spec.value));
          break;
      }
    } catch (const InputError& e) {
      plan.unreadable.push_back(e);
    }
  }
  return plan;
}

Input readExportItem(const ExportItem& item) {
  switch (item.source) {
    case ExportItem::Source::Text: return Input::fromText(item.value, item.origin);
    case ExportItem::Source::TextFile: return readTextFileInput(item.value);
    case ExportItem::Source::Image: return imageInput(item.value);
    case ExportItem::Source::Given: return item.given;
  }
  throw InternalError(item.origin, "unknown input source");
}

}  // namespace attnviz::cli
