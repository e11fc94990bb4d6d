#pragma once
// A fixed-size pool with an explicit thread count. Work is split by index, so results that are
// written per index are identical for 1 and N threads.
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace alphaloom {

/// The number of hardware threads (at least 1); callers pass it explicitly when they want it.
size_t HardwareThreads();

class ThreadPool {
 public:
  /// `thread_count` >= 1 threads take part in ParallelFor, the calling thread being one of them.
  explicit ThreadPool(size_t thread_count);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  size_t thread_count() const { return workers_.size() + 1; }

  /// Calls `task(index)` for every index in [0, count) and returns when all are done. If tasks
  /// throw, the exception of the lowest failing index is rethrown (the others are dropped).
  /// Not reentrant: a task must not call ParallelFor on the same pool.
  void ParallelFor(size_t count, const std::function<void(size_t)>& task);

 private:
  void WorkerLoop();
  /// Takes indices of the current job until none are left; `lock` holds mutex_ on entry and exit.
  void RunIndices(std::unique_lock<std::mutex>& lock);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  bool stopping_ = false;
  size_t generation_ = 0;
  // The current job; guarded by mutex_.
  const std::function<void(size_t)>* task_ = nullptr;
  size_t count_ = 0;
  size_t next_index_ = 0;
  size_t busy_workers_ = 0;
  size_t failed_index_ = 0;
  std::exception_ptr failure_;
};

}  // namespace alphaloom
