// BufferPool: freed large blocks are reused (no new allocation for a repeated shape), small ones are not pooled,
// the kept bytes stay under the limit, and Tensor storage comes from the global pool.
#include <gtest/gtest.h>

#include <cstdint>

#include "engine/core/buffer_pool.h"
#include "engine/core/tensor.h"

using attnviz::BufferPool;
using attnviz::Tensor;

namespace {
constexpr std::size_t kLarge = 1 << 20;  // floats: 4 MiB, above kMinPooledBytes
}

TEST(BufferPool, RepeatedShapeReusesTheFreedBlock) {
  BufferPool pool;
  const float* first = nullptr;
  {
    auto a = pool.acquire(kLarge);
    first = a.get();
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(a.get()) % BufferPool::kAlignment, 0u);
    a.get()[kLarge - 1] = 1.0f;  // the whole block is writable
  }
  EXPECT_EQ(pool.stats().keptBytes, kLarge * sizeof(float));
  auto b = pool.acquire(kLarge - 5);  // the same pages: the same block
  EXPECT_EQ(b.get(), first);
  EXPECT_EQ(pool.stats().reused, 1u);
  EXPECT_EQ(pool.stats().allocated, 1u);
  EXPECT_EQ(pool.stats().keptBytes, 0u);
  EXPECT_EQ(pool.stats().inUseBytes, kLarge * sizeof(float));
}

TEST(BufferPool, ABlockMoreThanTwiceTheRequestIsNotHandedOut) {
  BufferPool pool;
  pool.acquire(4 * kLarge).reset();
  auto small = pool.acquire(kLarge);
  EXPECT_EQ(pool.stats().reused, 0u);
  EXPECT_EQ(pool.stats().allocated, 2u);
}

TEST(BufferPool, SmallBuffersAreNotPooled) {
  BufferPool pool;
  pool.acquire(16).reset();
  pool.acquire(0).reset();
  EXPECT_EQ(pool.stats().keptBytes, 0u);
  EXPECT_EQ(pool.stats().allocated, 0u);
}

TEST(BufferPool, KeptBytesStayUnderTheLimitOldestFirst) {
  BufferPool pool(3 * kLarge * sizeof(float));
  auto a = pool.acquire(kLarge), b = pool.acquire(kLarge), c = pool.acquire(kLarge), d = pool.acquire(kLarge);
  const float* second = b.get();
  a.reset(), b.reset(), c.reset(), d.reset();  // the fourth pushes the first out
  EXPECT_EQ(pool.stats().keptBytes, 3 * kLarge * sizeof(float));
  auto again = pool.acquire(kLarge);  // best fit among equals: the oldest kept block is the second one freed
  EXPECT_EQ(again.get(), second);
  again.reset();
  pool.releaseKept();
  EXPECT_EQ(pool.stats().keptBytes, 0u);
}

TEST(BufferPool, TensorsOfOneShapeReuseStorageAndZeroIt) {
  const float* first = nullptr;
  {
    Tensor t = Tensor::uninitialized({512, 3072});
    first = t.data();
    t.values()[12345] = 7.0f;
  }
  Tensor again({512, 3072});  // zero-initialised even when its block was used before
  EXPECT_EQ(again.data(), first);
  EXPECT_EQ(again.values()[12345], 0.0f);
}
