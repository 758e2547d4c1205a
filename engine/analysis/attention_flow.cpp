#include "engine/analysis/attention_flow.h"

#include <algorithm>
#include <limits>
#include <queue>

#include "engine/core/error.h"

namespace attnviz {

namespace {

// Dinic's max-flow on an adjacency-list graph with paired reverse edges.
class FlowGraph {
 public:
  explicit FlowGraph(std::int64_t nodes) : adjacency_(static_cast<std::size_t>(nodes)) {}

  void addEdge(std::int64_t from, std::int64_t to, double capacity) {
    adjacency_[static_cast<std::size_t>(from)].push_back(static_cast<int>(edges_.size()));
    edges_.push_back({to, capacity});
    adjacency_[static_cast<std::size_t>(to)].push_back(static_cast<int>(edges_.size()));
    edges_.push_back({from, 0.0});
  }

  double maxFlow(std::int64_t source, std::int64_t sink) {
    for (std::size_t e = 0; e < edges_.size(); e += 2) {  // restore every capacity (the graph is reused)
      edges_[e].capacity += edges_[e + 1].capacity;
      edges_[e + 1].capacity = 0.0;
    }
    double total = 0.0;
    while (levels(source, sink)) {
      next_.assign(adjacency_.size(), 0);
      while (const double pushed = push(source, sink, std::numeric_limits<double>::infinity())) total += pushed;
    }
    return total;
  }

 private:
  struct Edge {
    std::int64_t to;
    double capacity;  // residual
  };
  static constexpr double kEps = 1e-12;

  bool levels(std::int64_t source, std::int64_t sink) {
    level_.assign(adjacency_.size(), -1);
    std::queue<std::int64_t> queue;
    level_[static_cast<std::size_t>(source)] = 0;
    queue.push(source);
    while (!queue.empty()) {
      const std::int64_t u = queue.front();
      queue.pop();
      for (int e : adjacency_[static_cast<std::size_t>(u)]) {
        const Edge& edge = edges_[static_cast<std::size_t>(e)];
        if (edge.capacity > kEps && level_[static_cast<std::size_t>(edge.to)] < 0) {
          level_[static_cast<std::size_t>(edge.to)] = level_[static_cast<std::size_t>(u)] + 1;
          queue.push(edge.to);
        }
      }
    }
    return level_[static_cast<std::size_t>(sink)] >= 0;
  }

  double push(std::int64_t u, std::int64_t sink, double limit) {
    if (u == sink) return limit;
    auto& list = adjacency_[static_cast<std::size_t>(u)];
    for (std::size_t& i = next_[static_cast<std::size_t>(u)]; i < list.size(); ++i) {
      Edge& edge = edges_[static_cast<std::size_t>(list[i])];
      if (edge.capacity <= kEps || level_[static_cast<std::size_t>(edge.to)] != level_[static_cast<std::size_t>(u)] + 1)
        continue;
      if (const double pushed = push(edge.to, sink, std::min(limit, edge.capacity)); pushed > kEps) {
        edge.capacity -= pushed;
        edges_[static_cast<std::size_t>(list[i] ^ 1)].capacity += pushed;
        return pushed;
      }
    }
    return 0.0;
  }

  std::vector<std::vector<int>> adjacency_;
  std::vector<Edge> edges_;
  std::vector<int> level_;
  std::vector<std::size_t> next_;
};

}  // namespace

double maxFlow(const std::vector<std::vector<double>>& capacity, std::int64_t source, std::int64_t sink) {
  const auto n = static_cast<std::int64_t>(capacity.size());
  if (source < 0 || sink < 0 || source >= n || sink >= n) throw InternalError("maxFlow", "source or sink out of range");
  FlowGraph g(n);
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < n; ++j)
      if (capacity[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] > 0.0)
        g.addEdge(i, j, capacity[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)]);
  return g.maxFlow(source, sink);
}

Tensor attentionFlow(const Tensor& self, const std::vector<std::int64_t>& rows, const FlowProgress& progress) {
  if (self.rank() != 4 || self.dim(2) != self.dim(3) || self.dim(1) < 1)
    throw InternalError("attentionFlow", "attention must be [layers, heads, N, N], got " + shapeString(self.shape()));
  const std::int64_t layers = self.dim(0), heads = self.dim(1), n = self.dim(2);
  for (std::int64_t r : rows)
    if (r < 0 || r >= n) throw InternalError("attentionFlow", "row " + std::to_string(r) + " is not a token");
  // Node (l, i) = l * n + i, l = 0 (inputs) .. layers (outputs); edges point down, from layer l + 1 to layer l.
  FlowGraph graph((layers + 1) * n);
  for (std::int64_t l = 0; l < layers; ++l) {
    const float* a = self.slice(l).data();  // [heads, N, N]
    for (std::int64_t i = 0; i < n; ++i) {
      std::vector<double> row(static_cast<std::size_t>(n), 0.0);
      for (std::int64_t h = 0; h < heads; ++h)
        for (std::int64_t j = 0; j < n; ++j) row[static_cast<std::size_t>(j)] += a[(h * n + i) * n + j] / static_cast<double>(heads);
      row[static_cast<std::size_t>(i)] += 1.0;  // the residual path
      double sum = 0.0;
      for (double v : row) sum += v;
      for (std::int64_t j = 0; j < n; ++j)
        if (row[static_cast<std::size_t>(j)] > 0.0) graph.addEdge((l + 1) * n + i, l * n + j, row[static_cast<std::size_t>(j)] / sum);
    }
  }
  Tensor out({static_cast<std::int64_t>(rows.size()), n});
  for (std::size_t k = 0; k < rows.size(); ++k) {
    float* dst = out.data() + static_cast<std::int64_t>(k) * n;
    double total = 0.0;
    std::vector<double> flow(static_cast<std::size_t>(n));
    for (std::int64_t j = 0; j < n; ++j) {
      total += flow[static_cast<std::size_t>(j)] = graph.maxFlow(layers * n + rows[k], j);
      if (progress && !progress(static_cast<std::int64_t>(k) * n + j + 1, static_cast<std::int64_t>(rows.size()) * n)) return Tensor();
    }
    for (std::int64_t j = 0; j < n; ++j) dst[j] = total > 0.0 ? static_cast<float>(flow[static_cast<std::size_t>(j)] / total) : 0.0f;
  }
  return out;
}

}  // namespace attnviz
