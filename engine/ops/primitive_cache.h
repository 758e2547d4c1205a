// Internal to engine/ops: a mutex-protected map from a shape key to an immutable entry (primitive descriptor,
// primitive, and whatever else depends only on the shape). Entries are made once, outside any inference loop
// state, and shared: callers keep the shared_ptr for the duration of one execution.
//
//   static detail::PrimitiveCache<SoftmaxEntry> cache;
//   auto entry = cache.get({rows, n}, [&] { return makeSoftmax(rows, n); });
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/ops/dnnl_context.h"

namespace attnviz::ops::detail {

using CacheKey = std::vector<std::int64_t>;

template <class Entry>
class PrimitiveCache {
 public:
  // Past maxEntries shapes the cache starts over: token counts vary per input, and a long session must not
  // grow without bound. Entries in use stay alive through their shared_ptr.
  static constexpr std::size_t kDefaultMaxEntries = 256;
  explicit PrimitiveCache(std::size_t maxEntries = kDefaultMaxEntries) : maxEntries_(maxEntries) {}

  // The entry for key, made by make() (returning Entry) on first use. make() runs under the lock, so two
  // threads asking for the same new shape build it once; if it throws, nothing is stored. The calling
  // thread's OpenMP thread count is part of the key: oneDNN sizes per-thread scratch space when it makes a
  // primitive, so a primitive is only run with the thread count it was made for.
  template <class Make>
  std::shared_ptr<const Entry> get(CacheKey key, Make&& make) {
    key.push_back(applyThreadCount());
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) return it->second;
    auto entry = std::make_shared<const Entry>(make());
    if (entries_.size() >= maxEntries_) entries_.clear();
    entries_.emplace(key, entry);
    return entry;
  }

  std::size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
  }

 private:
  const std::size_t maxEntries_;
  mutable std::mutex mutex_;
  std::map<CacheKey, std::shared_ptr<const Entry>> entries_;
};

}  // namespace attnviz::ops::detail
