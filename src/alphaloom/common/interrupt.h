#pragma once
// Last words on SIGINT and SIGTERM. While an InterruptWatcher lives, either signal runs its
// callback on the watcher's own thread (an ordinary thread, so the callback may allocate, write
// files and log), then ends the process with _exit(128 + signal), as the default action would
// have. Work in flight is abandoned exactly as by kill -9, which every writer here already
// survives (temporary names, then rename).
#include <csignal>
#include <functional>
#include <thread>

namespace alphaloom {

class InterruptWatcher {
 public:
  /// Installs the handlers; `on_interrupt` receives the signal number.
  explicit InterruptWatcher(std::function<void(int signal)> on_interrupt);
  /// Restores the previous handlers and stops the thread.
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;

 private:
  void Watch();

  std::function<void(int)> on_interrupt_;
  int pipe_[2] = {-1, -1};
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
  std::thread thread_;
};

}  // namespace alphaloom
