#pragma once
// Helpers shared by the tests: temporary directories, the shared real-data folder, running the CLI.
#include <filesystem>
#include <string>

namespace alphaloom::test {

/// A fresh directory under the system temp dir, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

/// Writes `content` to `path`, creating parent directories.
void WriteText(const std::filesystem::path& path, const std::string& content);

/// ../shared/data/real (or $ALPHALOOM_REAL_DATA); empty when absent, so tests can skip.
std::filesystem::path RealDataDir();

/// Result of running the alphaloom binary.
struct CommandResult {
  int exit_code = 0;
  std::string output;  ///< stdout and stderr interleaved
};

/// Runs the built `alphaloom` binary with `arguments` (a shell-quoted string).
CommandResult RunAlphaloom(const std::string& arguments);

}  // namespace alphaloom::test

/// Skips the current test with a clear message when the shared real data is not present.
#define ALPHALOOM_REQUIRE_REAL_DATA(dir)                                                              \
  const std::filesystem::path dir = ::alphaloom::test::RealDataDir();                                 \
  if (dir.empty()) GTEST_SKIP() << "../shared/data/real not present (set ALPHALOOM_REAL_DATA); skipping real-data test"
