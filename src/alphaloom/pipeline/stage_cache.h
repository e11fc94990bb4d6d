#pragma once
// The workflow's stage cache: each stage's outputs live in <root>/<stage>/<key>/, where the key
// is a content hash of everything the outputs depend on (the inputs' fingerprints, the config
// sections the stage reads, and the keys of the stages before it). An entry is built in a
// staging directory and renamed into place, so it exists whole or not at all: a run killed at
// any moment leaves no half-written entry, and the next run resumes from the last whole one.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alphaloom/common/hash.h"

namespace alphaloom::pipeline {

/// Builds a stage key: the cache format version, the stage name, then the fields, hashed with
/// length prefixes, in order.
class StageKey {
 public:
  explicit StageKey(std::string_view stage);
  StageKey& Add(std::string_view field);
  /// 64 hex digits; the key must not be used afterwards.
  std::string Finish();

 private:
  ContentHasher hasher_;
};

/// A fingerprint of a store directory that changes whenever its data does: the calendar and
/// instrument files' bytes, and every other file's relative path, size and modification time.
/// Throws Error(kIo) when the directory cannot be listed.
std::string StoreFingerprint(const std::filesystem::path& store);

/// The same over a bar file or a directory of them (an ingest input).
std::string InputFingerprint(const std::filesystem::path& input);

class StageCache {
 public:
  explicit StageCache(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path Entry(std::string_view stage, std::string_view key) const;
  bool Has(std::string_view stage, std::string_view key) const;
  /// Calls `build` with an empty staging directory and renames it to Entry(stage, key) when
  /// `build` returns; when it throws, nothing is left behind and the exception propagates.
  std::filesystem::path Build(std::string_view stage, std::string_view key,
                              const std::function<void(const std::filesystem::path& staging)>& build) const;

 private:
  std::filesystem::path root_;
};

/// One cache entry, for `alphaloom cache info`.
struct CacheEntryInfo {
  std::string stage;
  std::string key;
  uintmax_t bytes = 0;
  std::filesystem::file_time_type modified;
};

/// Every entry under `root` (none when it does not exist), sorted by stage then age.
std::vector<CacheEntryInfo> ListCache(const std::filesystem::path& root);

/// Removes the entries of `stage` (every stage when nullopt); returns how many were removed.
size_t ClearCache(const std::filesystem::path& root, const std::optional<std::string>& stage);

}  // namespace alphaloom::pipeline
