#include "engine/io/weight_set.h"

#include <algorithm>
#include <cmath>
#include <span>

#include "engine/core/error.h"

namespace attnviz {

namespace {

constexpr std::size_t kMaxListed = 10;  // extra tensors named in one message; the rest are counted

std::size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

WeightSet::WeightSet(NamedTensors tensors, std::string fixHint)
    : source_(std::move(tensors.source)), fixHint_(std::move(fixHint)) {
  for (auto& [name, tensor] : tensors.tensors)
    if (!tensors_.emplace(name, std::move(tensor)).second)
      throw ModelFileError(source_ + ": tensor '" + name + "'", "appears twice in the file; " + fixHint_);
}

const Shape& WeightSet::shapeOf(const std::string& name) const {
  const auto it = tensors_.find(name);
  if (it != tensors_.end()) return it->second.shape();
  // A near name usually means a renamed layer or a prefix ("model.", "bert.") added or dropped on export.
  std::string hint;
  std::size_t best = name.size() / 4 + 2;
  for (const auto& [other, tensor] : tensors_) {
    const std::size_t d = editDistance(name, other);
    if (d < best) {
      best = d;
      hint = " (the file has '" + fileName_(other) + "' " + shapeString(tensor.shape()) + ")";
    }
  }
  throw ModelFileError(source_ + ": tensor '" + fileName_(name) + "'",
                       "is missing from the file, which holds " + std::to_string(tensors_.size()) + " tensors" + hint +
                           "; the file was written for another model: " + fixHint_);
}

Tensor WeightSet::take(const std::string& name, const Shape& expected) {
  const Shape& found = shapeOf(name);
  if (found != expected)
    throw ModelFileError(source_ + ": tensor '" + fileName_(name) + "'",
                         "expected shape " + shapeString(expected) + ", found " + shapeString(found) +
                             "; the file does not match the model's configuration: " + fixHint_);
  const Tensor& t = tensors_.at(name);
  // NaN or infinite weights (a diverged training run, a damaged file) would only show as NaN attention later.
  std::int64_t bad = 0, first = -1;
  const std::span<const float> values = t.values();
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]) && bad++ == 0) first = static_cast<std::int64_t>(i);
  if (bad > 0)
    throw ModelFileError(source_ + ": tensor '" + fileName_(name) + "'",
                         std::to_string(bad) + " of its " + std::to_string(values.size()) +
                             " values are NaN or infinite (the first at flat index " + std::to_string(first) +
                             "); the weights are damaged or come from a diverged training run");
  // Taking a tensor again is allowed: tied weights (an output layer sharing the embedding) read it twice.
  taken_.insert(name);
  return t;
}

std::optional<Tensor> WeightSet::takeOptional(const std::string& name, const Shape& expected) {
  if (!has(name)) return std::nullopt;
  return take(name, expected);
}

bool WeightSet::has(const std::string& name) const { return tensors_.count(name) != 0; }

void WeightSet::finish() const {
  std::vector<std::string> extra;
  for (const auto& [name, tensor] : tensors_)
    if (!taken_.count(name)) extra.push_back("'" + fileName_(name) + "' " + shapeString(tensor.shape()));
  if (extra.empty()) return;
  std::string list;
  for (std::size_t i = 0; i < extra.size() && i < kMaxListed; ++i) list += (i ? ", " : "") + extra[i];
  if (extra.size() > kMaxListed) list += " and " + std::to_string(extra.size() - kMaxListed) + " more";
  throw ModelFileError(source_, std::to_string(extra.size()) + (extra.size() == 1 ? " tensor is" : " tensors are") +
                                    " in the file but not used by the model: " + list +
                                    "; the file belongs to another architecture or configuration: " + fixHint_);
}

std::int64_t WeightSet::parameterCount() const {
  std::int64_t n = 0;
  for (const auto& [name, tensor] : tensors_) n += tensor.numel();
  return n;
}

}  // namespace attnviz
