#pragma once
// `alphaloom inspect`: one instrument's history (data/inspect.h) with its return statistics and,
// when asked, the last values of a factor set, as text, as JSON, and as a PNG chart (price,
// volume and drawdown panels) drawn by matplotlib (inspect_chart.py) through the report's
// interpreter.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "alphaloom/data/inspect.h"
#include "alphaloom/metrics/conventions.h"
#include "alphaloom/report/report.h"

namespace alphaloom::report {

/// Return statistics of an instrument's adjusted close ($close, so dividends are reinvested),
/// from its bar-to-bar returns r (a return after a gap spans the gap), under `conventions`
/// (default: 252 periods, compounded, ddof 1; see docs/metrics.md). NaN where undefined.
struct ReturnStats {
  metrics::Conventions conventions;
  size_t count = 0;                  ///< bar-to-bar returns (bars - 1)
  double total_return = 0.0;         ///< last $close / first $close - 1
  double annual_return = 0.0;        ///< CAGR: (1 + total)^(N / count) - 1
  double annual_volatility = 0.0;    ///< std(r, ddof) * sqrt(N)
  double sharpe = 0.0;               ///< mean(r) / std(r, ddof) * sqrt(N), no risk-free rate
  double max_drawdown = 0.0;         ///< min over bars of $close / running peak - 1 (<= 0)
  std::optional<Date> drawdown_peak;    ///< the bar of the peak before the deepest point
  std::optional<Date> drawdown_trough;  ///< the deepest point's bar
  /// Per trading day of history.dates: $close / running peak - 1, NaN on days without a bar.
  std::vector<double> drawdown;
};

/// Computes ReturnStats for `history` (metrics module functions, so these numbers agree with
/// `alphaloom metrics` on the same returns).
ReturnStats ComputeReturnStats(const data::InstrumentHistory& history,
                               const metrics::Conventions& conventions = metrics::DefaultConventions());

/// A factor set's values for the instrument on one date.
struct FeatureValues {
  std::string set;  ///< what --features named
  Date date;        ///< the row's date (the last bar of the range)
  std::vector<std::pair<std::string, double>> values;  ///< factor name, value (NaN: not computable)
};

/// Everything `alphaloom inspect` shows.
struct Inspection {
  data::InstrumentHistory history;
  data::InspectOptions options;
  ReturnStats returns;
  std::optional<FeatureValues> features;
};

/// The text report. Long lists (suspensions, factor changes, flagged dates) show the last
/// `max_listed` entries and say how many more the JSON has.
std::string FormatInspection(const Inspection& inspection, size_t max_listed = 10);

/// The JSON report: every list complete, NaN as null.
nlohmann::ordered_json InspectionToJson(const Inspection& inspection);

/// Writes a PNG (price with traded close, volume, drawdown; splits and distributions as vertical
/// lines, dividends as markers, suspensions shaded, jumps marked) to `png` through a temporary
/// file and a rename, with the interpreter ReportPython(options) picks. Throws Error(kUsage) when
/// `png` does not end in .png, Error(kIo) when its directory does not exist, Error(kExternal) when
/// the script fails or cannot be started.
void WriteInspectChart(const Inspection& inspection, const std::filesystem::path& png, const ReportOptions& options);

}  // namespace alphaloom::report
