#pragma once
// Every return metric of a strategy in one JSON object: what a backtest writes as summary.json
// and what the promotion gates read.
#include <limits>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "alphaloom/common/date.h"
#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// What a summary is computed from. All series are aligned period by period with `returns`;
/// an empty span means "not available" and the metrics that need it are left out.
struct SummaryInputs {
  /// The strategy's per-period returns, GROSS of costs (Qlib's "return"). When `costs` is given
  /// the headline metrics use the net series r - c.
  std::span<const double> returns;
  std::span<const double> benchmark;  ///< benchmark return per period
  std::span<const double> costs;      ///< cost per period as a fraction of the previous account value
  std::span<const double> turnover;   ///< traded value per period / previous account value
  std::span<const Date> dates;        ///< period dates, for "start" and "end"
  /// Number of (effectively independent) trials behind this strategy; 0 = no deflated Sharpe.
  double trials = 0;
  /// Variance of the trials' ANNUALIZED Sharpe ratios; divided by periods_per_year for the DSR.
  double trial_sharpe_variance_annual = std::numeric_limits<double>::quiet_NaN();
  /// The annualized Sharpe ratio the PSR tests against (SR*), 0 by default.
  double benchmark_sharpe_annual = 0.0;
};

/// What a series must be given for a summary key to appear.
enum class SummaryRequirement { kReturns, kBenchmark, kTurnover, kTrials };

/// One number of the summary, declared once: Summarize writes exactly these keys and the gates
/// accept exactly these metric names.
struct SummaryMetric {
  std::string_view key;
  std::string_view description;
  SummaryRequirement requires_input;
  /// Reported as a negative number (drawdowns, tail losses); gates compare its magnitude.
  bool gate_on_magnitude;
};

/// The table of summary numbers, in output order.
std::span<const SummaryMetric> SummaryMetrics();

/// The summary of `inputs` under `conventions` (keys in the order above), named `preset` in the output's "conventions"
/// object. Top level: "start"/"end" (when dates are given), "conventions", every applicable key
/// of SummaryMetrics(), and "risk_analysis": Qlib's five numbers (qlib_risk_analysis.h, mode
/// "sum" under kSum, "product" under kCompound, N = periods_per_year) of "return" (the net
/// series) and, with a benchmark, of "excess_return_without_cost" and "excess_return_with_cost".
/// Numbers are JSON numbers when finite, null for NaN, and the strings "Infinity" / "-Infinity".
/// Throws Error(kData) when a series' length differs from `returns`' and Error(kConfig) for
/// invalid conventions.
nlohmann::ordered_json Summarize(const SummaryInputs& inputs, const Conventions& conventions, std::string_view preset);

/// A summary number as JSON (null for NaN, "Infinity" / "-Infinity" for infinities).
nlohmann::json NumberToJson(double value);

/// The inverse of NumberToJson; nullopt for anything that is not a number, null or those strings.
std::optional<double> NumberFromJson(const nlohmann::json& value);

}  // namespace alphaloom::metrics
