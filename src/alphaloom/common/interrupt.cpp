#include "alphaloom/common/interrupt.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "alphaloom/common/error.h"

namespace alphaloom {
namespace {

// The write end of the live watcher's pipe; the handler only writes one byte to it
// (async-signal-safe). One watcher at a time.
std::atomic<int> g_write_end{-1};

void OnSignal(int signal) {
  const int fd = g_write_end.load();
  if (fd < 0) return;
  const unsigned char byte = static_cast<unsigned char>(signal);
  [[maybe_unused]] const ssize_t written = write(fd, &byte, 1);
}

// The byte that asks the thread to stop (no signal has number 0).
constexpr unsigned char kStop = 0;

}  // namespace

InterruptWatcher::InterruptWatcher(std::function<void(int signal)> on_interrupt) : on_interrupt_(std::move(on_interrupt)) {
  if (pipe2(pipe_, O_CLOEXEC) != 0) throw Error(ErrorKind::kInternal, "cannot create the interrupt pipe");
  int expected = -1;
  if (!g_write_end.compare_exchange_strong(expected, pipe_[1])) {
    close(pipe_[0]);
    close(pipe_[1]);
    throw Error(ErrorKind::kInternal, "an InterruptWatcher is already active");
  }
  thread_ = std::thread([this] { Watch(); });
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &previous_int_);
  sigaction(SIGTERM, &action, &previous_term_);
}

InterruptWatcher::~InterruptWatcher() {
  sigaction(SIGINT, &previous_int_, nullptr);
  sigaction(SIGTERM, &previous_term_, nullptr);
  const unsigned char stop = kStop;
  [[maybe_unused]] const ssize_t written = write(pipe_[1], &stop, 1);
  if (thread_.joinable()) thread_.join();
  g_write_end.store(-1);
  close(pipe_[0]);
  close(pipe_[1]);
}

void InterruptWatcher::Watch() {
  while (true) {
    unsigned char byte = 0;
    const ssize_t got = read(pipe_[0], &byte, 1);
    if (got < 0 && errno == EINTR) continue;
    if (got != 1 || byte == kStop) return;
    const int signal = byte;
    try {
      on_interrupt_(signal);
    } catch (...) {
      // Dying anyway: the callback's failure must not turn into std::terminate's message.
    }
    _exit(128 + signal);
  }
}

}  // namespace alphaloom
