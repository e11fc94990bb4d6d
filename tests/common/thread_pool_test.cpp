#include "alphaloom/common/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <numeric>
#include <stdexcept>

#include "alphaloom/common/error.h"

namespace alphaloom {
namespace {

TEST(ThreadPool, EveryIndexRunsExactlyOnce) {
  for (size_t threads : {1u, 2u, 4u}) {
    ThreadPool pool(threads);
    for (size_t count : {0u, 1u, 7u, 1000u}) {
      std::vector<std::atomic<int>> hits(count);
      pool.ParallelFor(count, [&](size_t index) { hits[index]++; });
      for (size_t index = 0; index < count; ++index) ASSERT_EQ(hits[index].load(), 1) << threads << " " << index;
    }
  }
}

TEST(ThreadPool, ResultsAreIdenticalForOneAndManyThreads) {
  auto run = [](size_t threads) {
    ThreadPool pool(threads);
    std::vector<double> out(500);
    pool.ParallelFor(out.size(), [&](size_t index) {
      double sum = 0.0;
      for (size_t k = 0; k <= index; ++k) sum += 1.0 / static_cast<double>(k + 1);
      out[index] = sum;
    });
    return out;
  };
  EXPECT_EQ(run(1), run(3));
}

TEST(ThreadPool, RethrowsTheLowestFailingIndex) {
  ThreadPool pool(3);
  for (int repeat = 0; repeat < 20; ++repeat) {
    try {
      pool.ParallelFor(100, [](size_t index) {
        if (index == 17 || index == 60 || index == 99) throw std::runtime_error(std::to_string(index));
      });
      FAIL();
    } catch (const std::runtime_error& error) {
      EXPECT_STREQ(error.what(), "17");
    }
  }
  // The pool stays usable after a failure.
  std::atomic<size_t> sum{0};
  pool.ParallelFor(10, [&](size_t index) { sum += index; });
  EXPECT_EQ(sum.load(), 45u);
}

TEST(ThreadPool, ZeroThreadsIsAUsageError) { EXPECT_THROW(ThreadPool(0), Error); }

}  // namespace
}  // namespace alphaloom
