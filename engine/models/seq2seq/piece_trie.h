// A byte trie from strings to ids, for SentencePiece's vocabulary lattice and its user-defined symbols: walk it
// one byte at a time from a position of the text and every piece that starts there is found, shortest first.
// Built once from all keys (sorted, then laid out depth-first with each node's children contiguous and ordered by
// byte): 12 bytes per node, so a 250,000-piece vocabulary takes a few MB.
//
//   PieceTrie trie({{"▁the", 7}, {"▁th", 9}});
//   PieceTrie::Node n = PieceTrie::kRoot;
//   for (std::size_t i = begin; i < text.size() && (n = trie.child(n, text[i])) != PieceTrie::kNone; ++i)
//     if (trie.value(n) >= 0) { /* text[begin, i + 1) is piece trie.value(n) */ }
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace attnviz::seq2seq {

class PieceTrie {
 public:
  using Node = std::int32_t;
  static constexpr Node kRoot = 0;
  static constexpr Node kNone = -1;

  struct Entry {
    std::string_view key;  // non-empty; only read while building
    std::int32_t id = 0;
  };

  PieceTrie() : nodes_(1) {}
  // A key given twice keeps its lowest id; duplicateIds() lists the ids of the others.
  explicit PieceTrie(std::vector<Entry> entries);

  Node child(Node node, char c) const;
  std::int32_t value(Node node) const { return nodes_[static_cast<std::size_t>(node)].value; }  // -1: no key ends here
  // The id of exactly `key`, or -1.
  std::int32_t find(std::string_view key) const;
  const std::vector<std::int32_t>& duplicateIds() const { return duplicateIds_; }
  std::size_t nodeCount() const { return nodes_.size(); }

 private:
  struct NodeData {
    std::int32_t firstChild = 0;    // index of the first child in nodes_
    std::uint16_t childCount = 0;   // 0..256
    unsigned char label = 0;        // the byte leading here from the parent
    std::int32_t value = -1;
  };
  std::vector<NodeData> nodes_;  // nodes_[0]: the root
  std::vector<std::int32_t> duplicateIds_;
};

}  // namespace attnviz::seq2seq
