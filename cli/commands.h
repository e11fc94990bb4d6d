#pragma once
// Subcommands of the `alphaloom` binary: each file adds one command and its flags; the work
// itself lives in the library.
#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "alphaloom/common/date.h"

namespace alphaloom::cli {

/// Options every command shares.
struct GlobalOptions {
  bool quiet = false;
  bool verbose = false;
  bool log_json = false;
  size_t threads = 0;  ///< 0 = all hardware threads
};

/// nullopt for an empty flag value, else the parsed date (Error(kUsage) naming `flag`).
std::optional<Date> OptionalDateFlag(const std::string& text, std::string_view flag);

/// The thread count to use: --threads, or every hardware thread when not given.
size_t ThreadCount(const GlobalOptions& global);

void AddIngestCommand(CLI::App& app, const GlobalOptions& global);
void AddDataCommand(CLI::App& app, const GlobalOptions& global);
void AddSynthCommand(CLI::App& app, const GlobalOptions& global);
void AddFeaturesCommand(CLI::App& app, const GlobalOptions& global);
void AddMetricsCommand(CLI::App& app, const GlobalOptions& global);
void AddGatesCommand(CLI::App& app, const GlobalOptions& global);
void AddLabelCommand(CLI::App& app, const GlobalOptions& global);
void AddCvCommand(CLI::App& app, const GlobalOptions& global);
void AddTrainCommand(CLI::App& app, const GlobalOptions& global);
void AddBacktestCommand(CLI::App& app, const GlobalOptions& global);
void AddReportCommand(CLI::App& app, const GlobalOptions& global);
void AddRunCommand(CLI::App& app, const GlobalOptions& global);
void AddCacheCommand(CLI::App& app, const GlobalOptions& global);
void AddUpdateCommand(CLI::App& app, const GlobalOptions& global);
void AddTrackCommand(CLI::App& app, const GlobalOptions& global);
void AddModelsCommand(CLI::App& app, const GlobalOptions& global);
void AddStoreCommand(CLI::App& app, const GlobalOptions& global);
void AddRegimeCommand(CLI::App& app, const GlobalOptions& global);
void AddStrategyCommand(CLI::App& app, const GlobalOptions& global);
void AddInspectCommand(CLI::App& app, const GlobalOptions& global);
void AddConfigCommand(CLI::App& app, const GlobalOptions& global);

/// Thrown by a command that finished its work but must end with a non-zero status that is not an
/// error (e.g. `gates` when a gate fails); main() returns `code` and prints nothing more.
struct ExitStatus {
  int code;
};

}  // namespace alphaloom::cli
