#include "alphaloom/common/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdio.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "alphaloom/common/error.h"

namespace alphaloom {
namespace {

std::filesystem::path TemporarySibling(const std::filesystem::path& path) {
  static std::atomic<unsigned> counter{0};
  std::filesystem::path sibling = path;
  sibling += fmt::format(".tmp-{}-{}", ::getpid(), counter.fetch_add(1));
  return sibling;
}

// Removes staging leftovers of `path` from processes that no longer run (a kill -9 mid-write).
void RemoveStaleSiblings(const std::filesystem::path& path) {
  const std::string prefix = path.filename().string() + ".tmp-";
  const std::filesystem::path parent = path.has_parent_path() ? path.parent_path() : ".";
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(parent, error)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      std::filesystem::remove_all(entry.path(), error);
    }
  }
}

}  // namespace

void WriteFileAtomic(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path temporary = TemporarySibling(path);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorKind::kIo, fmt::format("{}: cannot create file", temporary.string()));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw Error(ErrorKind::kIo, fmt::format("{}: write failed", temporary.string()));
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    throw Error(ErrorKind::kIo, fmt::format("{}: cannot rename into place", path.string()));
  }
}

void WriteThroughTemporary(const std::filesystem::path& path,
                           const std::function<void(const std::filesystem::path& temporary)>& write) {
  const std::filesystem::path temporary = TemporarySibling(path);
  try {
    write(temporary);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw;
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    throw Error(ErrorKind::kIo, fmt::format("{}: cannot rename into place", path.string()));
  }
}

StagingDirectory::StagingDirectory(std::filesystem::path destination) : destination_(std::move(destination)) {
  if (destination_.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(destination_.parent_path(), error);
    if (error) {
      throw Error(ErrorKind::kIo, fmt::format("{}: cannot create directory: {}", destination_.parent_path().string(),
                                              error.message()));
    }
  }
  RemoveStaleSiblings(destination_);
  staging_ = TemporarySibling(destination_);
  std::error_code error;
  if (!std::filesystem::create_directory(staging_, error)) {
    throw Error(ErrorKind::kIo, fmt::format("{}: cannot create directory", staging_.string()));
  }
}

StagingDirectory::~StagingDirectory() {
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove_all(staging_, ignored);
  }
}

void StagingDirectory::Commit() {
  std::error_code error;
  if (std::filesystem::exists(destination_, error)) {
    if (!std::filesystem::is_directory(destination_)) {
      throw Error(ErrorKind::kIo, fmt::format("{}: exists and is not a directory", destination_.string()));
    }
    // Swap the old and new trees in one step, then delete the old one now at the staging name.
    if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, destination_.c_str(), RENAME_EXCHANGE) != 0) {
      throw Error(ErrorKind::kIo, fmt::format("{}: cannot replace directory: {}", destination_.string(),
                                              std::strerror(errno)));
    }
    committed_ = true;
    std::filesystem::remove_all(staging_, error);
    return;
  }
  std::filesystem::rename(staging_, destination_, error);
  if (error) {
    throw Error(ErrorKind::kIo, fmt::format("{}: cannot rename into place: {}", destination_.string(), error.message()));
  }
  committed_ = true;
}

}  // namespace alphaloom
