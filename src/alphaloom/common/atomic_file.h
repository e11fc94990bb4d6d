#pragma once
// Outputs appear whole or not at all: everything is written under a temporary name in the
// destination's directory and renamed into place.
#include <filesystem>
#include <functional>
#include <string_view>

namespace alphaloom {

/// Writes `content` to `path` through a temporary file and a rename. Throws Error(kIo).
void WriteFileAtomic(const std::filesystem::path& path, std::string_view content);

/// Calls `write` with a temporary path beside `path`, then renames that file into place. When
/// `write` throws, the temporary file is removed and the exception propagates; `path` is left
/// as it was. Throws Error(kIo) when the rename fails. For writers that open files themselves
/// (Arrow, Parquet).
void WriteThroughTemporary(const std::filesystem::path& path,
                           const std::function<void(const std::filesystem::path& temporary)>& write);

/// A directory built under a temporary sibling name and swapped into place by Commit().
/// If Commit() is never called (an error, an exception), the destructor removes the temporary
/// directory and the destination is left exactly as it was. Staging directories left by
/// processes that were killed (named "<destination>.tmp-<pid>-<n>") are removed on construction.
class StagingDirectory {
 public:
  explicit StagingDirectory(std::filesystem::path destination);
  ~StagingDirectory();
  StagingDirectory(const StagingDirectory&) = delete;
  StagingDirectory& operator=(const StagingDirectory&) = delete;

  /// Where to write the contents.
  const std::filesystem::path& path() const { return staging_; }
  /// Atomically replaces `destination` (exchanging it when it exists) with the staged contents.
  void Commit();

 private:
  std::filesystem::path destination_;
  std::filesystem::path staging_;
  bool committed_ = false;
};

}  // namespace alphaloom
