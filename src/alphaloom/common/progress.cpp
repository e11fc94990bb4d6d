#include "alphaloom/common/progress.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "alphaloom/common/log.h"

namespace alphaloom {

std::string FormatEta(double elapsed_seconds, double fraction_done) {
  if (!(fraction_done > 0) || !std::isfinite(elapsed_seconds)) return "?";
  const double fraction = std::min(fraction_done, 1.0);
  const long left = std::lround(elapsed_seconds * (1.0 - fraction) / fraction);
  if (left < 60) return fmt::format("{}s", left);
  if (left < 3600) return fmt::format("{}m{:02}s", left / 60, left % 60);
  return fmt::format("{}h{:02}m", left / 3600, (left % 3600) / 60);
}

Progress::Progress(std::string label, double plain_every_seconds)
    : label_(std::move(label)),
      plain_every_seconds_(plain_every_seconds),
      terminal_(StatusLineAvailable()),
      started_(std::chrono::steady_clock::now()),
      last_shown_(started_) {}

Progress::~Progress() {
  if (terminal_) SetStatusLine("");
}

void Progress::Update(double fraction_done, std::string_view detail) {
  const auto now = std::chrono::steady_clock::now();
  const double since_shown = std::chrono::duration<double>(now - last_shown_).count();
  if (shown_ && since_shown < (terminal_ ? 0.2 : plain_every_seconds_)) return;
  const double elapsed = std::chrono::duration<double>(now - started_).count();
  const std::string text = fmt::format("{} {} ({:.0f}%, ETA {})", label_, detail,
                                       100.0 * std::clamp(fraction_done, 0.0, 1.0), FormatEta(elapsed, fraction_done));
  if (terminal_) {
    SetStatusLine(text);
  } else {
    LogInfo("{}", text);
  }
  last_shown_ = now;
  shown_ = true;
}

}  // namespace alphaloom
