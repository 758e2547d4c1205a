#include "ui/kinds/vit/patch_maps.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace attnviz::ui {
namespace {

constexpr int kMaxMaskHeads = 32;

// self: [layers, heads, T, T] -> the [T, T] plane of (layer, head)
const float* plane(const attnviz::Tensor& self, int layer, int head) {
  const std::size_t t = static_cast<std::size_t>(self.dim(2));
  return self.data() + (static_cast<std::size_t>(layer) * static_cast<std::size_t>(self.dim(1)) + static_cast<std::size_t>(head)) * t * t;
}

}  // namespace

const attnviz::Tensor* selfAttention(const attnviz::Trace& trace) {
  const auto it = trace.attention.find("self");
  if (it == trace.attention.end() || it->second.rank() != 4 || it->second.dim(2) != it->second.dim(3)) return nullptr;
  return &it->second;
}

PatchOverlay headRow(const attnviz::Tensor& self, const PatchGrid& grid, int layer, int head, int query, QString title) {
  return overlayFromRow(plane(self, layer, head), static_cast<int>(self.dim(2)), grid, query, std::move(title));
}

PatchOverlay meanRow(const attnviz::Tensor& self, const PatchGrid& grid, int layer, int query, QString title) {
  const int heads = static_cast<int>(self.dim(1));
  PatchOverlay o = headRow(self, grid, layer, 0, query, std::move(title));
  for (int h = 1; h < heads; ++h) {
    const PatchOverlay other = headRow(self, grid, layer, h, query, {});
    for (std::size_t i = 0; i < o.values.size(); ++i) o.values[i] += other.values[i];
  }
  for (float& v : o.values) v /= static_cast<float>(heads);
  return o;
}

PatchOverlay topPatchesPerHead(const attnviz::Tensor& self, const PatchGrid& grid, int layer, int query, double fraction,
                               QString title) {
  PatchOverlay o = meanRow(self, grid, layer, query, std::move(title));
  if (o.empty()) return o;
  const int heads = std::min(static_cast<int>(self.dim(1)), kMaxMaskHeads);
  const int top = std::clamp(static_cast<int>(std::lround(fraction * grid.count())), 1, grid.count());
  o.headCount = heads;
  o.heads.assign(static_cast<std::size_t>(grid.count()), 0u);
  std::vector<int> order(static_cast<std::size_t>(grid.count()));
  for (int h = 0; h < heads; ++h) {
    const PatchOverlay row = headRow(self, grid, layer, h, query, {});
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + top, order.end(),
                      [&](int a, int b) { return row.values[static_cast<std::size_t>(a)] > row.values[static_cast<std::size_t>(b)]; });
    for (int i = 0; i < top; ++i) o.heads[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])] |= 1u << h;
  }
  return o;
}

}  // namespace attnviz::ui
