#include "alphaloom/common/log.h"

#include <unistd.h>

#include <cstdio>
#include <mutex>

namespace alphaloom {
namespace {

struct LogState {
  Verbosity verbosity = Verbosity::kNormal;
  LogFormat format = LogFormat::kText;
  std::mutex mutex;
  std::string status;  ///< the status line shown on the terminal, empty when none
};

// Erases the status line from the terminal (carriage return, clear to end of line).
constexpr std::string_view kClearLine = "\r\033[K";

LogState& State() {
  static LogState state;
  return state;
}

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kError: return "error";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kInfo: return "info";
    case LogLevel::kDebug: return "debug";
  }
  return "info";
}

}  // namespace

void ConfigureLogging(Verbosity verbosity, LogFormat format) {
  State().verbosity = verbosity;
  State().format = format;
}

bool LogEnabled(LogLevel level) {
  switch (State().verbosity) {
    case Verbosity::kQuiet: return level == LogLevel::kError;
    case Verbosity::kNormal: return level != LogLevel::kDebug;
    case Verbosity::kVerbose: return true;
  }
  return true;
}

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out += c;
        }
    }
  }
  return out;
}

void LogLine(LogLevel level, std::string_view message) {
  LogState& state = State();
  std::string line;
  if (state.format == LogFormat::kJsonLines) {
    line = fmt::format("{{\"level\":\"{}\",\"msg\":\"{}\"}}\n", LevelName(level), JsonEscape(message));
  } else if (level == LogLevel::kInfo) {
    line = fmt::format("{}\n", message);
  } else {
    line = fmt::format("{}: {}\n", LevelName(level), message);
  }
  std::lock_guard lock(state.mutex);
  if (!state.status.empty()) std::fwrite(kClearLine.data(), 1, kClearLine.size(), stderr);
  std::fwrite(line.data(), 1, line.size(), stderr);
  if (!state.status.empty()) std::fwrite(state.status.data(), 1, state.status.size(), stderr);
  std::fflush(stderr);
}

bool StatusLineAvailable() {
  return State().format == LogFormat::kText && State().verbosity != Verbosity::kQuiet && isatty(fileno(stderr)) == 1;
}

void SetStatusLine(std::string_view text) {
  LogState& state = State();
  std::lock_guard lock(state.mutex);
  if (state.status.empty() && text.empty()) return;
  state.status.assign(text);
  std::fwrite(kClearLine.data(), 1, kClearLine.size(), stderr);
  std::fwrite(state.status.data(), 1, state.status.size(), stderr);
  std::fflush(stderr);
}

}  // namespace alphaloom
