#pragma once
// `alphaloom inspect`: one instrument's history (data/inspect.h) with its return statistics and,
// when asked, the last values of a factor set and the hybrid strategy's per-date table (signals,
// regime, ML score, alpha score and its contributions, target weight), as text, as JSON, and as a
// PNG chart (price, volume and drawdown panels, plus signal and alpha-score panels shaded by
// regime) drawn by matplotlib (inspect_chart.py) through the report's interpreter.
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

/// The hybrid strategy (docs/strategy.md) as one instrument sees it: one row per date the
/// instrument has a bar, each value the one RunHybridStrategy computes for that date and
/// instrument from data up to the date's close (the backtest trades a row's weight on the next
/// day). Per-row vectors have one entry per row; NaN marks no value.
struct StrategyInspection {
  std::string config;         ///< where the settings come from: the workflow file, or "defaults"
  std::string regime_method;  ///< "rules" or "hmm"
  std::vector<std::string> regime_labels;  ///< the regimes' labels, in regime order (bull, bear, choppy, crash)
  std::vector<std::string> components;     ///< the meta-model's components: the four rule alphas, then ml
  /// The meta-model's weight sets, one weight per component: "default" (dates without a regime),
  /// then one per regime label. A date's weights are its regime's set (rules) or the
  /// probability-weighted mix of the sets (HMM).
  std::vector<std::pair<std::string, std::vector<double>>> weight_sets;
  std::string ml_signal;   ///< how a prediction becomes the ML score: prob_up, bet_size or yhat_rank
  std::string ml_source;   ///< empty: no predictions (the ML component scores nothing)
  std::string ml_version;  ///< the model's version (predict's model_version), empty for a file
  /// The last training date of the model's fold models: rows up to it were training rows of at
  /// least one fold, so the ML component is in-sample there. nullopt for a predictions file.
  std::optional<Date> ml_trained_through;
  std::vector<std::string> feature_names;  ///< --features / --expr columns
  /// First row of the table and the JSON; earlier rows are drawn in the chart only.
  size_t table_begin = 0;

  std::vector<Date> dates;
  std::vector<double> close;                  ///< $close (adjusted)
  std::vector<std::vector<double>> features;  ///< [feature][row]
  /// [component][row]: the rule alphas in [-1, 1] (0 until their windows fill), then the ML
  /// score the meta-model reads (NaN without a prediction).
  std::vector<std::vector<double>> signals;
  std::vector<double> yhat, prob_up;          ///< the instrument's prediction (empty without predictions)
  std::vector<int> regime;                    ///< index into regime_labels; -1 before the windows fill
  std::vector<std::vector<double>> probabilities;  ///< [regime][row]: filtered (HMM) or one-hot (rules)
  std::vector<std::vector<double>> contributions;  ///< [component][row]: c_<component>, summing to alpha_score
  std::vector<double> alpha_score;
  std::vector<double> realized_vol;  ///< annualized, what sizing divides by
  std::vector<double> weight;        ///< target weight after sizing the whole market's cross-section

  size_t rows() const { return dates.size(); }
};

/// Everything `alphaloom inspect` shows.
struct Inspection {
  data::InstrumentHistory history;
  data::InspectOptions options;
  ReturnStats returns;
  std::optional<FeatureValues> features;
  std::optional<StrategyInspection> strategy;
};

/// The text report. Long lists (suspensions, factor changes, flagged dates) show the last
/// `max_listed` entries and say how many more the JSON has; the strategy table shows every row
/// from table_begin.
std::string FormatInspection(const Inspection& inspection, size_t max_listed = 10);

/// The JSON report: every list complete, NaN as null; "strategy" holds the strategy table's rows
/// (from table_begin) or null.
nlohmann::ordered_json InspectionToJson(const Inspection& inspection);

/// Writes a PNG (price with traded close, volume, drawdown; splits and distributions as vertical
/// lines, dividends as markers, suspensions shaded, jumps marked; with a strategy, a panel of the
/// signals and one of the alpha score and target weight, every strategy row, shaded by regime) to
/// `png` through a temporary file and a rename, with the interpreter ReportPython(options) picks.
/// Throws Error(kUsage) when `png` does not end in .png, Error(kIo) when its directory does not
/// exist, Error(kExternal) when the script fails or cannot be started.
void WriteInspectChart(const Inspection& inspection, const std::filesystem::path& png, const ReportOptions& options);

}  // namespace alphaloom::report
