#pragma once
// Replaying a local file store to a tracking server, idempotently: each server run carries the
// tag kSourceRunTag with the local run id, so a second sync finds it instead of creating a
// duplicate, and a run left half-sent (server stopped mid-run) is completed on the next sync.
#include <string>

#include "alphaloom/track/file_store.h"
#include "alphaloom/track/rest_store.h"

namespace alphaloom::track {

/// Tag that holds the local run id on a synced server run.
inline constexpr const char* kSourceRunTag = "alphaloom.source_run_id";
/// Model-version tag that holds "<local store>:<name>/<version>" on a synced server version.
inline constexpr const char* kSourceVersionTag = "alphaloom.source_version";

/// What one sync did.
struct SyncSummary {
  int runs_created = 0;    ///< new server runs
  int runs_completed = 0;  ///< server runs found unfinished and completed
  int runs_skipped = 0;    ///< already on the server with the same final status
  int versions_created = 0;
  int versions_skipped = 0;
  int aliases_set = 0;
};

/// Sends one local run (params, metric histories, tags, artifacts, final status) to `to`; returns
/// the server's run id. A run still RUNNING locally is sent but left RUNNING.
std::string SyncRun(FileStoreTracker& from, const std::string& experiment_name, const RunInfo& run, RestTracker& to,
                    SyncSummary& summary);

/// Sends every run of every experiment of `from`, then the registered model versions whose runs
/// were sent (with their tags and aliases).
SyncSummary SyncStore(FileStoreTracker& from, RestTracker& to);

}  // namespace alphaloom::track
