#pragma once
// Probabilistic Sharpe ratio (Bailey & Lopez de Prado 2012).
//   PSR(SR*) = Phi( (SR - SR*) * sqrt(T - 1) / sqrt(1 - g3 * SR + ((g4 - 1) / 4) * SR^2) )
// with every input PER PERIOD (not annualized): SR = mean / std(ddof) of the T excess returns
// r - rf_p, g3 the biased skewness, g4 the biased kurtosis in its RAW form (normal = 3; passing
// excess kurtosis is the classic bug), SR* the benchmark Sharpe ratio per period.
// Conventions (series form): risk_free_annual, ddof, NaN policy; periods_per_year only through
// the caller's conversion of an annual SR* (SR*_annual / sqrt(N)).
// Edge cases: T < 2 -> NaN; zero variance -> NaN (SR undefined); variance term
// 1 - g3 SR + (g4 - 1)/4 SR^2 <= 0 (extreme positive skew) -> NaN, where RiskLabAI returns 0
// (documented difference).
// Worked numbers (reference/finml.md 5.2): SR 0.3, SR* 0.1, T 60, skew -1, kurtosis 6 -> 0.901924.
// Source: reference/finml.md section 5; RiskLabAI `probabilistic_sharpe_ratio`.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// PSR from per-period statistics: `sharpe` and `benchmark_sharpe` per period, `observations`
/// T, biased `skewness`, biased raw (non-excess) `kurtosis`.
double ProbabilisticSharpeRatio(double sharpe, double benchmark_sharpe, double observations, double skewness,
                                double kurtosis);

/// PSR of a return series against the per-period benchmark Sharpe ratio (0 by default).
double ProbabilisticSharpeRatio(std::span<const double> returns, const Conventions& conventions = {},
                                double benchmark_sharpe = 0.0);

/// The per-period statistics the PSR, DSR and MinTRL read from a series (excess of rf_p).
struct SharpeStatistics {
  double sharpe;        ///< mean / std(ddof), not annualized; NaN when T < 2 or std = 0
  double observations;  ///< T after the NaN policy
  double skewness;      ///< biased
  double kurtosis;      ///< biased, raw (normal = 3)
};
SharpeStatistics ComputeSharpeStatistics(std::span<const double> returns, const Conventions& conventions);

}  // namespace alphaloom::metrics
