#include "engine/core/unicode.h"

#include <algorithm>
#include <iterator>
#include <tuple>
#include <utility>

namespace attnviz::unicode {

namespace {

struct CategoryRun {
  char32_t first;
  Category category;
};
struct LowerEntry {
  char32_t from;
  char32_t to[2];  // 0-padded
};
struct CodeRange {
  char32_t first, last;  // inclusive
};
struct Decomposition {
  char32_t from;
  char32_t to[4];  // 0-padded
};
struct CombiningClassRun {
  char32_t first;
  std::uint8_t ccc;
};
struct Composition {
  char32_t first, second, composite;
};

#include "engine/core/unicode_tables.inc"

// Hangul syllables decompose and compose algorithmically (Unicode chapter 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

// The run (sorted by `first`) that contains c.
template <typename Run, std::size_t N>
const Run& runOf(const Run (&table)[N], char32_t c) {
  const Run* it = std::upper_bound(std::begin(table), std::end(table), c,
                                   [](char32_t v, const Run& r) { return v < r.first; });
  return *(it - 1);  // table[0].first == 0
}

template <std::size_t N>
bool inRanges(const CodeRange (&table)[N], char32_t c) {
  const CodeRange* it = std::upper_bound(std::begin(table), std::end(table), c,
                                         [](char32_t v, const CodeRange& r) { return v < r.first; });
  return it != std::begin(table) && c <= (it - 1)->last;
}

std::uint8_t combiningClass(char32_t c) { return c > 0x10FFFF ? 0 : runOf(kCombiningClassRuns, c).ccc; }

bool isCased(char32_t c) { return inRanges(kCasedRanges, c); }
bool isCaseIgnorable(char32_t c) { return inRanges(kCaseIgnorableRanges, c); }

// Final_Sigma (as CPython's handle_capital_sigma): preceded by a cased letter and not followed by one,
// skipping case-ignorable code points on both sides.
bool isFinalSigma(const std::u32string& text, std::size_t i) {
  std::size_t j = i;
  while (j > 0 && isCaseIgnorable(text[j - 1])) --j;
  if (j == 0 || !isCased(text[j - 1])) return false;
  std::size_t k = i + 1;
  while (k < text.size() && isCaseIgnorable(text[k])) ++k;
  return k == text.size() || !isCased(text[k]);
}

void appendDecomposition(std::u32string& out, char32_t c) {
  if (c >= kSBase && c < kSBase + kSCount) {
    const char32_t s = c - kSBase;
    out += kLBase + s / kNCount;
    out += kVBase + (s % kNCount) / kTCount;
    if (s % kTCount != 0) out += kTBase + s % kTCount;
    return;
  }
  const Decomposition* it = std::lower_bound(std::begin(kDecompositions), std::end(kDecompositions), c,
                                             [](const Decomposition& d, char32_t v) { return d.from < v; });
  if (it == std::end(kDecompositions) || it->from != c) {
    out += c;
    return;
  }
  for (char32_t p : it->to)
    if (p != 0) out += p;
}

// The primary composite of a starter and a following code point, or 0.
char32_t compose(char32_t first, char32_t second) {
  if (first >= kLBase && first < kLBase + kLCount && second >= kVBase && second < kVBase + kVCount)
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  if (first >= kSBase && first < kSBase + kSCount && (first - kSBase) % kTCount == 0 && second > kTBase &&
      second < kTBase + kTCount)
    return first + (second - kTBase);
  const Composition* it = std::lower_bound(std::begin(kCompositions), std::end(kCompositions), std::make_pair(first, second),
                                           [](const Composition& c, const std::pair<char32_t, char32_t>& v) {
                                             return std::make_pair(c.first, c.second) < v;
                                           });
  return it != std::end(kCompositions) && it->first == first && it->second == second ? it->composite : 0;
}

}  // namespace

const char* version() { return kUnicodeVersion; }

Category category(char32_t c) { return c > 0x10FFFF ? Category::Cn : runOf(kCategoryRuns, c).category; }

bool isPunctuationCategory(char32_t c) {
  const Category k = category(c);
  return k >= Category::Pc && k <= Category::Po;
}

bool isControlCategory(char32_t c) { return category(c) >= Category::Cc; }

bool isPythonSpace(char32_t c) { return std::binary_search(std::begin(kPythonSpace), std::end(kPythonSpace), c); }

namespace {

// finalSigma: apply the Final_Sigma rule (str.lower()) or map every U+03A3 alone (char::to_lowercase).
std::u32string lowercase(const std::u32string& text, SourceRanges& sources, bool finalSigma) {
  std::u32string out;
  SourceRanges outSources;
  out.reserve(text.size());
  outSources.reserve(text.size());
  auto emit = [&](char32_t c, std::size_t from) {
    out += c;
    outSources.push_back(sources[from]);
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char32_t c = text[i];
    if (c == 0x03A3) {
      emit(finalSigma && isFinalSigma(text, i) ? U'\u03C2' : U'\u03C3', i);
      continue;
    }
    const LowerEntry* it = std::lower_bound(std::begin(kLowerMap), std::end(kLowerMap), c,
                                            [](const LowerEntry& e, char32_t v) { return e.from < v; });
    if (it == std::end(kLowerMap) || it->from != c) {
      emit(c, i);
      continue;
    }
    for (char32_t p : it->to)
      if (p != 0) emit(p, i);
  }
  sources = std::move(outSources);
  return out;
}

}  // namespace

std::u32string toLower(const std::u32string& text, SourceRanges& sources) { return lowercase(text, sources, true); }

std::u32string toLowerEachCodePoint(const std::u32string& text, SourceRanges& sources) {
  return lowercase(text, sources, false);
}

std::u32string nfd(const std::u32string& text, SourceRanges& sources) {
  std::u32string out;
  SourceRanges outSources;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    appendDecomposition(out, text[i]);
    outSources.resize(out.size(), sources[i]);
  }
  // Canonical ordering: stable sort of every run of non-starters by combining class (sources move along).
  for (std::size_t i = 0; i < out.size();) {
    if (combiningClass(out[i]) == 0) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < out.size() && combiningClass(out[end]) != 0) ++end;
    std::vector<std::pair<char32_t, SourceRange>> run;
    for (std::size_t k = i; k < end; ++k) run.emplace_back(out[k], outSources[k]);
    std::stable_sort(run.begin(), run.end(),
                     [](const auto& a, const auto& b) { return combiningClass(a.first) < combiningClass(b.first); });
    for (std::size_t k = i; k < end; ++k) std::tie(out[k], outSources[k]) = run[k - i];
    i = end;
  }
  sources = std::move(outSources);
  return out;
}

std::u32string nfc(const std::u32string& text, SourceRanges& sources) {
  SourceRanges dSources = sources;
  const std::u32string d = nfd(text, dSources);
  // Canonical composition (Unicode chapter 3.11): a code point composes with the last starter unless a
  // code point left in between blocks it (combining class 0 or >= its own).
  std::u32string out;
  SourceRanges outSources;
  out.reserve(d.size());
  std::size_t starter = std::u32string::npos;  // index in `out`
  int lastClass = -1;                           // class of the last code point kept after the starter; -1: none
  for (std::size_t i = 0; i < d.size(); ++i) {
    const char32_t c = d[i];
    const int cc = combiningClass(c);
    if (starter != std::u32string::npos && (lastClass == -1 || (lastClass != 0 && lastClass < cc))) {
      if (const char32_t composite = compose(out[starter], c)) {
        out[starter] = composite;
        SourceRange& r = outSources[starter];
        r = {std::min(r.begin, dSources[i].begin), std::max(r.end, dSources[i].end)};
        continue;
      }
    }
    if (cc == 0) {
      starter = out.size();
      lastClass = -1;
    } else {
      lastClass = cc;
    }
    out += c;
    outSources.push_back(dSources[i]);
  }
  sources = std::move(outSources);
  return out;
}

namespace {
SourceRanges identitySources(std::size_t n) {
  SourceRanges s(n);
  for (std::size_t i = 0; i < n; ++i) s[i] = {i, i + 1};
  return s;
}
}  // namespace

std::u32string toLower(const std::u32string& text) {
  SourceRanges s = identitySources(text.size());
  return toLower(text, s);
}
std::u32string toLowerEachCodePoint(const std::u32string& text) {
  SourceRanges s = identitySources(text.size());
  return toLowerEachCodePoint(text, s);
}
std::u32string nfd(const std::u32string& text) {
  SourceRanges s = identitySources(text.size());
  return nfd(text, s);
}
std::u32string nfc(const std::u32string& text) {
  SourceRanges s = identitySources(text.size());
  return nfc(text, s);
}

}  // namespace attnviz::unicode
