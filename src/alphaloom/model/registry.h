#pragma once
// Versioned models on disk, by (name, scope, horizon):
//
//   <root>/<name>/<scope>/h<horizon>/v<version>/{metadata.json, <native model file>}
//
// `scope` is the universe the model was trained on ("csi300", "all") or a single ticker.
// Versions count from 1; each is an artifact directory (artifact.h) that is never modified
// once registered. "latest" is the highest complete version.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "alphaloom/model/artifact.h"

namespace alphaloom::model {

struct RegistryKey {
  std::string name;   ///< model name, e.g. "quickstart_lgb"
  std::string scope;  ///< universe or ticker
  int horizon = 1;    ///< label horizon in bars, >= 0
};

class ModelRegistry {
 public:
  /// A registry under `root` (created on the first Register).
  explicit ModelRegistry(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }

  /// <root>/<name>/<scope>/h<horizon>/v<version>. Throws Error(kConfig) for a name or scope
  /// that is empty, ".", ".." or holds characters other than letters, digits, '.', '_', '-',
  /// or a negative horizon or version < 1.
  std::filesystem::path Path(const RegistryKey& key, int version) const;

  /// Registered versions, ascending; a directory without metadata.json is not a version.
  std::vector<int> Versions(const RegistryKey& key) const;
  /// The highest version; nullopt when none is registered.
  std::optional<int> Latest(const RegistryKey& key) const;
  /// Latest() + 1, or 1.
  int NextVersion(const RegistryKey& key) const;

  /// Saves `model` as the next version and returns it. The artifact is written under a
  /// temporary name and renamed into place without replacing anything, so concurrent
  /// registrations get distinct versions and a reader never sees a partial version. Throws
  /// Error(kUsage) for an unfitted model and Error(kIo) when the registry cannot be written.
  int Register(const RegistryKey& key, const Model& model, const ArtifactInfo& info);

  /// Copies the directory `source` (e.g. a fold ensemble written by `alphaloom train`, holding
  /// ensemble.json) as the next version, claimed as Register does. Returns the version.
  /// Throws Error(kIo) when the copy fails (nothing is left behind).
  int RegisterDirectory(const RegistryKey& key, const std::filesystem::path& source);
  /// Loads `version`, or the latest when nullopt. Throws Error(kNotFound) naming the key when
  /// there is no such version, then as LoadModel.
  LoadedModel Load(const RegistryKey& key, std::optional<int> version = std::nullopt) const;
  /// The same, refusing a model whose features differ from `features` (see LoadModel).
  LoadedModel Load(const RegistryKey& key, std::span<const std::string> features,
                   std::optional<int> version = std::nullopt) const;

 private:
  std::filesystem::path KeyDirectory(const RegistryKey& key) const;
  std::filesystem::path StagingPath(const RegistryKey& key) const;
  int ClaimVersion(const RegistryKey& key, const std::filesystem::path& staged) const;
  int ResolveVersion(const RegistryKey& key, std::optional<int> version) const;

  std::filesystem::path root_;
};

}  // namespace alphaloom::model
