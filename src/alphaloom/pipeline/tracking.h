#pragma once
// Logging an AlphaLoom run to MLflow: the workflow's `tracking:` section; the run's life (opened
// RUNNING when a workflow starts computing, ended FAILED on an error or KILLED on a signal, or by
// the next run when its process was killed outright); and the one call that turns a train output
// folder (and optionally a backtest run and its report) into a finished MLflow run with params,
// tags, metric histories, artifacts and a registered model version.
//
//   tracking:
//     uri: ./mlruns                 # path / file: URI (file store) or http(s):// (server)
//     experiment: quickstart        # default: the workflow's name
//     run_name: lgbm-baseline       # default: the workflow's name
//     register_as: quickstart-lgbm  # register the model folder as a new version of this model
//     alias: staging                # optional alias set on the new version
//     token_env: MLFLOW_TRACKING_TOKEN  # env variable holding a bearer token for the server
//     local_store: ./mlruns         # with a server uri: the local copy written first
//     max_attempts: 5               # REST attempts per request (connection errors, 5xx)
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "alphaloom/track/tracker.h"

namespace alphaloom::pipeline {

/// Tag of a registered model version: the ensemble's content version (EnsembleVersion, the
/// model_version column of predictions and of the store's preds table).
inline constexpr const char* kModelVersionTag = "alphaloom.model_version";

/// The workflow's tracking section, read into plain values.
struct TrackingConfig {
  bool enabled = false;            ///< the workflow has a tracking section
  std::string uri = "./mlruns";
  std::string experiment;          ///< empty: the workflow name
  std::string run_name;            ///< empty: the workflow name
  std::string register_as;         ///< empty: no registration
  std::string alias;               ///< empty: no alias
  std::string token_env;           ///< name of the env variable with the token
  std::string token;               ///< its value, read by ReadTrackingConfig
  std::string local_store = "./mlruns";
  int max_attempts = 5;
  std::string user;                ///< OS user (from $USER), recorded as mlflow.user
};

/// Reads `tracking:` of a workflow (absent: enabled = false with defaults), checking every key;
/// `workflow_name` is the workflow's `name`. Reads the token from the environment variable named
/// by token_env (Error(kConfig) when that variable is unset or empty, or only a warning when
/// `require_token` is false). `source` names the file.
TrackingConfig ReadTrackingConfig(const YAML::Node& root, const std::string& source, const std::string& workflow_name,
                                  bool require_token = true);

/// What to log for one run.
struct RunRecord {
  std::string workflow_path;                        ///< logged as artifact config/<file name>
  std::string workflow_text;                        ///< flattened into params; hashed into a tag
  std::filesystem::path train_dir;                  ///< `alphaloom train --out` folder (required)
  std::optional<std::filesystem::path> backtest_dir;  ///< `alphaloom backtest --out` folder
  std::optional<std::filesystem::path> report_dir;    ///< `alphaloom report --out` folder
  std::string git_commit;                           ///< empty: looked up with git beside the workflow
  track::RunStatus status = track::RunStatus::kFinished;  ///< kFailed / kKilled for failed runs
  int64_t start_time_ms = 0;                        ///< 0: now
  std::string run_id;                               ///< a run OpenTrackedRun opened; empty: start one
};

/// What LogRun did.
struct LoggedRun {
  std::string experiment;
  std::string run_id;                ///< in the local/file store
  std::filesystem::path local_root;  ///< the file store that holds the complete run
  std::optional<int> version;        ///< registered version, when register_as is set
  std::string server_run_id;         ///< when the uri is a server
};

/// Logs `record` to the store of `config`: params (the workflow flattened to "section.key" keys,
/// sanitized to MLflow's rules), tags (config and data hashes, git commit, AlphaLoom and library
/// versions), metrics (per-iteration validation loss "valid_loss/<fold>" by iteration, per-fold
/// scores "fold/<metric>" by fold index, overall scores, the backtest summary), artifacts
/// (config/, train/, model/ with an MLmodel file, backtest/, report/), and the final status; then
/// registers model/ as `register_as` (and sets `alias`) when configured.
/// With a server uri the run is written to `local_store` first and then sent, so a server failure
/// leaves it complete locally: the Error(kExternal) then says so and names `alphaloom track sync`.
/// An exception while logging ends the run FAILED before it propagates.
LoggedRun LogRun(const TrackingConfig& config, const RunRecord& record);

/// The MLflow run of a workflow while it computes, in the local file store (the store itself, or
/// `local_store` beside a server).
struct OpenRun {
  std::string run_id;
  std::filesystem::path local_root;
};

/// Opens the run of `record` RUNNING with the workflow's params and a tag naming this process
/// (alphaloom.process), so that a failure or an interruption before LogRun stays on record; LogRun
/// with record.run_id set completes it.
OpenRun OpenTrackedRun(const TrackingConfig& config, const RunRecord& record);

/// Ends `run` with `status` (kFailed, kKilled) and `reason` in tag alphaloom.end_reason, unless
/// it has already ended; with `send` and a server uri, also tries to send it there. Never throws
/// (failures are warnings: this runs on the way out of an error or a signal). True when it ended
/// the run.
bool EndTrackedRun(const TrackingConfig& config, const OpenRun& run, track::RunStatus status, const std::string& reason,
                   bool send);

/// Ends KILLED every run of config.experiment in the local store still RUNNING whose owning
/// process (tag alphaloom.process) is gone from this host: a run whose process was killed with
/// SIGKILL, which could not say so itself. Returns how many.
int MarkAbandonedRuns(const TrackingConfig& config);

/// The params of a workflow: every scalar leaf as "section.key.sub" (list items as "key.0"),
/// with keys passed through track::SanitizeKey; a list of scalars is one param "a, b, c".
track::KeyValues FlattenWorkflow(const YAML::Node& root);

/// Options for opening the tracker of `config` (the file store at its uri or the server).
track::TrackerOptions TrackerOptionsOf(const TrackingConfig& config);

}  // namespace alphaloom::pipeline
