#include "alphaloom/pipeline/stage_cache.h"

#include <fmt/format.h>

#include <algorithm>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"

namespace alphaloom::pipeline {
namespace fs = std::filesystem;
namespace {

bool IsStagingLeftover(const fs::path& path) { return path.filename().string().find(".tmp-") != std::string::npos; }

// Files listed in a stable order, each with its size and modification time (and the bytes of
// the small metadata files), so any rewrite of the data changes the fingerprint.
std::string FingerprintTree(const fs::path& root, const std::vector<std::string>& hash_bytes_of) {
  std::error_code error;
  if (!fs::exists(root, error)) throw Error(ErrorKind::kNotFound, fmt::format("{}: no such file or directory", root.string()));
  ContentHasher hasher;
  std::vector<fs::path> files;
  if (fs::is_regular_file(root, error)) {
    files.push_back(root);
  } else {
    fs::recursive_directory_iterator it(root, error), end;
    if (error) throw Error(ErrorKind::kIo, fmt::format("{}: cannot list: {}", root.string(), error.message()));
    for (; it != end; it.increment(error)) {
      if (error) throw Error(ErrorKind::kIo, fmt::format("{}: cannot list: {}", root.string(), error.message()));
      if (it->is_regular_file() && !IsStagingLeftover(it->path())) files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    const std::string relative = file == root ? file.filename().string() : fs::relative(file, root).generic_string();
    hasher.UpdateField(relative);
    if (std::find(hash_bytes_of.begin(), hash_bytes_of.end(), relative) != hash_bytes_of.end()) {
      hasher.UpdateFile(file);
      continue;
    }
    const uintmax_t size = fs::file_size(file, error);
    const auto modified = fs::last_write_time(file, error).time_since_epoch().count();
    hasher.UpdateField(fmt::format("{}:{}", size, modified));
  }
  return hasher.HexDigest();
}

}  // namespace

// Part of every key: bumped whenever a stage's outputs change shape, so entries written by an
// older build are never read as if they were current.
constexpr std::string_view kCacheFormat = "alphaloom-stage-cache-3";

StageKey::StageKey(std::string_view stage) { hasher_.UpdateField(kCacheFormat).UpdateField(stage); }

StageKey& StageKey::Add(std::string_view field) {
  hasher_.UpdateField(field);
  return *this;
}

std::string StageKey::Finish() { return hasher_.HexDigest(); }

std::string StoreFingerprint(const fs::path& store) {
  return FingerprintTree(store, {"calendars/day.txt", "instruments/all.txt"});
}

std::string InputFingerprint(const fs::path& input) { return FingerprintTree(input, {}); }

fs::path StageCache::Entry(std::string_view stage, std::string_view key) const {
  return root_ / std::string(stage) / std::string(key);
}

bool StageCache::Has(std::string_view stage, std::string_view key) const {
  std::error_code error;
  return fs::is_directory(Entry(stage, key), error);
}

fs::path StageCache::Build(std::string_view stage, std::string_view key,
                           const std::function<void(const fs::path& staging)>& build) const {
  const fs::path entry = Entry(stage, key);
  StagingDirectory staging(entry);
  build(staging.path());
  staging.Commit();
  return entry;
}

std::vector<CacheEntryInfo> ListCache(const fs::path& root) {
  std::vector<CacheEntryInfo> entries;
  std::error_code error;
  if (!fs::is_directory(root, error)) return entries;
  for (const auto& stage : fs::directory_iterator(root, error)) {
    if (!stage.is_directory()) continue;
    for (const auto& entry : fs::directory_iterator(stage.path(), error)) {
      if (!entry.is_directory() || IsStagingLeftover(entry.path())) continue;
      CacheEntryInfo info{stage.path().filename().string(), entry.path().filename().string(), 0,
                          fs::last_write_time(entry.path(), error)};
      for (const auto& file : fs::recursive_directory_iterator(entry.path(), error)) {
        if (file.is_regular_file()) info.bytes += file.file_size(error);
      }
      entries.push_back(std::move(info));
    }
  }
  std::sort(entries.begin(), entries.end(), [](const CacheEntryInfo& a, const CacheEntryInfo& b) {
    return a.stage != b.stage ? a.stage < b.stage : a.modified < b.modified;
  });
  return entries;
}

size_t ClearCache(const fs::path& root, const std::optional<std::string>& stage) {
  size_t removed = 0;
  std::error_code error;
  if (!fs::is_directory(root, error)) return 0;
  for (const auto& stage_dir : fs::directory_iterator(root, error)) {
    if (!stage_dir.is_directory() || (stage && stage_dir.path().filename() != *stage)) continue;
    for (const auto& entry : fs::directory_iterator(stage_dir.path(), error)) {
      fs::remove_all(entry.path(), error);
      if (error) throw Error(ErrorKind::kIo, fmt::format("{}: cannot remove: {}", entry.path().string(), error.message()));
      ++removed;
    }
  }
  return removed;
}

}  // namespace alphaloom::pipeline
