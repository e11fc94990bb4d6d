#pragma once
// Regimes from a Gaussian HMM on the benchmark's daily log returns, walk-forward: the model is
// refitted on a schedule with data up to the fit date only, and each date gets the forward-
// filtered state probabilities under the latest fit (never Viterbi paths or smoothed
// posteriors, reference/finml.md §8.2).
#include <span>

#include "alphaloom/regime/gaussian_hmm.h"
#include "alphaloom/regime/regime.h"

namespace alphaloom::regime {

struct HmmRegimeParams {
  /// Hidden states (2..8).
  int states = 3;
  /// Returns before the first fit; dates before it have no regime.
  int min_train = 504;
  /// Refit every this many returns.
  int refit_every = 63;
  /// Fit on the last fit_window returns (0 = all returns so far, an expanding window).
  int fit_window = 0;
  /// Returns are multiplied by this before fitting (100 = percent), so hmmlearn's variance prior
  /// of 0.01 is small against daily variances.
  double return_scale = 100;
  /// EM settings of each fit: at most 50 iterations, stopping below a gain of 1e-3 (with
  /// warm_start, refits continue where the previous one stopped).
  HmmFitOptions fit{.n_iter = 50, .tol = 1e-3};
  /// Start each refit from the previous fit's parameters (fitted on earlier data only, so still
  /// causal): far fewer EM iterations, and states keep their identity from fit to fit. False:
  /// every fit starts from InitialHmmParams of its own data.
  bool warm_start = true;
  /// A state whose annualized volatility reaches crash_vol and whose mean is negative is crash.
  double crash_vol = 0.45;
};

/// Throws Error(kConfig) naming regime.hmm.<key> for out-of-range values.
void ValidateHmmRegimeParams(const HmmRegimeParams& params);

/// How fitted states map to regimes, by their mean (of the scaled returns) and volatility: the
/// most volatile state is crash when its annualized volatility is >= crash_vol and its mean < 0;
/// of the rest, ordered by mean, the highest is bull if its mean is > 0, the lowest bear if its
/// mean is < 0, and every other state choppy.
std::vector<Regime> MapStatesToRegimes(const GaussianHmmParams& params, double return_scale, double crash_vol);

/// Regimes for each of `dates` from the benchmark closes on those dates (NaN = no bar; a date
/// without a bar keeps the previous regime). A fit at return index f uses returns up to f only,
/// starts from InitialHmmParams of those returns (the first fit, or every fit without
/// warm_start) or from the previous fit, and its model filters the returns of the fit window
/// forward to produce dates f .. (next fit - 1).
RegimeSeries HmmRegimes(std::span<const Date> dates, std::span<const double> benchmark_close,
                        const HmmRegimeParams& params);

}  // namespace alphaloom::regime
