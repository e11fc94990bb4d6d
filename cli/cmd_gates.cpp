// alphaloom gates --summary FILE [--config FILE]
// Exit status: 0 when every gate passes, kGatesFailedExitCode (10) when any gate fails, and the
// usual error codes (2-7, 70; common/error.h) when the summary or the config cannot be used.
#include <fmt/format.h>

#include <memory>
#include <string>

#include "alphaloom/common/error.h"
#include "alphaloom/data/csv_reader.h"
#include "alphaloom/metrics/gates.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

// Distinct from every ErrorKind's code, so a script can tell "the strategy failed its gates"
// from "the check could not run".
constexpr int kGatesFailedExitCode = 10;

struct GatesArgs {
  std::string summary, config;
};

void RunGates(const GatesArgs& args) {
  const std::vector<metrics::Gate> gates =
      args.config.empty() ? metrics::DefaultGates()
                          : metrics::ParseGatesConfig(data::ReadFileMaybeGzip(args.config), args.config);
  nlohmann::json summary;
  try {
    summary = nlohmann::json::parse(data::ReadFileMaybeGzip(args.summary));
  } catch (const nlohmann::json::exception& error) {
    throw Error(ErrorKind::kData, fmt::format("{}: not a JSON summary: {}", args.summary, error.what()));
  }
  if (!summary.is_object()) throw Error(ErrorKind::kData, fmt::format("{}: not a JSON object", args.summary));
  const std::vector<metrics::GateResult> results = metrics::EvaluateGates(gates, summary);
  fmt::print("{}", metrics::FormatGateResults(results));
  size_t failed = 0;
  for (const metrics::GateResult& result : results) failed += result.passed ? 0 : 1;
  fmt::print("{} of {} gates passed\n", results.size() - failed, results.size());
  std::fflush(stdout);
  if (failed > 0) throw ExitStatus{kGatesFailedExitCode};
}

}  // namespace

void AddGatesCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  auto args = std::make_shared<GatesArgs>();
  CLI::App* command = app.add_subcommand(
      "gates", "Check a summary.json against promotion gates; exit 10 when any gate fails");
  command->add_option("--summary", args->summary, "Summary JSON written by `alphaloom metrics` or a backtest")
      ->required();
  command->add_option("--config", args->config,
                      "YAML or JSON with a `gates` map (or a workflow file with metrics.gates); default gates: "
                      "sortino_min 1.2, profit_factor_min 1.15, max_drawdown_max 0.06");
  command->callback([args] { RunGates(*args); });
}

}  // namespace alphaloom::cli
