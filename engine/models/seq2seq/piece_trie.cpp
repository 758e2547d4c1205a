#include "engine/models/seq2seq/piece_trie.h"

#include <algorithm>

namespace attnviz::seq2seq {

PieceTrie::PieceTrie(std::vector<Entry> entries) : nodes_(1) {
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.key != b.key ? a.key < b.key : a.id < b.id;
  });
  // Depth-first over ranges of sorted entries sharing a prefix: (node, [lo, hi), prefix length). A node's children
  // are appended together when the node is visited, so they are contiguous whatever the visiting order; the stack
  // holds the pending siblings along one path only.
  struct Pending {
    std::int32_t node;
    std::size_t lo, hi, depth;
  };
  std::vector<Pending> stack{{kRoot, 0, entries.size(), 0}};
  while (!stack.empty()) {
    const Pending p = stack.back();
    stack.pop_back();
    std::size_t lo = p.lo;
    if (lo < p.hi && entries[lo].key.size() == p.depth) {  // keys ending here: sorted first, lowest id first
      nodes_[static_cast<std::size_t>(p.node)].value = entries[lo].id;
      for (++lo; lo < p.hi && entries[lo].key.size() == p.depth; ++lo) duplicateIds_.push_back(entries[lo].id);
    }
    const auto first = static_cast<std::int32_t>(nodes_.size());
    std::uint16_t count = 0;
    for (std::size_t i = lo; i < p.hi;) {
      const auto byte = static_cast<unsigned char>(entries[i].key[p.depth]);
      std::size_t j = i + 1;
      while (j < p.hi && static_cast<unsigned char>(entries[j].key[p.depth]) == byte) ++j;
      NodeData child;
      child.label = byte;
      nodes_.push_back(child);
      stack.push_back({first + count, i, j, p.depth + 1});
      ++count;
      i = j;
    }
    nodes_[static_cast<std::size_t>(p.node)].firstChild = first;
    nodes_[static_cast<std::size_t>(p.node)].childCount = count;
  }
  std::sort(duplicateIds_.begin(), duplicateIds_.end());
}

PieceTrie::Node PieceTrie::child(Node node, char c) const {
  const NodeData& n = nodes_[static_cast<std::size_t>(node)];
  const auto byte = static_cast<unsigned char>(c);
  const auto begin = nodes_.begin() + n.firstChild;
  const auto end = begin + n.childCount;
  const auto it = std::lower_bound(begin, end, byte, [](const NodeData& d, unsigned char b) { return d.label < b; });
  return it != end && it->label == byte ? static_cast<Node>(it - nodes_.begin()) : kNone;
}

std::int32_t PieceTrie::find(std::string_view key) const {
  if (key.empty()) return -1;
  Node node = kRoot;
  for (char c : key)
    if ((node = child(node, c)) == kNone) return -1;
  return value(node);
}

}  // namespace attnviz::seq2seq
