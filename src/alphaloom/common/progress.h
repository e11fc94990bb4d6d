#pragma once
// Progress of one long task with an estimate of the time left. On a terminal (StatusLineAvailable)
// the status line is redrawn in place, at most five times a second; otherwise a plain log line is
// written at most every `plain_every_seconds`, so a log file gets a few lines, not thousands.
#include <chrono>
#include <string>
#include <string_view>

namespace alphaloom {

/// "45s", "3m07s", "1h02m"; "?" when nothing is done yet (no basis for an estimate).
std::string FormatEta(double elapsed_seconds, double fraction_done);

class Progress {
 public:
  explicit Progress(std::string label, double plain_every_seconds = 15.0);
  /// Erases the status line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// `fraction_done` in [0, 1]; `detail` e.g. "fold 3/12 round 150/1000".
  void Update(double fraction_done, std::string_view detail);

 private:
  std::string label_;
  double plain_every_seconds_;
  bool terminal_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_shown_;
  bool shown_ = false;
};

}  // namespace alphaloom
