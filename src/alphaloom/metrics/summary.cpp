#include "alphaloom/metrics/summary.h"

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "alphaloom/common/error.h"
#include "alphaloom/metrics/annual_return.h"
#include "alphaloom/metrics/annual_volatility.h"
#include "alphaloom/metrics/calmar_ratio.h"
#include "alphaloom/metrics/conditional_value_at_risk.h"
#include "alphaloom/metrics/cumulative_return.h"
#include "alphaloom/metrics/deflated_sharpe_ratio.h"
#include "alphaloom/metrics/downside_deviation.h"
#include "alphaloom/metrics/excess_return.h"
#include "alphaloom/metrics/information_ratio.h"
#include "alphaloom/metrics/kurtosis.h"
#include "alphaloom/metrics/longest_drawdown_duration.h"
#include "alphaloom/metrics/max_drawdown.h"
#include "alphaloom/metrics/max_drawdown_duration.h"
#include "alphaloom/metrics/minimum_track_record_length.h"
#include "alphaloom/metrics/omega_ratio.h"
#include "alphaloom/metrics/probabilistic_sharpe_ratio.h"
#include "alphaloom/metrics/profit_factor.h"
#include "alphaloom/metrics/qlib_risk_analysis.h"
#include "alphaloom/metrics/sharpe_ratio.h"
#include "alphaloom/metrics/skewness.h"
#include "alphaloom/metrics/sortino_ratio.h"
#include "alphaloom/metrics/tail_ratio.h"
#include "alphaloom/metrics/turnover.h"
#include "alphaloom/metrics/value_at_risk.h"
#include "alphaloom/metrics/win_rate.h"

namespace alphaloom::metrics {
namespace {

struct Context {
  std::span<const double> net;  // returns - costs, or returns when no costs
  std::span<const double> gross;
  std::span<const double> benchmark;
  std::span<const double> costs;
  std::span<const double> turnover;
  const SummaryInputs* inputs;
  Conventions conventions;
  SharpeStatistics sharpe_statistics;
};

double PeriodsPerYear(const Context& context) { return context.conventions.periods_per_year; }

struct Entry {
  SummaryMetric metric;
  double (*compute)(const Context&);
};

using enum SummaryRequirement;

// The single list of summary numbers; gates validate their metric names against it.
const std::array kEntries = {
    Entry{{"observations", "periods after the NaN policy", kReturns, false},
          [](const Context& c) { return static_cast<double>(PrepareReturns(c.net, c.conventions).size()); }},
    Entry{{"cumulative_return", "total return (compounded or summed)", kReturns, false},
          [](const Context& c) { return CumulativeReturn(c.net, c.conventions); }},
    Entry{{"annual_return", "annual return under the compounding convention", kReturns, false},
          [](const Context& c) { return AnnualReturn(c.net, c.conventions); }},
    Entry{{"annual_return_compounded", "CAGR", kReturns, false},
          [](const Context& c) { return CompoundedAnnualReturn(c.net, c.conventions); }},
    Entry{{"annual_return_arithmetic", "mean * periods_per_year", kReturns, false},
          [](const Context& c) { return ArithmeticAnnualReturn(c.net, c.conventions); }},
    Entry{{"annual_volatility", "std * sqrt(periods_per_year)", kReturns, false},
          [](const Context& c) { return AnnualVolatility(c.net, c.conventions); }},
    Entry{{"sharpe", "annualized Sharpe ratio", kReturns, false},
          [](const Context& c) { return SharpeRatio(c.net, c.conventions); }},
    Entry{{"sortino", "annualized Sortino ratio", kReturns, false},
          [](const Context& c) { return SortinoRatio(c.net, c.conventions); }},
    Entry{{"downside_deviation", "annualized downside deviation", kReturns, false},
          [](const Context& c) { return DownsideDeviation(c.net, c.conventions); }},
    Entry{{"calmar", "annual return / |max drawdown|", kReturns, false},
          [](const Context& c) { return CalmarRatio(c.net, c.conventions); }},
    Entry{{"max_drawdown", "maximum drawdown (negative)", kReturns, true},
          [](const Context& c) { return MaxDrawdown(c.net, c.conventions); }},
    Entry{{"max_drawdown_duration", "periods under water in the maximum drawdown's episode", kReturns, false},
          [](const Context& c) { return MaxDrawdownDuration(c.net, c.conventions); }},
    Entry{{"longest_drawdown_duration", "longest run of periods under water", kReturns, false},
          [](const Context& c) { return LongestDrawdownDuration(c.net, c.conventions); }},
    Entry{{"win_rate", "positive periods / non-flat periods", kReturns, false},
          [](const Context& c) { return WinRate(c.net, c.conventions); }},
    Entry{{"profit_factor", "sum of gains / |sum of losses|", kReturns, false},
          [](const Context& c) { return ProfitFactor(c.net, c.conventions); }},
    Entry{{"omega", "Omega ratio at a 0 required return", kReturns, false},
          [](const Context& c) { return OmegaRatio(c.net, c.conventions); }},
    Entry{{"tail_ratio", "|95th percentile| / |5th percentile|", kReturns, false},
          [](const Context& c) { return TailRatio(c.net, c.conventions); }},
    Entry{{"value_at_risk", "historical 95% one-period VaR (negative)", kReturns, true},
          [](const Context& c) { return ValueAtRisk(c.net, c.conventions); }},
    Entry{{"conditional_value_at_risk", "historical 95% one-period CVaR (negative)", kReturns, true},
          [](const Context& c) { return ConditionalValueAtRisk(c.net, c.conventions); }},
    Entry{{"skew", "skewness (biased)", kReturns, false},
          [](const Context& c) { return Skewness(c.net, c.conventions); }},
    Entry{{"kurtosis", "excess kurtosis (biased)", kReturns, false},
          [](const Context& c) { return Kurtosis(c.net, c.conventions); }},
    Entry{{"probabilistic_sharpe_ratio", "PSR against the benchmark Sharpe ratio", kReturns, false},
          [](const Context& c) {
            const double benchmark = c.inputs->benchmark_sharpe_annual / std::sqrt(PeriodsPerYear(c));
            const SharpeStatistics& s = c.sharpe_statistics;
            return ProbabilisticSharpeRatio(s.sharpe, benchmark, s.observations, s.skewness, s.kurtosis);
          }},
    Entry{{"minimum_track_record_length", "periods needed for PSR >= 0.95", kReturns, false},
          [](const Context& c) {
            const double benchmark = c.inputs->benchmark_sharpe_annual / std::sqrt(PeriodsPerYear(c));
            const SharpeStatistics& s = c.sharpe_statistics;
            return MinimumTrackRecordLength(s.sharpe, benchmark, s.skewness, s.kurtosis);
          }},
    Entry{{"expected_max_sharpe", "annualized SR0 of the trials under the null", kTrials, false},
          [](const Context& c) {
            return ExpectedMaxSharpe(c.inputs->trials, c.inputs->trial_sharpe_variance_annual / PeriodsPerYear(c)) *
                   std::sqrt(PeriodsPerYear(c));
          }},
    Entry{{"deflated_sharpe_ratio", "DSR: PSR against SR0", kTrials, false},
          [](const Context& c) {
            const double threshold =
                ExpectedMaxSharpe(c.inputs->trials, c.inputs->trial_sharpe_variance_annual / PeriodsPerYear(c));
            const SharpeStatistics& s = c.sharpe_statistics;
            return ProbabilisticSharpeRatio(s.sharpe, threshold, s.observations, s.skewness, s.kurtosis);
          }},
    Entry{{"turnover_mean", "mean per-period turnover", kTurnover, false},
          [](const Context& c) { return MeanTurnover(c.turnover); }},
    Entry{{"turnover_annual", "mean per-period turnover * periods_per_year", kTurnover, false},
          [](const Context& c) { return AnnualTurnover(c.turnover, c.conventions); }},
    Entry{{"benchmark_annual_return", "the benchmark's annual return", kBenchmark, false},
          [](const Context& c) { return AnnualReturn(c.benchmark, c.conventions); }},
    Entry{{"information_ratio", "annualized information ratio of net returns over the benchmark", kBenchmark, false},
          [](const Context& c) { return InformationRatio(c.net, c.benchmark, c.conventions); }},
    Entry{{"excess_return_without_cost", "annual return of r - b", kBenchmark, false},
          [](const Context& c) { return AnnualExcessReturn(c.gross, c.benchmark, {}, c.conventions); }},
    Entry{{"excess_return_with_cost", "annual return of r - b - c", kBenchmark, false},
          [](const Context& c) { return AnnualExcessReturn(c.gross, c.benchmark, c.costs, c.conventions); }},
};

const std::array<SummaryMetric, kEntries.size()> kMetrics = [] {
  std::array<SummaryMetric, kEntries.size()> metrics{};
  for (size_t index = 0; index < kEntries.size(); ++index) metrics[index] = kEntries[index].metric;
  return metrics;
}();

bool Available(SummaryRequirement requirement, const SummaryInputs& inputs) {
  switch (requirement) {
    case kReturns: return true;
    case kBenchmark: return !inputs.benchmark.empty();
    case kTurnover: return !inputs.turnover.empty();
    case kTrials: return inputs.trials > 0;
  }
  return false;
}

void CheckLength(std::span<const double> series, size_t expected, std::string_view name) {
  if (!series.empty() && series.size() != expected) {
    throw Error(ErrorKind::kData, "summary: " + std::string(name) + " has " + std::to_string(series.size()) +
                                      " periods, returns have " + std::to_string(expected));
  }
}

nlohmann::ordered_json RiskAnalysisToJson(const RiskAnalysis& analysis) {
  return {{"mean", NumberToJson(analysis.mean)},
          {"std", NumberToJson(analysis.std)},
          {"annualized_return", NumberToJson(analysis.annualized_return)},
          {"information_ratio", NumberToJson(analysis.information_ratio)},
          {"max_drawdown", NumberToJson(analysis.max_drawdown)}};
}

}  // namespace

std::span<const SummaryMetric> SummaryMetrics() { return kMetrics; }

nlohmann::json NumberToJson(double value) {
  if (std::isnan(value)) return nullptr;
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

std::optional<double> NumberFromJson(const nlohmann::json& value) {
  if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    if (value == "Infinity") return std::numeric_limits<double>::infinity();
    if (value == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  return std::nullopt;
}

nlohmann::ordered_json Summarize(const SummaryInputs& inputs, const Conventions& conventions, std::string_view preset) {
  ValidateConventions(conventions);
  const size_t periods = inputs.returns.size();
  CheckLength(inputs.benchmark, periods, "benchmark");
  CheckLength(inputs.costs, periods, "costs");
  CheckLength(inputs.turnover, periods, "turnover");
  if (!inputs.dates.empty() && inputs.dates.size() != periods) {
    throw Error(ErrorKind::kData, "summary: " + std::to_string(inputs.dates.size()) + " dates for " +
                                      std::to_string(periods) + " returns");
  }
  if (inputs.trials < 0 || (inputs.trials > 0 && !(inputs.trial_sharpe_variance_annual >= 0))) {
    throw Error(ErrorKind::kConfig, "summary: the deflated Sharpe ratio needs trials >= 1 and a trial Sharpe "
                                    "variance >= 0");
  }

  std::vector<double> net(inputs.returns.begin(), inputs.returns.end());
  if (!inputs.costs.empty()) {
    for (size_t index = 0; index < periods; ++index) net[index] -= inputs.costs[index];
  }
  Context context{net, inputs.returns, inputs.benchmark, inputs.costs, inputs.turnover, &inputs, conventions,
                  ComputeSharpeStatistics(net, conventions)};

  nlohmann::ordered_json summary = nlohmann::ordered_json::object();
  if (!inputs.dates.empty()) {
    summary["start"] = inputs.dates.front().ToString();
    summary["end"] = inputs.dates.back().ToString();
  }
  summary["conventions"] = {
      {"preset", std::string(preset)},
      {"periods_per_year", conventions.periods_per_year},
      {"risk_free_annual", conventions.risk_free_annual},
      {"compounding", conventions.compounding == Compounding::kSum ? "sum" : "compound"},
      {"ddof", conventions.ddof},
      {"nan_policy", conventions.nan_policy == NanPolicy::kSkip ? "skip" : "zero"},
      {"initial_capital_is_peak", conventions.initial_capital_is_peak},
      {"costs_deducted", !inputs.costs.empty()},
  };
  for (const Entry& entry : kEntries) {
    if (Available(entry.metric.requires_input, inputs)) {
      summary[std::string(entry.metric.key)] = NumberToJson(entry.compute(context));
    }
  }

  const QlibAccumulation accumulation =
      conventions.compounding == Compounding::kSum ? QlibAccumulation::kSum : QlibAccumulation::kProduct;
  nlohmann::ordered_json risk = {{"return", RiskAnalysisToJson(QlibRiskAnalysis(net, conventions.periods_per_year,
                                                                        accumulation))}};
  if (!inputs.benchmark.empty()) {
    risk["excess_return_without_cost"] = RiskAnalysisToJson(QlibRiskAnalysis(
        ExcessReturns(inputs.returns, inputs.benchmark), conventions.periods_per_year, accumulation));
    risk["excess_return_with_cost"] = RiskAnalysisToJson(QlibRiskAnalysis(
        ExcessReturns(inputs.returns, inputs.benchmark, inputs.costs), conventions.periods_per_year, accumulation));
  }
  summary["risk_analysis"] = std::move(risk);
  return summary;
}

}  // namespace alphaloom::metrics
