// alphaloom metrics --returns FILE [--benchmark FILE] [--preset default|qlib] [--periods N]
//                   [--risk-free R] [--trials N --trial-sharpe-variance V] [--benchmark-sharpe S]
//                   --out summary.json
#include <fmt/format.h>

#include <memory>
#include <string>

#include "alphaloom/common/atomic_file.h"
#include "alphaloom/common/error.h"
#include "alphaloom/common/log.h"
#include "alphaloom/data/csv_reader.h"
#include "alphaloom/metrics/return_series_csv.h"
#include "alphaloom/metrics/summary.h"
#include "commands.h"

namespace alphaloom::cli {
namespace {

struct MetricsArgs {
  std::string returns, benchmark, preset = "default", out;
  double periods = 0.0;  // 0 = the preset's
  double risk_free = 0.0;
  double trials = 0.0;
  double trial_sharpe_variance = -1.0;
  double benchmark_sharpe = 0.0;
};

metrics::ReturnSeries ReadSeries(const std::string& path, bool require_return) {
  if (path.ends_with(".parquet")) {
    throw Error(ErrorKind::kUsage, fmt::format("{}: return files are read as CSV only; export the series as CSV", path));
  }
  return metrics::ParseReturnSeriesCsv(data::ReadFileMaybeGzip(path), path, require_return);
}

void RunMetrics(const MetricsArgs& args) {
  std::optional<metrics::Conventions> conventions = metrics::PresetConventions(args.preset);
  if (!conventions) throw Error(ErrorKind::kUsage, fmt::format("--preset: unknown preset '{}'", args.preset));
  if (args.periods > 0) conventions->periods_per_year = args.periods;
  conventions->risk_free_annual = args.risk_free;

  metrics::ReturnSeries series = ReadSeries(args.returns, true);
  if (!args.benchmark.empty()) {
    if (!series.benchmark.empty()) {
      throw Error(ErrorKind::kUsage, fmt::format("{} already has a benchmark column; drop --benchmark", args.returns));
    }
    const metrics::ReturnSeries benchmark = ReadSeries(args.benchmark, false);
    const std::vector<double>& values = benchmark.benchmark.empty() ? benchmark.returns : benchmark.benchmark;
    if (values.empty()) {
      throw Error(ErrorKind::kData, fmt::format("{}: no 'benchmark', 'bench' or 'return' column", args.benchmark));
    }
    series.benchmark = metrics::AlignByDate(series.dates, benchmark.dates, values, args.benchmark);
  }
  if (args.trials > 0 && args.trial_sharpe_variance < 0) {
    throw Error(ErrorKind::kUsage, "--trials needs --trial-sharpe-variance (variance of the trials' annual Sharpe ratios)");
  }

  metrics::SummaryInputs inputs;
  inputs.returns = series.returns;
  inputs.benchmark = series.benchmark;
  inputs.costs = series.costs;
  inputs.turnover = series.turnover;
  inputs.dates = series.dates;
  inputs.trials = args.trials;
  inputs.trial_sharpe_variance_annual = args.trial_sharpe_variance;
  inputs.benchmark_sharpe_annual = args.benchmark_sharpe;
  const nlohmann::ordered_json summary = metrics::Summarize(inputs, *conventions, args.preset);
  WriteFileAtomic(args.out, summary.dump(2) + "\n");
  LogInfo("{} periods ({} preset): annual return {}, Sharpe {}, max drawdown {}; written to {}", series.returns.size(),
          args.preset, summary["annual_return"].dump(), summary["sharpe"].dump(), summary["max_drawdown"].dump(),
          args.out);
}

}  // namespace

void AddMetricsCommand(CLI::App& app, const GlobalOptions& /*global*/) {
  auto args = std::make_shared<MetricsArgs>();
  CLI::App* command = app.add_subcommand(
      "metrics", "Return, risk and Sharpe-inference metrics of a daily return series, written as summary JSON");
  command->add_option("--returns", args->returns,
                      "CSV with datetime, return and optional benchmark/bench, cost, turnover columns "
                      "(return gross of cost)")
      ->required();
  command->add_option("--benchmark", args->benchmark, "CSV with datetime and a benchmark (or return) column");
  command->add_option("--preset", args->preset, "Conventions: default (252, compounded) or qlib (238, summed)")
      ->check(CLI::IsMember({"default", "qlib"}));
  command->add_option("--periods", args->periods, "Periods per year (overrides the preset)")
      ->check(CLI::PositiveNumber);
  command->add_option("--risk-free", args->risk_free, "Annual risk-free rate (default 0)");
  command->add_option("--trials", args->trials, "Independent trials behind the strategy, for the deflated Sharpe ratio")
      ->check(CLI::PositiveNumber);
  command->add_option("--trial-sharpe-variance", args->trial_sharpe_variance,
                      "Variance of the trials' annualized Sharpe ratios")
      ->check(CLI::NonNegativeNumber);
  command->add_option("--benchmark-sharpe", args->benchmark_sharpe,
                      "Annualized Sharpe ratio the probabilistic Sharpe ratio tests against (default 0)");
  command->add_option("--out", args->out, "Summary JSON (written atomically)")->required();
  command->callback([args] { RunMetrics(*args); });
}

}  // namespace alphaloom::cli
