#pragma once
// The Tracker over an MLflow tracking server's REST API (/api/2.0/mlflow/...), through libcurl.
// Batches are split at the server's log-batch limits; artifacts are uploaded through the
// server's artifact proxy (mlflow-artifacts:) or copied when the run's artifact URI is a local
// file: folder. Connection failures and 5xx answers are retried with exponential backoff; a 4xx
// answer is an Error(kExternal) carrying the server's error code and message.
#include <optional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "alphaloom/track/tracker.h"

namespace alphaloom::track {

/// One HTTP answer.
struct HttpResponse {
  long status = 0;
  std::string body;
};

class RestTracker : public Tracker {
 public:
  /// `options.uri` is the server's base URL, e.g. "http://127.0.0.1:5000".
  explicit RestTracker(TrackerOptions options);
  ~RestTracker() override;

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

  /// Logs params, metrics and tags together through runs/log-batch, split so that no request
  /// exceeds the server's limits (100 params, 100 tags, 1000 entities, 1 MB).
  void LogBatch(const std::string& run_id, const KeyValues& params, const std::vector<MetricPoint>& metrics,
                const KeyValues& tags);
  /// The same call with everything in ONE request and no local key checks: the server's own
  /// validation answers (used to diagnose a server and by the tests of its error reporting).
  void LogBatchUnchecked(const std::string& run_id, const KeyValues& params, const std::vector<MetricPoint>& metrics,
                         const KeyValues& tags);
  /// The id of an active run of experiment `experiment` whose tag `key` equals `value`, if any.
  std::optional<RunInfo> FindRunByTag(const std::string& experiment, const std::string& key, const std::string& value);

 private:
  HttpResponse Call(const std::string& method, const std::string& path, const std::string& body,
                    const std::string& content_type, bool allow_not_found = false);
  nlohmann::json Json(const std::string& method, const std::string& endpoint, const nlohmann::json& body,
                      bool allow_not_found = false);
  void UploadFile(const std::filesystem::path& file, const std::string& artifact_uri, const std::string& relative);
  std::optional<std::string> FindExperimentId(const std::string& name);

  TrackerOptions options_;
  std::string base_;
  void* curl_ = nullptr;
};

}  // namespace alphaloom::track
