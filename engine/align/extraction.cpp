#include "engine/align/extraction.h"

#include <charconv>
#include <cmath>

#include "engine/core/error.h"

namespace attnviz {

namespace {

constexpr const char* kForms = "use argmax, shift-att, threshold[:T] or shift-att+threshold[:T] (T in (0, 1], "
                               "default 0.5)";

}  // namespace

ExtractionMethod parseExtractionMethod(std::string_view text, const std::string& where) {
  ExtractionMethod m;
  std::string_view rest = text;
  if (rest.rfind("shift-att", 0) == 0) {
    m.shift = true;
    rest.remove_prefix(9);
    if (rest.empty()) return m;
    if (rest.front() != '+') throw UsageError(where, "unknown alignment method \"" + std::string(text) + "\"; " + kForms);
    rest.remove_prefix(1);
  }
  if (rest == "argmax") return m;
  if (rest.rfind("threshold", 0) == 0) {
    m.rule = ExtractionRule::Threshold;
    rest.remove_prefix(9);
    if (rest.empty()) return m;
    if (rest.front() == ':') {
      rest.remove_prefix(1);
      double value = 0.0;
      const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
      if (error == std::errc() && end == rest.data() + rest.size() && value > 0.0 && value <= 1.0) {
        m.threshold = value;
        return m;
      }
      throw UsageError(where, "threshold \"" + std::string(rest) + "\" is not a number in (0, 1]; " + kForms);
    }
  }
  throw UsageError(where, "unknown alignment method \"" + std::string(text) + "\"; " + kForms);
}

std::string extractionRuleName(const ExtractionMethod& m) {
  std::string rule = m.rule == ExtractionRule::Argmax ? "argmax" : "threshold:" + [&] {
    char buffer[32];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, m.threshold);
    return std::string(buffer, error == std::errc() ? end : buffer);
  }();
  if (!m.shift) return rule;
  return m.rule == ExtractionRule::Argmax ? "shift-att" : "shift-att+" + rule;
}

std::string crossMapName(int layer, int head) {
  if (layer < 0 && head < 0) return "mean of all layers and heads";
  if (layer < 0) return "head " + std::to_string(head + 1) + ", mean of layers";
  if (head < 0) return "layer " + std::to_string(layer + 1) + ", mean of heads";
  return "layer " + std::to_string(layer + 1) + ", head " + std::to_string(head + 1);
}

Tensor selectCrossMap(const Tensor& cross, int layer, int head) {
  if (cross.rank() == 2) return cross;
  if (cross.rank() != 4)
    throw InternalError("selectCrossMap", "cross attention must be [T, S] or [L, H, T, S], got " + shapeString(cross.shape()));
  const std::int64_t layers = cross.dim(0), heads = cross.dim(1), t = cross.dim(2), s = cross.dim(3);
  if (layer >= layers || head >= heads)
    throw InternalError("selectCrossMap", "layer " + std::to_string(layer) + ", head " + std::to_string(head) +
                                              " outside " + shapeString(cross.shape()));
  Tensor out({t, s});
  int count = 0;
  for (std::int64_t l = 0; l < layers; ++l) {
    if (layer >= 0 && l != layer) continue;
    for (std::int64_t h = 0; h < heads; ++h) {
      if (head >= 0 && h != head) continue;
      const float* map = cross.data() + (l * heads + h) * t * s;
      for (std::int64_t i = 0; i < t * s; ++i) out.data()[i] += map[i];
      ++count;
    }
  }
  for (float& v : out.values()) v /= static_cast<float>(count);
  return out;
}

LinkSet extractWordAlignment(const Tensor& map, const WordSpans& target, const WordSpans& source,
                             const ExtractionMethod& m) {
  if (m.rule == ExtractionRule::Argmax && !m.shift) return argmaxWordAlignment(map, target, source);
  if (map.rank() != 2) throw InternalError("extractWordAlignment", "the map must be [T, S], got " + shapeString(map.shape()));
  const std::int64_t rows = map.dim(0);
  // Shift: the rows one step later; a target word whose row falls off the map gets none (its span is emptied).
  WordSpans shifted = target;
  if (m.shift)
    for (int t = 0; t < shifted.words(); ++t) {
      const auto i = static_cast<std::size_t>(t);
      if (shifted.count[i] == 0) continue;
      if (shifted.first[i] + 1 >= rows) {
        shifted.count[i] = 0;
        continue;
      }
      shifted.first[i] += 1;
      shifted.count[i] = 1;  // only the first token's row is read
    }
  if (m.rule == ExtractionRule::Argmax) return argmaxWordAlignment(map, shifted, source);
  // Threshold: the same rows and word weights as argmax.
  checkWordSpans(map, shifted, source);
  LinkSet links;
  const std::int64_t columns = map.dim(1);
  for (int t = 0; t < shifted.words(); ++t) {
    if (shifted.count[static_cast<std::size_t>(t)] == 0) continue;
    const float* row = map.data() + std::int64_t{shifted.first[static_cast<std::size_t>(t)]} * columns;
    for (int s = 0; s < source.words(); ++s)
      if (source.count[static_cast<std::size_t>(s)] > 0 && sourceWordWeight(row, source, s) >= m.threshold)
        links.insert({s, t});
  }
  return links;
}

}  // namespace attnviz
