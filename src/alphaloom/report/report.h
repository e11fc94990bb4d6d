#pragma once
// The tearsheet of one backtest run folder: PNG charts drawn by matplotlib (charts.py, run with
// a pinned Python) and one self-contained HTML page (charts embedded as base64 data URIs, the
// summary numbers and the run's configuration as tables).
#include <filesystem>
#include <string>
#include <vector>

namespace alphaloom::report {

struct ReportOptions {
  /// Python interpreter with matplotlib, numpy and pandas. Empty: $ALPHALOOM_REPORT_PYTHON, else
  /// the project's .venv-bt/bin/python (requirements-backtest.txt).
  std::string python;
  /// A model's importance.csv (feature, gain[, split]) to chart; empty = no importance chart.
  std::string importance;
};

/// The interpreter WriteReport would run (see ReportOptions::python).
std::filesystem::path ReportPython(const ReportOptions& options);

/// Runs a chart script: `argv` is the interpreter, the script and its arguments; stdout and stderr
/// go to `log`. Throws Error(kExternal) when the interpreter cannot be started, or with the log's
/// last lines when the script exits with a failure.
void RunChartScript(const std::vector<std::string>& argv, const std::filesystem::path& log);

/// Writes `out`/index.html and the PNGs (equity vs benchmark, drawdown, rolling Sharpe, monthly
/// returns, daily IC when the run has ic.csv, turnover, importance when given) from the run
/// folder `run`, atomically (StagingDirectory). Throws Error(kIo) when `run` lacks daily.csv or
/// summary.json, Error(kExternal) with the script's last error lines when the chart script
/// fails or the interpreter cannot be started.
void WriteReport(const std::filesystem::path& run, const std::filesystem::path& out, const ReportOptions& options);

}  // namespace alphaloom::report
