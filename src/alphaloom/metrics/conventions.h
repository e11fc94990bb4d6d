#pragma once
// The conventions every return metric is computed under, in one struct, so two numbers that
// disagree can always be traced to a named parameter rather than a hidden default.
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace alphaloom::metrics {

/// How per-period returns accumulate into wealth.
enum class Compounding {
  kCompound,  ///< wealth W_t = prod_{s<=t} (1 + r_s); annual return is the CAGR (empyrical, quantstats)
  kSum,       ///< cumulative return C_t = sum_{s<=t} r_s; annual return is mean * N (Qlib's default)
};

/// What a NaN return means.
enum class NanPolicy {
  kSkip,  ///< dropped before computing; n counts the remaining values (empyrical, pandas, Qlib)
  kZero,  ///< read as a flat period and counted in n (quantstats' _prepare_returns)
};

/// Every convention a return metric depends on. The defaults are the empyrical / quantstats
/// conventions of reference/finml.md section 6 (252 periods, ddof 1, compounded, rf 0).
struct Conventions {
  /// N: periods per year used to annualize (252 for US daily bars, 238 in Qlib). Must be > 0.
  double periods_per_year = 252.0;
  /// Annual risk-free rate. Metrics subtract its per-period equivalent, RiskFreePerPeriod().
  double risk_free_annual = 0.0;
  Compounding compounding = Compounding::kCompound;
  /// Delta degrees of freedom of every standard deviation: std = sqrt(sum (x - mean)^2 / (n - ddof)).
  int ddof = 1;
  NanPolicy nan_policy = NanPolicy::kSkip;
  /// True: the starting capital (W = 1 before the first return, or C = 0) is a peak, so a loss
  /// on the first period is a drawdown (empyrical, quantstats >= 0.0.66). False: the running
  /// peak starts at the first period's value (Qlib's risk_analysis).
  bool initial_capital_is_peak = true;
};

/// The defaults above, named "default".
Conventions DefaultConventions();

/// Qlib's `risk_analysis(r, freq="day", mode="sum")` (reference/qlib.md section 7.1): 238
/// periods, summed returns, ddof 1, rf 0, NaN skipped, running peak from the first value.
Conventions QlibConventions();

/// The conventions of a preset by name ("default" or "qlib"); nullopt for any other name.
std::optional<Conventions> PresetConventions(std::string_view name);

/// The names PresetConventions accepts, for help texts and error messages.
std::span<const std::string_view> PresetNames();

/// Throws Error(kConfig) naming the field when `conventions` cannot be used: periods_per_year
/// not finite and > 0, ddof < 0, or a risk-free rate not finite or <= -1.
void ValidateConventions(const Conventions& conventions);

/// The per-period risk-free rate: (1 + rf)^(1/N) - 1 when compounding (quantstats' de-annualizing),
/// rf / N when summing. Exactly 0 when rf is 0.
double RiskFreePerPeriod(const Conventions& conventions);

/// The returns a metric sees: NaN values dropped or zeroed by the NaN policy. Infinite values are
/// kept and propagate into the result.
std::vector<double> PrepareReturns(std::span<const double> returns, const Conventions& conventions);

/// Two aligned series prepared together: under kSkip a period is dropped when either value is
/// NaN; under kZero each NaN reads as 0. Throws Error(kData) when the lengths differ.
struct PreparedPair {
  std::vector<double> first, second;
};
PreparedPair PreparePair(std::span<const double> first, std::span<const double> second,
                         const Conventions& conventions);

}  // namespace alphaloom::metrics
