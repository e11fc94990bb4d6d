#pragma once
// A Gaussian hidden Markov model with diagonal covariances, fitted by Baum-Welch exactly as
// hmmlearn's GaussianHMM(covariance_type="diag") does (reference/finml.md §8.2), and filtered
// forward only: the probabilities a backtest may use at t read observations up to t.
#include <span>
#include <vector>

namespace alphaloom::regime {

/// Observations: row-major, rows() x features doubles.
struct Observations {
  std::span<const double> values;
  size_t features = 1;
  size_t rows() const { return features == 0 ? 0 : values.size() / features; }
  const double* Row(size_t row) const { return values.data() + row * features; }
};

/// Parameters of a K-state model over D features; matrices row-major.
struct GaussianHmmParams {
  size_t states = 0;
  size_t features = 0;
  std::vector<double> startprob;  ///< K
  std::vector<double> transmat;   ///< K x K, row i = P(next | i)
  std::vector<double> means;      ///< K x D
  std::vector<double> covars;     ///< K x D variances
};

/// Baum-Welch settings, named and defaulted as hmmlearn's GaussianHMM (startprob_prior =
/// transmat_prior = 1, means_prior = means_weight = 0 are fixed).
struct HmmFitOptions {
  int n_iter = 10;
  /// Stops when the log-likelihood gains less than tol in one iteration.
  double tol = 1e-2;
  double covars_prior = 1e-2;
  double covars_weight = 1;
};

struct HmmFitResult {
  GaussianHmmParams params;
  /// Log-likelihood of the observations under the fitted parameters (hmmlearn's score()).
  double log_likelihood = 0;
  /// E-steps run (hmmlearn's monitor_.iter).
  int iterations = 0;
  bool converged = false;
};

/// Throws Error(kData) when the shapes disagree, a probability row does not sum to 1 (1e-6), or
/// a variance is not positive.
void CheckHmmParams(const GaussianHmmParams& params);

/// Fits from `start` by EM: each iteration runs the forward-backward pass with the current
/// parameters (its log-likelihood is the one monitored), then the M-step; it ends after
/// n_iter iterations or when the gain is below tol (hmmlearn's ConvergenceMonitor). Needs at
/// least 2 observations with no NaN (Error(kData) otherwise).
HmmFitResult FitGaussianHmm(const Observations& x, const GaussianHmmParams& start, const HmmFitOptions& options);

/// Log-likelihood log P(x_1..x_T) under `params`.
double HmmLogLikelihood(const Observations& x, const GaussianHmmParams& params);

/// Filtered probabilities P(s_t = j | x_1..x_t), T x K row-major: alpha_t normalised at every
/// step. Row t depends on rows 0..t of `x` only.
std::vector<double> FilteredProbabilities(const Observations& x, const GaussianHmmParams& params);

/// A deterministic start for K states: observations sorted by their first feature and cut into
/// K equal-count groups give the means (group means of every feature); every state gets the
/// sample variance of each feature plus min_covar (as hmmlearn's init); startprob is uniform and
/// the transition matrix keeps a state with probability `stay`.
GaussianHmmParams InitialHmmParams(const Observations& x, size_t states, double min_covar = 1e-3, double stay = 0.9);

}  // namespace alphaloom::regime
