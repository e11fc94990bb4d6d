#include "alphaloom/model/registry.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "alphaloom/common/error.h"

namespace alphaloom::model {
namespace {

void CheckComponent(const std::string& text, std::string_view what) {
  bool ok = !text.empty() && text != "." && text != "..";
  for (const char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') ok = false;
  }
  if (!ok) {
    throw Error(ErrorKind::kConfig,
                fmt::format("model registry: {} '{}' must be letters, digits, '.', '_' or '-'", what, text));
  }
}

std::string KeyText(const RegistryKey& key) {
  return fmt::format("{}/{}/h{}", key.name, key.scope, key.horizon);
}

// "v12" -> 12; anything else -> 0.
int VersionOf(const std::string& name) {
  if (name.size() < 2 || name[0] != 'v' || name.size() > 10) return 0;
  int version = 0;
  for (size_t index = 1; index < name.size(); ++index) {
    if (!std::isdigit(static_cast<unsigned char>(name[index]))) return 0;
    version = version * 10 + (name[index] - '0');
  }
  return name[1] == '0' ? 0 : version;
}

}  // namespace

ModelRegistry::ModelRegistry(std::filesystem::path root) : root_(std::move(root)) {}

std::filesystem::path ModelRegistry::KeyDirectory(const RegistryKey& key) const {
  CheckComponent(key.name, "name");
  CheckComponent(key.scope, "scope");
  if (key.horizon < 0) throw Error(ErrorKind::kConfig, fmt::format("model registry: horizon {} < 0", key.horizon));
  return root_ / key.name / key.scope / fmt::format("h{}", key.horizon);
}

std::filesystem::path ModelRegistry::Path(const RegistryKey& key, int version) const {
  if (version < 1) throw Error(ErrorKind::kConfig, fmt::format("model registry: version {} < 1", version));
  return KeyDirectory(key) / fmt::format("v{}", version);
}

std::vector<int> ModelRegistry::Versions(const RegistryKey& key) const {
  const std::filesystem::path directory = KeyDirectory(key);
  std::vector<int> versions;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    const int version = VersionOf(entry.path().filename().string());
    const bool complete = std::filesystem::is_regular_file(entry.path() / "metadata.json") ||
                          std::filesystem::is_regular_file(entry.path() / "ensemble.json");
    if (version > 0 && complete) versions.push_back(version);
  }
  std::sort(versions.begin(), versions.end());
  return versions;
}

std::optional<int> ModelRegistry::Latest(const RegistryKey& key) const {
  const std::vector<int> versions = Versions(key);
  if (versions.empty()) return std::nullopt;
  return versions.back();
}

int ModelRegistry::NextVersion(const RegistryKey& key) const {
  return Latest(key).value_or(0) + 1;
}

std::filesystem::path ModelRegistry::StagingPath(const RegistryKey& key) const {
  const std::filesystem::path directory = KeyDirectory(key);
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error)
    throw Error(ErrorKind::kIo, fmt::format("{}: cannot create directory: {}", directory.string(), error.message()));
  static std::atomic<unsigned> counter{0};
  return directory / fmt::format(".staging-{}-{}", ::getpid(), counter.fetch_add(1));
}

int ModelRegistry::ClaimVersion(const RegistryKey& key, const std::filesystem::path& staged) const {
  const std::filesystem::path directory = KeyDirectory(key);
  std::error_code error;
  // A version directory is claimed by renaming onto a name nobody holds; on a clash another
  // process registered that version first, so the next number is tried.
  for (int version = NextVersion(key);; ++version) {
    const std::filesystem::path target = directory / fmt::format("v{}", version);
    if (::renameat2(AT_FDCWD, staged.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0) return version;
    if (errno != EEXIST) {
      const std::string reason = std::strerror(errno);
      std::filesystem::remove_all(staged, error);
      throw Error(ErrorKind::kIo, fmt::format("{}: cannot register: {}", target.string(), reason));
    }
  }
}

int ModelRegistry::Register(const RegistryKey& key, const Model& model, const ArtifactInfo& info) {
  const std::filesystem::path staged = StagingPath(key);
  SaveModel(model, info, staged);
  return ClaimVersion(key, staged);
}

int ModelRegistry::RegisterDirectory(const RegistryKey& key, const std::filesystem::path& source) {
  const std::filesystem::path staged = StagingPath(key);
  std::error_code error;
  std::filesystem::copy(source, staged, std::filesystem::copy_options::recursive, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove_all(staged, ignored);
    throw Error(ErrorKind::kIo, fmt::format("{}: cannot copy into the registry: {}", source.string(), error.message()));
  }
  return ClaimVersion(key, staged);
}

int ModelRegistry::ResolveVersion(const RegistryKey& key, std::optional<int> version) const {
  if (!version) {
    const std::optional<int> latest = Latest(key);
    if (!latest)
      throw Error(ErrorKind::kNotFound,
                  fmt::format("model registry {}: no version of {}", root_.string(), KeyText(key)));
    return *latest;
  }
  const std::vector<int> versions = Versions(key);
  if (!std::binary_search(versions.begin(), versions.end(), *version)) {
    throw Error(ErrorKind::kNotFound,
                fmt::format("model registry {}: {} has no version {}", root_.string(), KeyText(key), *version));
  }
  return *version;
}

LoadedModel ModelRegistry::Load(const RegistryKey& key, std::optional<int> version) const {
  return LoadModel(Path(key, ResolveVersion(key, version)));
}

LoadedModel ModelRegistry::Load(const RegistryKey& key, std::span<const std::string> features,
                                std::optional<int> version) const {
  return LoadModel(Path(key, ResolveVersion(key, version)), features);
}

}  // namespace alphaloom::model
