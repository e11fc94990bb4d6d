#pragma once
// models:/ URIs, as MLflow spells them: models:/NAME/VERSION and models:/NAME@ALIAS.
#include <filesystem>
#include <optional>
#include <string>

#include "alphaloom/track/tracker.h"

namespace alphaloom::track {

/// A parsed models:/ URI: exactly one of `version` and `alias` is set.
struct ModelUri {
  std::string name;
  std::optional<int> version;
  std::string alias;
};

/// Parses "models:/NAME/VERSION" or "models:/NAME@ALIAS"; Error(kUsage) naming the URI otherwise.
ModelUri ParseModelUri(const std::string& uri);

/// The registered version a models:/ URI names; Error(kNotFound) for an unknown model, version or
/// unset alias.
ModelVersion ResolveModelVersion(Tracker& tracker, const std::string& uri);

/// A local folder with the files of the model `uri` names (see Tracker::FetchModel).
std::filesystem::path ResolveModelDirectory(Tracker& tracker, const std::string& uri, const std::filesystem::path& cache_dir);

}  // namespace alphaloom::track
