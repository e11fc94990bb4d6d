#pragma once
// MLflow's file store ("mlruns" folder) written and read directly, in the exact layout the MLflow
// Python stores read (numeric experiment ids, 32-hex run ids, integer status, millisecond times,
// metrics/params/artifacts folders in every run, values without trailing newline, meta.yaml
// replaced atomically), plus the model registry under <root>/models.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "alphaloom/track/tracker.h"

namespace alphaloom::track {

/// An experiment folder of the store.
struct ExperimentInfo {
  std::string experiment_id;
  std::string name;
  std::string artifact_location;
};

/// The Tracker over a local file store. One writer per run at a time (metric files are appended).
class FileStoreTracker : public Tracker {
 public:
  /// Opens (creating when missing) the store at `root`, with the Default experiment "0" and
  /// ".trash". Error(kIo) when the folder cannot be created.
  FileStoreTracker(std::filesystem::path root, TrackerOptions options);

  RunInfo StartRun(const std::string& experiment, const std::string& run_name, int64_t start_time_ms,
                   const KeyValues& tags) override;
  void LogParams(const std::string& run_id, const KeyValues& params) override;
  void LogMetrics(const std::string& run_id, const std::vector<MetricPoint>& metrics) override;
  void SetTags(const std::string& run_id, const KeyValues& tags) override;
  void LogArtifact(const std::string& run_id, const std::filesystem::path& local,
                   const std::string& artifact_path) override;
  void EndRun(const std::string& run_id, RunStatus status, int64_t end_time_ms) override;
  RunInfo GetRun(const std::string& run_id) override;
  std::map<std::string, double> LatestMetrics(const std::string& run_id) override;
  ModelVersion RegisterModelVersion(const std::string& name, const std::string& run_id,
                                    const std::string& artifact_path, const KeyValues& tags) override;
  void SetAlias(const std::string& name, const std::string& alias, int version) override;
  std::optional<ModelVersion> GetVersionByAlias(const std::string& name, const std::string& alias) override;
  ModelVersion GetVersion(const std::string& name, int version) override;
  std::vector<RegisteredModel> ListModels() override;
  std::filesystem::path FetchModel(const ModelVersion& version, const std::filesystem::path& cache_dir) override;

  /// Active experiments (all-digit folders with a readable meta.yaml), by id.
  std::vector<ExperimentInfo> ListExperiments() const;
  /// The runs of one experiment (folders with a run meta.yaml), by start time.
  std::vector<RunInfo> ListRuns(const std::string& experiment_id) const;
  /// Params of a run, by key.
  KeyValues ReadParams(const std::string& run_id) const;
  /// Tags of a run, by key.
  KeyValues ReadTags(const std::string& run_id) const;
  /// Every metric point of a run, by key then in logged order.
  std::vector<MetricPoint> ReadMetrics(const std::string& run_id) const;
  /// The run's artifacts folder.
  std::filesystem::path ArtifactDirectory(const std::string& run_id) const;
  /// The store root (absolute).
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path RunDirectory(const std::string& run_id) const;
  std::filesystem::path ModelDirectory(const std::string& name) const;
  std::string FindOrCreateExperiment(const std::string& name);
  void CheckActive(const std::string& run_id);
  void WriteRunMeta(const std::filesystem::path& dir, const RunInfo& info);

  std::filesystem::path root_;
  TrackerOptions options_;
};

/// "file:///abs/path" for an absolute path, percent-encoding what a URI cannot hold.
std::string LocalFileUri(const std::filesystem::path& absolute);
/// The path of a file: URI ("file:///a/b", "file:/a/b"), percent-decoded; Error(kData) otherwise.
std::filesystem::path PathOfFileUri(const std::string& uri);

}  // namespace alphaloom::track
