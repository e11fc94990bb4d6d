#pragma once
// Process-wide logging to stderr: plain lines for people, JSON lines for machines.
// The CLI configures it once; library code only calls the Log* functions.
#include <fmt/format.h>

#include <string>
#include <string_view>

namespace alphaloom {

enum class LogLevel { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3 };

/// kQuiet shows errors only, kNormal adds warnings and info, kVerbose adds debug lines.
enum class Verbosity { kQuiet, kNormal, kVerbose };

enum class LogFormat { kText, kJsonLines };

/// Sets what is shown and how. Not thread-safe against concurrent logging; call at start-up.
void ConfigureLogging(Verbosity verbosity, LogFormat format);

/// True when a line of `level` would be written.
bool LogEnabled(LogLevel level);

/// Writes one line (thread-safe). In JSON mode: {"level":"warn","msg":"..."}.
void LogLine(LogLevel level, std::string_view message);

/// True when stderr is a terminal showing text logs (not --quiet, not --log-json): then a status
/// line may be drawn in place.
bool StatusLineAvailable();

/// Replaces the status line (one line, no newline) kept at the bottom of the terminal; log lines
/// are written above it. Empty erases it. Callers check StatusLineAvailable() first.
void SetStatusLine(std::string_view text);

/// Escapes `text` for inclusion inside a JSON string literal.
std::string JsonEscape(std::string_view text);

template <typename... Args>
void LogInfo(fmt::format_string<Args...> format, Args&&... args) {
  if (LogEnabled(LogLevel::kInfo)) LogLine(LogLevel::kInfo, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
void LogWarn(fmt::format_string<Args...> format, Args&&... args) {
  if (LogEnabled(LogLevel::kWarn)) LogLine(LogLevel::kWarn, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
void LogDebug(fmt::format_string<Args...> format, Args&&... args) {
  if (LogEnabled(LogLevel::kDebug)) LogLine(LogLevel::kDebug, fmt::format(format, std::forward<Args>(args)...));
}
template <typename... Args>
void LogError(fmt::format_string<Args...> format, Args&&... args) {
  LogLine(LogLevel::kError, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace alphaloom
