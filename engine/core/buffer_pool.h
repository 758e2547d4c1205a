// BufferPool: the storage of large tensors, kept and handed out again instead of returned to the system.
// A forward at 512 tokens makes and drops buffers of 4-13 MB per op; glibc maps buffers above its mmap threshold
// and unmaps them on free, so every run paid ~138,000 page faults and 0.4 s of system time (issue 19). A freed
// block goes back to this pool and the next request of a size it fits (best fit, at most twice the size asked)
// reuses it: after the first run of a shape, a forward maps no memory. Small buffers (below kMinPooledBytes) go
// to malloc as before. The pool keeps at most maxKeptBytes() of free blocks (oldest freed first out).
//
//   std::shared_ptr<float> storage = BufferPool::global().acquire(numel);   // 64-byte aligned, uninitialised
//   BufferPool::global().releaseKept();                                     // e.g. when a model is closed
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>

namespace attnviz {

class BufferPool {
 public:
  static constexpr std::size_t kMinPooledBytes = 256 * 1024;
  static constexpr std::size_t kDefaultMaxKeptBytes = std::size_t{1} << 30;  // 1 GiB of free blocks at most
  static constexpr std::size_t kAlignment = 64;                            // one cache line, one AVX-512 vector

  explicit BufferPool(std::size_t maxKeptBytes = kDefaultMaxKeptBytes) : maxKeptBytes_(maxKeptBytes) {}
  ~BufferPool();
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  // The pool every Tensor uses. Never destroyed (tensors may outlive static destruction).
  static BufferPool& global();

  // `count` floats, uninitialised, 64-byte aligned; the block returns to this pool when the last owner drops it
  // (the pool must outlive it). Throws std::bad_alloc when the system has no memory.
  std::shared_ptr<float> acquire(std::size_t count);

  // Frees every kept block (memory in use is untouched).
  void releaseKept();

  struct Stats {
    std::size_t keptBytes = 0;      // free blocks waiting for reuse
    std::size_t inUseBytes = 0;     // pooled blocks owned by tensors now
    std::uint64_t reused = 0;       // requests served from a kept block
    std::uint64_t allocated = 0;    // requests that allocated a new block
  };
  Stats stats() const;
  std::size_t maxKeptBytes() const { return maxKeptBytes_; }

 private:
  struct Block {
    void* data;
    std::size_t bytes;
  };
  void giveBack(Block block);
  void evictOldestUntil(std::size_t keptLimit);  // with mutex_ held

  const std::size_t maxKeptBytes_;
  mutable std::mutex mutex_;
  std::list<Block> freedOrder_;                                      // oldest freed first
  std::multimap<std::size_t, std::list<Block>::iterator> bySize_;  // the same blocks by capacity
  Stats stats_;
};

}  // namespace attnviz
