#pragma once
// Experiment tracking and the model registry, in MLflow's data model: experiments hold runs, runs
// hold params, metric histories, tags and artifacts, and registered models hold numbered versions
// that point at a run's model folder and carry aliases ("production"). Two backends share this
// interface: MLflow's file store written directly (the default, no server) and a tracking server
// over REST. Nothing here reads the environment or config files; pipeline/tracking.h does.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace alphaloom::track {

/// MLflow's RunStatus; the values are the integers the file store writes in meta.yaml.
enum class RunStatus { kRunning = 1, kScheduled = 2, kFinished = 3, kFailed = 4, kKilled = 5 };

/// "RUNNING", "FINISHED", ... (the REST enum names).
std::string RunStatusName(RunStatus status);
/// Inverse of RunStatusName; Error(kData) for an unknown name.
RunStatus ParseRunStatus(const std::string& name);

/// One point of a metric history. NaN and +-inf are valid values.
struct MetricPoint {
  std::string key;
  double value = 0.0;
  int64_t timestamp_ms = 0;  ///< milliseconds since the Unix epoch, >= 0
  int64_t step = 0;
};

/// Ordered key/value pairs (params or tags) as logged.
using KeyValues = std::vector<std::pair<std::string, std::string>>;

/// What is known of a run.
struct RunInfo {
  std::string run_id;
  std::string experiment_id;
  std::string run_name;
  RunStatus status = RunStatus::kRunning;
  int64_t start_time_ms = 0;
  std::optional<int64_t> end_time_ms;  ///< absent while running
  std::string artifact_uri;
};

/// One registered model version.
struct ModelVersion {
  std::string name;
  int version = 0;
  std::string source;            ///< URI of the model folder (a run artifact path)
  std::string run_id;            ///< the run that produced it (may be empty)
  std::string status;            ///< "READY"
  int64_t creation_timestamp_ms = 0;
  std::string storage_location;  ///< resolved artifact URI of the model folder
  std::map<std::string, std::string> tags;
  std::vector<std::string> aliases;
};

/// A registered model with its versions, ascending by number.
struct RegisteredModel {
  std::string name;
  int64_t creation_timestamp_ms = 0;
  std::vector<ModelVersion> versions;
};

/// The operations AlphaLoom needs from MLflow. Every failure is an alphaloom::Error: kData for
/// keys or values MLflow would reject (checked before anything is written), kNotFound for an
/// unknown run, model or version, kExternal for a server's refusal (with its message), kIo for
/// file-system failures.
class Tracker {
 public:
  virtual ~Tracker() = default;

  /// Starts a run in the experiment named `experiment`, creating the experiment when missing.
  /// `tags` may include mlflow.* system tags; mlflow.runName is set from `run_name`. Returns the
  /// run (32 lower-case hex id).
  virtual RunInfo StartRun(const std::string& experiment, const std::string& run_name, int64_t start_time_ms,
                           const KeyValues& tags) = 0;
  /// Logs params. Re-logging a key with the same value is a no-op; a different value is an error.
  virtual void LogParams(const std::string& run_id, const KeyValues& params) = 0;
  /// Appends metric points (each key's history keeps every point).
  virtual void LogMetrics(const std::string& run_id, const std::vector<MetricPoint>& metrics) = 0;
  /// Sets tags (overwriting earlier values).
  virtual void SetTags(const std::string& run_id, const KeyValues& tags) = 0;
  /// Copies a file, or a folder recursively, to `artifact_path` (a relative '/'-separated path,
  /// empty for the artifact root; a file keeps its name below it).
  virtual void LogArtifact(const std::string& run_id, const std::filesystem::path& local,
                           const std::string& artifact_path) = 0;
  /// Ends the run with `status` (kFinished, kFailed or kKilled).
  virtual void EndRun(const std::string& run_id, RunStatus status, int64_t end_time_ms) = 0;
  /// The run's current info; Error(kNotFound) when unknown.
  virtual RunInfo GetRun(const std::string& run_id) = 0;
  /// The latest value of each metric of the run (greatest step, then timestamp, then value, as
  /// MLflow picks it), by key.
  virtual std::map<std::string, double> LatestMetrics(const std::string& run_id) = 0;

  /// Registers the run's artifact folder `artifact_path` (e.g. "model") as the next version of
  /// `name`, creating the registered model when missing.
  virtual ModelVersion RegisterModelVersion(const std::string& name, const std::string& run_id,
                                            const std::string& artifact_path, const KeyValues& tags) = 0;
  /// Points `alias` at `version` of `name` (moving it from any other version).
  virtual void SetAlias(const std::string& name, const std::string& alias, int version) = 0;
  /// The version `alias` points at; nullopt when the alias is not set. Error(kNotFound) for an
  /// unknown model.
  virtual std::optional<ModelVersion> GetVersionByAlias(const std::string& name, const std::string& alias) = 0;
  /// One version; Error(kNotFound) when missing.
  virtual ModelVersion GetVersion(const std::string& name, int version) = 0;
  /// Every registered model with its versions, by name.
  virtual std::vector<RegisteredModel> ListModels() = 0;
  /// A local folder holding the files of `version`'s model: the folder itself in a file store; a
  /// copy downloaded (atomically) into `cache_dir`/<name>/<version> from a server.
  virtual std::filesystem::path FetchModel(const ModelVersion& version, const std::filesystem::path& cache_dir) = 0;
};

/// How to reach a tracking store.
struct TrackerOptions {
  /// "./mlruns", "file:/abs/mlruns", "file:///abs/mlruns", a plain path, or "http(s)://host:port".
  std::string uri = "./mlruns";
  /// Bearer token for a server (the value itself: the caller reads it from wherever it lives).
  std::string token;
  /// Attempts per REST request on connection errors and 5xx answers (>= 1).
  int max_attempts = 5;
  /// Delay before the first retry; it doubles after each failed attempt.
  int initial_backoff_ms = 200;
  /// Timeout of one REST request, in seconds.
  int timeout_seconds = 60;
  /// The OS user recorded with runs (mlflow.user and user_id).
  std::string user;
  /// Milliseconds since the epoch; the system clock when empty. Tests inject a fixed clock.
  std::function<int64_t()> clock;
};

/// True for http:// and https:// URIs.
bool IsServerUri(const std::string& uri);

/// The file-store root directory named by a local URI (relative paths resolved against the
/// current directory); Error(kConfig) for an unsupported scheme.
std::filesystem::path FileStoreRoot(const std::string& uri);

/// The backend for `options.uri`: the file store for paths and file: URIs, REST for http(s).
std::unique_ptr<Tracker> OpenTracker(const TrackerOptions& options);

/// Milliseconds since the epoch from `options.clock`, or the system clock.
int64_t NowMillis(const TrackerOptions& options);

}  // namespace alphaloom::track
