#include "alphaloom/track/model_uri.h"

#include <fmt/format.h>

#include "alphaloom/common/error.h"

namespace alphaloom::track {

ModelUri ParseModelUri(const std::string& uri) {
  const std::string prefix = "models:/";
  auto bad = [&](const char* why) {
    return Error(ErrorKind::kUsage, fmt::format("model uri '{}': {} (models:/NAME/VERSION or models:/NAME@ALIAS)", uri, why));
  };
  if (uri.rfind(prefix, 0) != 0) throw bad("must start with models:/");
  std::string rest = uri.substr(prefix.size());
  ModelUri out;
  if (size_t at = rest.rfind('@'); at != std::string::npos) {
    out.name = rest.substr(0, at);
    out.alias = rest.substr(at + 1);
    if (out.name.empty() || out.alias.empty()) throw bad("empty name or alias");
    return out;
  }
  size_t slash = rest.rfind('/');
  if (slash == std::string::npos) throw bad("no version or alias");
  out.name = rest.substr(0, slash);
  std::string version = rest.substr(slash + 1);
  if (out.name.empty() || version.empty() || version.find_first_not_of("0123456789") != std::string::npos) {
    throw bad("version must be a positive integer");
  }
  out.version = std::stoi(version);
  return out;
}

ModelVersion ResolveModelVersion(Tracker& tracker, const std::string& uri) {
  ModelUri parsed = ParseModelUri(uri);
  if (parsed.version) return tracker.GetVersion(parsed.name, *parsed.version);
  std::optional<ModelVersion> version = tracker.GetVersionByAlias(parsed.name, parsed.alias);
  if (!version) {
    throw Error(ErrorKind::kNotFound, fmt::format("model uri '{}': alias '{}' is not set on model '{}'", uri,
                                                  parsed.alias, parsed.name));
  }
  return *version;
}

std::filesystem::path ResolveModelDirectory(Tracker& tracker, const std::string& uri, const std::filesystem::path& cache_dir) {
  return tracker.FetchModel(ResolveModelVersion(tracker, uri), cache_dir);
}

}  // namespace alphaloom::track
