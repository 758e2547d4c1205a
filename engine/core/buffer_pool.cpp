#include "engine/core/buffer_pool.h"

#include <cstdlib>
#include <new>

namespace attnviz {
namespace {
// Capacity actually allocated for `bytes`: whole pages, so near sizes (token counts differing by one) share blocks.
std::size_t roundedCapacity(std::size_t bytes) {
  constexpr std::size_t kPage = 4096;
  return (bytes + kPage - 1) / kPage * kPage;
}
}  // namespace

BufferPool& BufferPool::global() {
  static BufferPool* pool = new BufferPool();
  return *pool;
}

BufferPool::~BufferPool() { releaseKept(); }

std::shared_ptr<float> BufferPool::acquire(std::size_t count) {
  if (count > SIZE_MAX / sizeof(float)) throw std::bad_alloc();
  const std::size_t bytes = count * sizeof(float);
  if (bytes < kMinPooledBytes) {
    const std::size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
    void* p = std::aligned_alloc(kAlignment, rounded == 0 ? kAlignment : rounded);
    if (!p) throw std::bad_alloc();
    return {static_cast<float*>(p), [](float* f) { std::free(f); }};
  }
  const std::size_t capacity = roundedCapacity(bytes);
  Block block{nullptr, 0};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // Best fit no larger than twice the request: a 13 MB map must not hold a 300 MB block.
    if (auto it = bySize_.lower_bound(capacity); it != bySize_.end() && it->first <= 2 * capacity) {
      block = *it->second;
      freedOrder_.erase(it->second);
      bySize_.erase(it);
      stats_.keptBytes -= block.bytes;
      ++stats_.reused;
    } else {
      ++stats_.allocated;
    }
    if (!block.data) evictOldestUntil(maxKeptBytes_ > capacity ? maxKeptBytes_ - capacity : 0);
  }
  if (!block.data) {
    block = {std::aligned_alloc(kAlignment, capacity), capacity};
    if (!block.data) {
      releaseKept();  // the kept blocks may be what the system lacks: try once more without them
      block.data = std::aligned_alloc(kAlignment, capacity);
      if (!block.data) throw std::bad_alloc();
    }
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_.inUseBytes += block.bytes;
  }
  return {static_cast<float*>(block.data), [this, block](float*) { giveBack(block); }};
}

void BufferPool::giveBack(Block block) {
  std::lock_guard<std::mutex> lock(mutex_);
  stats_.inUseBytes -= block.bytes;
  if (block.bytes > maxKeptBytes_) {
    std::free(block.data);
    return;
  }
  evictOldestUntil(maxKeptBytes_ - block.bytes);
  freedOrder_.push_back(block);
  bySize_.emplace(block.bytes, std::prev(freedOrder_.end()));
  stats_.keptBytes += block.bytes;
}

void BufferPool::evictOldestUntil(std::size_t keptLimit) {
  while (stats_.keptBytes > keptLimit && !freedOrder_.empty()) {
    const Block oldest = freedOrder_.front();
    auto [first, last] = bySize_.equal_range(oldest.bytes);
    for (auto it = first; it != last; ++it)
      if (it->second == freedOrder_.begin()) {
        bySize_.erase(it);
        break;
      }
    freedOrder_.pop_front();
    stats_.keptBytes -= oldest.bytes;
    std::free(oldest.data);
  }
}

void BufferPool::releaseKept() {
  std::lock_guard<std::mutex> lock(mutex_);
  evictOldestUntil(0);
}

BufferPool::Stats BufferPool::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

}  // namespace attnviz
