#include "engine/models/seq2seq/vocabulary.h"

#include "engine/core/error.h"

namespace attnviz::seq2seq {

Vocabulary::Vocabulary(std::vector<std::string> tokens, std::string where)
    : tokens_(std::move(tokens)), where_(std::move(where)) {
  ids_.reserve(tokens_.size());
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    if (tokens_[i].empty())
      throw ModelFileError(where_, "line " + std::to_string(i + 1) + " is empty; every line must hold one token");
    if (!ids_.emplace(tokens_[i], static_cast<std::int64_t>(i)).second)
      throw ModelFileError(where_, "token \"" + tokens_[i] + "\" appears twice (lines " +
                                       std::to_string(ids_.at(tokens_[i]) + 1) + " and " + std::to_string(i + 1) +
                                       "); re-export the package with models/seq2seq/train.py");
  }
}

std::int64_t Vocabulary::id(const std::string& token, std::int64_t unknownId) const {
  const auto it = ids_.find(token);
  return it == ids_.end() ? unknownId : it->second;
}

void Vocabulary::requireToken(std::int64_t id, const std::string& expected, const std::string& key) const {
  if (id < 0 || id >= size() || tokens_[static_cast<std::size_t>(id)] != expected)
    throw ModelFileError(where_, "attnviz.json says " + key + " " + std::to_string(id) + ", so line " +
                                     std::to_string(id + 1) + " must be \"" + expected + "\", found " +
                                     (id >= 0 && id < size() ? "\"" + tokens_[static_cast<std::size_t>(id)] + "\""
                                                             : std::string("no such line")));
}

}  // namespace attnviz::seq2seq
