#include "alphaloom/common/process.h"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace alphaloom {
namespace {

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) return "unknown-host";
  return name;
}

// Field 22 of /proc/PID/stat (starttime); empty when the process does not exist. The second
// field (the command name) may hold spaces and parentheses, so fields are counted after its
// last ')'.
std::string StartTicks(long pid) {
  std::ifstream file(fmt::format("/proc/{}/stat", pid));
  if (!file) return "";
  std::stringstream text;
  text << file.rdbuf();
  const std::string stat = text.str();
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return "";
  std::istringstream fields(stat.substr(close + 1));
  std::string field;
  for (int index = 3; index <= 22 && (fields >> field); ++index) {
    if (index == 22) return field;
  }
  return "";
}

}  // namespace

std::string ProcessToken() {
  const long pid = static_cast<long>(getpid());
  return fmt::format("{}:{}:{}", HostName(), pid, StartTicks(pid));
}

bool ProcessMayBeAlive(const std::string& token) {
  const size_t last = token.rfind(':');
  if (last == std::string::npos || last == 0) return true;
  const size_t middle = token.rfind(':', last - 1);
  if (middle == std::string::npos) return true;
  if (token.substr(0, middle) != HostName()) return true;
  const std::string pid_text = token.substr(middle + 1, last - middle - 1);
  long pid = 0;
  const auto [end, error] = std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), pid);
  if (error != std::errc() || end != pid_text.data() + pid_text.size() || pid <= 0) return true;
  const std::string start = StartTicks(pid);
  return !start.empty() && start == token.substr(last + 1);
}

}  // namespace alphaloom
