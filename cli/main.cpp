// The `alphaloom` command line: global flags, subcommands, and one error policy: every
// alphaloom::Error becomes one line on stderr and the exit code of its kind.
#include <fmt/format.h>

#include <exception>

#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/common/thread_pool.h"
#include "commands.h"

namespace alphaloom::cli {

std::optional<Date> OptionalDateFlag(const std::string& text, std::string_view flag) {
  if (text.empty()) return std::nullopt;
  return ParseDateOrThrow(text, flag);
}

size_t ThreadCount(const GlobalOptions& global) { return global.threads == 0 ? HardwareThreads() : global.threads; }

}  // namespace alphaloom::cli

int main(int argc, char** argv) {
  using namespace alphaloom;
  CLI::App app{"AlphaLoom: systematic equity research, from daily bars to tracked, backtested models."};
  app.set_version_flag("--version", "alphaloom 0.1.0");
  app.require_subcommand(1);
  cli::GlobalOptions global;
  app.add_flag("-q,--quiet", global.quiet, "Errors only");
  app.add_flag("-v,--verbose", global.verbose, "Debug lines too");
  app.add_flag("--log-json", global.log_json, "Log as JSON lines on stderr");
  app.add_option("--threads", global.threads, "Worker threads (default: all hardware threads)")->check(CLI::PositiveNumber);
  app.parse_complete_callback([&] {
    ConfigureLogging(global.quiet ? Verbosity::kQuiet : global.verbose ? Verbosity::kVerbose : Verbosity::kNormal,
                     global.log_json ? LogFormat::kJsonLines : LogFormat::kText);
  });
  cli::AddIngestCommand(app, global);
  cli::AddDataCommand(app, global);
  cli::AddSynthCommand(app, global);
  cli::AddFeaturesCommand(app, global);
  cli::AddMetricsCommand(app, global);
  cli::AddGatesCommand(app, global);
  cli::AddLabelCommand(app, global);
  cli::AddCvCommand(app, global);
  cli::AddTrainCommand(app, global);
  cli::AddBacktestCommand(app, global);
  cli::AddReportCommand(app, global);
  cli::AddRunCommand(app, global);
  cli::AddCacheCommand(app, global);
  cli::AddUpdateCommand(app, global);
  cli::AddTrackCommand(app, global);
  cli::AddModelsCommand(app, global);
  cli::AddStoreCommand(app, global);
  cli::AddRegimeCommand(app, global);
  cli::AddStrategyCommand(app, global);
  cli::AddInspectCommand(app, global);
  cli::AddConfigCommand(app, global);

  try {
    app.parse(argc, argv);
  } catch (const cli::ExitStatus& status) {
    return status.code;
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : ExitCode(ErrorKind::kUsage);
  } catch (const Error& error) {
    if (global.log_json) {
      LogLine(LogLevel::kError, fmt::format("{} [{}]", error.what(), KindName(error.kind())));
    } else {
      fmt::print(stderr, "alphaloom: error: {}\n", error.what());
    }
    return ExitCode(error.kind());
  } catch (const std::exception& error) {
    fmt::print(stderr, "alphaloom: unexpected error: {}\n", error.what());
    return ExitCode(ErrorKind::kInternal);
  }
  return 0;
}
