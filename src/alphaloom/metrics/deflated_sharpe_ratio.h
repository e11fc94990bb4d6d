#pragma once
// Deflated Sharpe ratio (Bailey & Lopez de Prado 2014).
//   SR0 = sqrt(V) * ( (1 - gamma) * Phi^-1(1 - 1/N) + gamma * Phi^-1(1 - 1/(N e)) )
//   DSR = PSR(SR0)   (probabilistic_sharpe_ratio.h)
// SR0 is the expected maximum Sharpe ratio of N independent trials whose true Sharpe ratio is 0,
// gamma = 0.5772156649015329 (Euler-Mascheroni), V the variance of the N trial Sharpe ratios.
// Everything PER PERIOD: V in per-period units (an annualized variance divided by N_year), SR0
// per period. When the trial Sharpe ratios themselves are given, V is their population variance
// (ddof 0, as mlfinlab and RiskLabAI) and N their count. N should count effectively independent
// trials (clusters), not raw configurations.
// Edge cases: N < 1 or V < 0 or NaN -> NaN; N = 1 -> SR0 = 0, so DSR = PSR(0); V = 0 -> SR0 = 0.
// Worked numbers (reference/finml.md 5.2): SR 2.5/sqrt(250), N 100, V 0.5/250, T 1250, skew -3,
// kurtosis 10 -> SR0 = 0.113172002, DSR = 0.900397.
// Source: reference/finml.md section 5.
#include <span>

#include "alphaloom/metrics/conventions.h"

namespace alphaloom::metrics {

/// SR0, the expected maximum per-period Sharpe ratio of `trials` null trials with per-period
/// Sharpe-ratio variance `trial_sharpe_variance`.
double ExpectedMaxSharpe(double trials, double trial_sharpe_variance);

/// DSR of a return series given the number of trials and the per-period variance of their Sharpe
/// ratios.
double DeflatedSharpeRatio(std::span<const double> returns, double trials, double trial_sharpe_variance,
                           const Conventions& conventions = {});

/// DSR of a return series given every trial's per-period Sharpe ratio (N = count, V = population
/// variance). NaN values among the trials are an Error(kData).
double DeflatedSharpeRatio(std::span<const double> returns, std::span<const double> trial_sharpes,
                           const Conventions& conventions = {});

}  // namespace alphaloom::metrics
