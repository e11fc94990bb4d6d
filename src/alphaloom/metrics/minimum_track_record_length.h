#pragma once
// Minimum track record length (Bailey & Lopez de Prado 2012).
//   MinTRL = 1 + (1 - g3 * SR + ((g4 - 1) / 4) * SR^2) * (Phi^-1(1 - alpha) / (SR - SR*))^2
// in periods, with the per-period SR, SR*, biased skewness g3 and raw kurtosis g4 of
// probabilistic_sharpe_ratio.h.
// Edge cases: SR <= SR* -> +inf (no track record is long enough); non-finite inputs or a
// variance term <= 0 -> NaN.
// Worked numbers (reference/finml.md 5.2): SR 2.5/sqrt(250), SR* 0, skew -3, kurtosis 10,
// alpha 0.05 -> 166.64.
// Source: reference/finml.md section 5.1.
namespace alphaloom::metrics {

/// Observations needed for PSR(SR*) >= 1 - alpha, see the file comment.
double MinimumTrackRecordLength(double sharpe, double benchmark_sharpe, double skewness, double kurtosis,
                                double alpha = 0.05);

}  // namespace alphaloom::metrics
