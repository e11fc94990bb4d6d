#pragma once
// Naming the running process so another process can later tell whether it is still alive: a
// token "host:pid:start" where start is the process's start time in clock ticks since boot
// (/proc/PID/stat), so a pid reused by a later process does not pass for the first one.
#include <string>

namespace alphaloom {

/// This process's token.
std::string ProcessToken();

/// False when `token` names a process of this host that is gone (no such pid, or the pid now
/// belongs to a process started at another time); true when it is alive or cannot be judged
/// (another host, or a malformed token).
bool ProcessMayBeAlive(const std::string& token);

}  // namespace alphaloom
