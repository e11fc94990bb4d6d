#include "alphaloom/track/sync.h"

#include <fmt/format.h>

#include <map>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"

namespace alphaloom::track {
namespace fs = std::filesystem;

std::string SyncRun(FileStoreTracker& from, const std::string& experiment_name, const RunInfo& run, RestTracker& to,
                    SyncSummary& summary) {
  std::optional<RunInfo> remote = to.FindRunByTag(experiment_name, kSourceRunTag, run.run_id);
  if (remote && remote->status == run.status && run.status != RunStatus::kRunning) {
    ++summary.runs_skipped;
    return remote->run_id;
  }
  KeyValues tags;
  for (const auto& [key, value] : from.ReadTags(run.run_id)) {
    // The server records its own user and source type at creation.
    if (key != "mlflow.user" && key != "mlflow.source.type") tags.emplace_back(key, value);
  }
  if (!remote) {
    KeyValues create_tags = {{kSourceRunTag, run.run_id}};
    remote = to.StartRun(experiment_name, run.run_name, run.start_time_ms, create_tags);
    ++summary.runs_created;
  } else {
    ++summary.runs_completed;
  }
  // Params with equal values, metric points already stored (same key, time, step, value) and
  // tags are all accepted again by the server, so resuming a half-sent run repeats them safely.
  to.LogBatch(remote->run_id, from.ReadParams(run.run_id), from.ReadMetrics(run.run_id), tags);
  fs::path artifacts = from.ArtifactDirectory(run.run_id);
  if (fs::is_directory(artifacts) && !fs::is_empty(artifacts)) to.LogArtifact(remote->run_id, artifacts, "");
  if (run.status != RunStatus::kRunning) to.EndRun(remote->run_id, run.status, run.end_time_ms.value_or(run.start_time_ms));
  return remote->run_id;
}

SyncSummary SyncStore(FileStoreTracker& from, RestTracker& to) {
  SyncSummary summary;
  std::map<std::string, std::string> remote_run_of;
  for (const ExperimentInfo& experiment : from.ListExperiments()) {
    for (const RunInfo& run : from.ListRuns(experiment.experiment_id)) {
      remote_run_of[run.run_id] = SyncRun(from, experiment.name, run, to, summary);
      LogInfo("synced run {} ({}) -> {}", run.run_id, experiment.name, remote_run_of[run.run_id]);
    }
  }
  std::vector<RegisteredModel> remote_models = to.ListModels();
  for (const RegisteredModel& model : from.ListModels()) {
    std::map<std::string, int> remote_version_of_source;
    for (const RegisteredModel& remote : remote_models) {
      if (remote.name != model.name) continue;
      for (const ModelVersion& version : remote.versions) {
        auto tag = version.tags.find(kSourceVersionTag);
        if (tag != version.tags.end()) remote_version_of_source[tag->second] = version.version;
      }
    }
    for (const ModelVersion& version : model.versions) {
      auto run = remote_run_of.find(version.run_id);
      if (run == remote_run_of.end()) continue;
      std::string source_key = fmt::format("{}/{}", version.run_id, version.version);
      int remote_version = 0;
      auto found = remote_version_of_source.find(source_key);
      if (found != remote_version_of_source.end()) {
        remote_version = found->second;
        ++summary.versions_skipped;
      } else {
        std::string run_prefix = from.GetRun(version.run_id).artifact_uri;
        std::string artifact_path;
        if (version.source.rfind(run_prefix + "/", 0) == 0) artifact_path = version.source.substr(run_prefix.size() + 1);
        KeyValues tags(version.tags.begin(), version.tags.end());
        tags.emplace_back(kSourceVersionTag, source_key);
        remote_version = to.RegisterModelVersion(model.name, run->second, artifact_path, tags).version;
        ++summary.versions_created;
      }
      for (const std::string& alias : version.aliases) {
        to.SetAlias(model.name, alias, remote_version);
        ++summary.aliases_set;
      }
    }
  }
  return summary;
}

}  // namespace alphaloom::track
