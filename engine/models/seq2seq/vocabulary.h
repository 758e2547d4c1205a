// Vocabulary: one token per line of a package text file, id = line index (data.py build_vocab: the four
// specials first, then words by frequency). Tokens missing from it map to the unknown id.
//
//   Vocabulary v(package.readLines("source_vocab"), "model/source_vocab.txt");
//   v.requireToken(config.eosId, "<eos>", "eos_id");       // ModelFileError when the file disagrees
//   std::int64_t id = v.id("maison", config.unkId);
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace attnviz::seq2seq {

class Vocabulary {
 public:
  Vocabulary() = default;
  // where names the file in messages. Throws ModelFileError on an empty or duplicated token.
  Vocabulary(std::vector<std::string> tokens, std::string where);
  std::int64_t id(const std::string& token, std::int64_t unknownId) const;
  const std::string& token(std::int64_t id) const { return tokens_.at(static_cast<std::size_t>(id)); }
  std::int64_t size() const { return static_cast<std::int64_t>(tokens_.size()); }
  const std::string& where() const { return where_; }
  // Throws ModelFileError unless line `id` is `expected` (what the architecture key `key` promises).
  void requireToken(std::int64_t id, const std::string& expected, const std::string& key) const;

 private:
  std::vector<std::string> tokens_;
  std::unordered_map<std::string, std::int64_t> ids_;
  std::string where_;
};

}  // namespace attnviz::seq2seq
