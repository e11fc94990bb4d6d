#include "alphaloom/metrics/qlib_risk_analysis.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "alphaloom/metrics/drawdown.h"
#include "alphaloom/metrics/statistics.h"

namespace alphaloom::metrics {

RiskAnalysis QlibRiskAnalysis(std::span<const double> returns, double periods_per_year,
                              QlibAccumulation accumulation) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  Conventions conventions;
  conventions.periods_per_year = periods_per_year;
  conventions.nan_policy = NanPolicy::kSkip;
  conventions.initial_capital_is_peak = false;
  const std::vector<double> valid = PrepareReturns(returns, conventions);
  RiskAnalysis result{kNaN, kNaN, kNaN, kNaN, kNaN};
  if (valid.empty()) return result;

  if (accumulation == QlibAccumulation::kSum) {
    conventions.compounding = Compounding::kSum;
    result.mean = Mean(valid);
    result.std = StandardDeviation(valid, 1);
    result.annualized_return = result.mean * periods_per_year;
  } else {
    conventions.compounding = Compounding::kCompound;
    double wealth = 1.0;
    for (const double value : valid) wealth *= 1.0 + value;
    const bool last_is_nan = std::isnan(returns.back());
    const auto length = static_cast<double>(returns.size());
    result.mean = last_is_nan ? kNaN : std::pow(wealth, 1.0 / length) - 1.0;
    result.annualized_return = last_is_nan ? kNaN : std::pow(wealth, periods_per_year / length) - 1.0;
    // np.log(1 + r), not log1p: the rounding of 1 + r is part of Qlib's number.
    std::vector<double> logs(valid.size());
    std::transform(valid.begin(), valid.end(), logs.begin(), [](double value) { return std::log(1.0 + value); });
    result.std = StandardDeviation(logs, 1);
  }
  result.information_ratio = result.mean / result.std * std::sqrt(periods_per_year);
  const std::vector<double> underwater = Underwater(valid, conventions);
  result.max_drawdown = *std::min_element(underwater.begin(), underwater.end());
  return result;
}

}  // namespace alphaloom::metrics
