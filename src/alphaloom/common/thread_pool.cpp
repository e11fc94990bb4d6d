#include "alphaloom/common/thread_pool.h"

#include "alphaloom/common/error.h"

namespace alphaloom {

size_t HardwareThreads() {
  const unsigned count = std::thread::hardware_concurrency();
  return count == 0 ? 1 : count;
}

ThreadPool::ThreadPool(size_t thread_count) {
  if (thread_count == 0) throw Error(ErrorKind::kUsage, "thread count must be at least 1");
  workers_.reserve(thread_count - 1);
  for (size_t i = 1; i < thread_count; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void ThreadPool::RunIndices(std::unique_lock<std::mutex>& lock) {
  while (next_index_ < count_) {
    const size_t index = next_index_++;
    const auto* task = task_;
    lock.unlock();
    std::exception_ptr error;
    try {
      (*task)(index);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (error && (!failure_ || index < failed_index_)) {
      failure_ = error;
      failed_index_ = index;
    }
  }
}

void ThreadPool::WorkerLoop() {
  size_t seen_generation = 0;
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || generation_ != seen_generation; });
    if (stopping_) return;
    seen_generation = generation_;
    ++busy_workers_;
    RunIndices(lock);
    if (--busy_workers_ == 0) done_.notify_all();
  }
}

void ThreadPool::ParallelFor(size_t count, const std::function<void(size_t)>& task) {
  if (count == 0) return;
  if (workers_.empty() || count == 1) {
    for (size_t index = 0; index < count; ++index) task(index);
    return;
  }
  std::unique_lock lock(mutex_);
  task_ = &task;
  count_ = count;
  next_index_ = 0;
  failure_ = nullptr;
  ++generation_;
  wake_.notify_all();
  RunIndices(lock);
  done_.wait(lock, [&] { return busy_workers_ == 0; });
  task_ = nullptr;
  count_ = 0;
  std::exception_ptr failure = failure_;
  failure_ = nullptr;
  lock.unlock();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace alphaloom
