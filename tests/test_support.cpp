#include "test_support.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>

namespace alphaloom::test {

TempDir::TempDir() {
  std::random_device device;
  path_ = std::filesystem::temp_directory_path() / ("alphaloom-test-" + std::to_string(device()) + std::to_string(device()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void WriteText(const std::filesystem::path& path, const std::string& content) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::filesystem::path RealDataDir() {
  std::filesystem::path dir;
  if (const char* env = std::getenv("ALPHALOOM_REAL_DATA")) {
    dir = env;
  } else {
    dir = std::filesystem::path(ALPHALOOM_SHARED_DIR) / "data" / "real";
  }
  return std::filesystem::is_directory(dir) ? dir : std::filesystem::path();
}

CommandResult RunAlphaloom(const std::string& arguments) {
  const std::string command = std::string("'") + ALPHALOOM_BINARY + "' " + arguments + " 2>&1";
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::array<char, 4096> buffer;
  size_t read = 0;
  while ((read = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), read);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace alphaloom::test
