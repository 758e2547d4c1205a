// A byte trie from strings to ids, for SentencePiece's vocabulary lattice and its user-defined symbols: walk it
// one byte at a time from a position of the text and every piece that starts there is found, shortest first.
//
//   PieceTrie trie;
//   trie.insert("▁the", 7);
//   PieceTrie::Node n = PieceTrie::kRoot;
//   for (std::size_t i = begin; i < text.size() && (n = trie.child(n, text[i])) != PieceTrie::kNone; ++i)
//     if (trie.value(n) >= 0) { /* text[begin, i + 1) is piece trie.value(n) */ }
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace attnviz::seq2seq {

class PieceTrie {
 public:
  using Node = std::int32_t;
  static constexpr Node kRoot = 0;
  static constexpr Node kNone = -1;

  PieceTrie() : values_(1, -1) {}

  // False when `key` is already in the trie (its id is kept) or empty.
  bool insert(std::string_view key, std::int32_t id) {
    if (key.empty()) return false;
    Node node = kRoot;
    for (char c : key) {
      const auto [it, added] = children_.try_emplace(edge(node, c), static_cast<Node>(values_.size()));
      if (added) values_.push_back(-1);
      node = it->second;
    }
    if (values_[static_cast<std::size_t>(node)] >= 0) return false;
    values_[static_cast<std::size_t>(node)] = id;
    return true;
  }

  Node child(Node node, char c) const {
    const auto it = children_.find(edge(node, c));
    return it == children_.end() ? kNone : it->second;
  }
  std::int32_t value(Node node) const { return values_[static_cast<std::size_t>(node)]; }  // -1: no key ends here

  // The id of exactly `key`, or -1.
  std::int32_t find(std::string_view key) const {
    Node node = kRoot;
    for (char c : key)
      if ((node = child(node, c)) == kNone) return -1;
    return key.empty() ? -1 : value(node);
  }

 private:
  static std::uint64_t edge(Node node, char c) {
    return (static_cast<std::uint64_t>(node) << 8) | static_cast<unsigned char>(c);
  }
  std::unordered_map<std::uint64_t, Node> children_;  // (parent << 8 | byte) -> child
  std::vector<std::int32_t> values_;                   // per node: the id of the key ending there, or -1
};

}  // namespace attnviz::seq2seq
