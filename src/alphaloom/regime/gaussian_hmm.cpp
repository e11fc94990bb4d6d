#include "alphaloom/regime/gaussian_hmm.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>

#include "alphaloom/common/error.h"

namespace alphaloom::regime {
namespace {

// Emission probabilities of every row, each row scaled by exp(-shift[t]) so its largest entry is
// 1: an outlier far from every state would otherwise underflow all of them to 0.
struct Emissions {
  std::vector<double> scaled;  // T x K
  std::vector<double> shift;   // T
};

Emissions ComputeEmissions(const Observations& x, const GaussianHmmParams& params) {
  const size_t rows = x.rows();
  const size_t states = params.states;
  const size_t features = params.features;
  Emissions out;
  out.scaled.resize(rows * states);
  out.shift.resize(rows);
  std::vector<double> log_norm(states);
  std::vector<double> inverse(states * features);
  for (size_t state = 0; state < states; ++state) {
    double sum_log = 0;
    for (size_t feature = 0; feature < features; ++feature) {
      const double variance = std::max(params.covars[state * features + feature], std::numeric_limits<double>::min());
      sum_log += std::log(variance);
      inverse[state * features + feature] = 1.0 / variance;
    }
    log_norm[state] = -0.5 * (static_cast<double>(features) * std::log(2 * std::numbers::pi) + sum_log);
  }
  for (size_t row = 0; row < rows; ++row) {
    const double* obs = x.Row(row);
    double* scaled = out.scaled.data() + row * states;
    double largest = -std::numeric_limits<double>::infinity();
    for (size_t state = 0; state < states; ++state) {
      double quadratic = 0;
      for (size_t feature = 0; feature < features; ++feature) {
        const double diff = obs[feature] - params.means[state * features + feature];
        quadratic += diff * diff * inverse[state * features + feature];
      }
      scaled[state] = log_norm[state] - 0.5 * quadratic;
      largest = std::max(largest, scaled[state]);
    }
    for (size_t state = 0; state < states; ++state) scaled[state] = std::exp(scaled[state] - largest);
    out.shift[row] = largest;
  }
  return out;
}

// Scaled forward pass: alpha holds the filtered probabilities, scale[t] the normaliser of row t
// (in the shifted units of the emissions).
double Forward(const GaussianHmmParams& params, const Emissions& emissions, size_t rows, std::vector<double>& alpha,
               std::vector<double>& scale) {
  const size_t states = params.states;
  alpha.assign(rows * states, 0);
  scale.assign(rows, 0);
  double log_likelihood = 0;
  for (size_t row = 0; row < rows; ++row) {
    const double* emission = emissions.scaled.data() + row * states;
    double* current = alpha.data() + row * states;
    if (row == 0) {
      for (size_t state = 0; state < states; ++state) current[state] = params.startprob[state] * emission[state];
    } else {
      const double* previous = current - states;
      for (size_t to = 0; to < states; ++to) {
        double sum = 0;
        for (size_t from = 0; from < states; ++from) sum += previous[from] * params.transmat[from * states + to];
        current[to] = sum * emission[to];
      }
    }
    const double total = std::accumulate(current, current + states, 0.0);
    scale[row] = total;
    if (total > 0) {
      for (size_t state = 0; state < states; ++state) current[state] /= total;
    }
    log_likelihood += std::log(total) + emissions.shift[row];
  }
  return log_likelihood;
}

// Row-normalises a K-wide matrix, leaving all-zero rows as they are (hmmlearn's normalize).
void NormalizeRows(std::vector<double>& values, size_t width) {
  for (size_t start = 0; start < values.size(); start += width) {
    const double total = std::accumulate(values.begin() + static_cast<long>(start),
                                         values.begin() + static_cast<long>(start + width), 0.0);
    if (total == 0) continue;
    for (size_t index = start; index < start + width; ++index) values[index] /= total;
  }
}

struct Statistics {
  std::vector<double> start, trans, post, obs, obs2;
  double log_likelihood = 0;
};

Statistics ExpectationStep(const Observations& x, const GaussianHmmParams& params) {
  const size_t rows = x.rows();
  const size_t states = params.states;
  const size_t features = params.features;
  const Emissions emissions = ComputeEmissions(x, params);
  std::vector<double> alpha, scale;
  Statistics stats;
  stats.log_likelihood = Forward(params, emissions, rows, alpha, scale);
  std::vector<double> beta(rows * states, 1.0);
  for (size_t row = rows - 1; row-- > 0;) {
    const double* next_emission = emissions.scaled.data() + (row + 1) * states;
    const double* next_beta = beta.data() + (row + 1) * states;
    for (size_t from = 0; from < states; ++from) {
      double sum = 0;
      for (size_t to = 0; to < states; ++to)
        sum += params.transmat[from * states + to] * next_emission[to] * next_beta[to];
      beta[row * states + from] = sum / scale[row + 1];
    }
  }
  stats.start.assign(states, 0);
  stats.trans.assign(states * states, 0);
  stats.post.assign(states, 0);
  stats.obs.assign(states * features, 0);
  stats.obs2.assign(states * features, 0);
  std::vector<double> gamma(states);
  for (size_t row = 0; row < rows; ++row) {
    double total = 0;
    for (size_t state = 0; state < states; ++state) {
      gamma[state] = alpha[row * states + state] * beta[row * states + state];
      total += gamma[state];
    }
    if (total > 0) {
      for (double& value : gamma) value /= total;
    }
    if (row == 0) stats.start = gamma;
    const double* obs = x.Row(row);
    for (size_t state = 0; state < states; ++state) {
      stats.post[state] += gamma[state];
      for (size_t feature = 0; feature < features; ++feature) {
        stats.obs[state * features + feature] += gamma[state] * obs[feature];
        stats.obs2[state * features + feature] += gamma[state] * obs[feature] * obs[feature];
      }
    }
    if (row + 1 < rows) {
      const double* next_emission = emissions.scaled.data() + (row + 1) * states;
      const double* next_beta = beta.data() + (row + 1) * states;
      for (size_t from = 0; from < states; ++from) {
        const double weight = alpha[row * states + from] / scale[row + 1];
        for (size_t to = 0; to < states; ++to) {
          stats.trans[from * states + to] +=
              weight * params.transmat[from * states + to] * next_emission[to] * next_beta[to];
        }
      }
    }
  }
  return stats;
}

void MaximizationStep(const Statistics& stats, const HmmFitOptions& options, GaussianHmmParams& params) {
  const size_t states = params.states;
  const size_t features = params.features;
  // Priors of 1 make the MAP update the plain MLE; a probability that started at 0 stays 0.
  for (size_t state = 0; state < states; ++state) {
    params.startprob[state] = params.startprob[state] == 0 ? 0 : std::max(stats.start[state], 0.0);
  }
  NormalizeRows(params.startprob, states);
  for (size_t index = 0; index < states * states; ++index) {
    params.transmat[index] = params.transmat[index] == 0 ? 0 : std::max(stats.trans[index], 0.0);
  }
  NormalizeRows(params.transmat, states);
  for (size_t state = 0; state < states; ++state) {
    const double denominator = stats.post[state];
    const double covar_denominator = std::max(std::max(options.covars_weight - 1, 0.0) + denominator, 1e-5);
    for (size_t feature = 0; feature < features; ++feature) {
      const size_t index = state * features + feature;
      const double mean = stats.obs[index] / denominator;
      params.means[index] = mean;
      // Expanded as hmmlearn writes it, so the two agree to rounding.
      const double spread = stats.obs2[index] - 2 * mean * stats.obs[index] + mean * mean * denominator;
      params.covars[index] = (options.covars_prior + spread) / covar_denominator;
    }
  }
}

void CheckObservations(const Observations& x, const GaussianHmmParams& params) {
  if (x.features != params.features) {
    throw Error(ErrorKind::kData,
                fmt::format("HMM: observations have {} features, the model {}", x.features, params.features));
  }
  if (x.rows() < 2) throw Error(ErrorKind::kData, fmt::format("HMM: needs at least 2 observations, got {}", x.rows()));
  for (size_t index = 0; index < x.values.size(); ++index) {
    if (!std::isfinite(x.values[index])) {
      throw Error(ErrorKind::kData,
                  fmt::format("HMM: observation {} feature {} is not finite", index / x.features, index % x.features));
    }
  }
}

}  // namespace

void CheckHmmParams(const GaussianHmmParams& params) {
  const size_t states = params.states;
  const size_t features = params.features;
  if (states == 0 || features == 0 || params.startprob.size() != states || params.transmat.size() != states * states ||
      params.means.size() != states * features || params.covars.size() != states * features) {
    throw Error(ErrorKind::kData,
                fmt::format("HMM parameters: shapes do not match {} states x {} features", states, features));
  }
  const auto check_row = [](std::span<const double> row, const std::string& what) {
    double total = 0;
    for (double value : row) {
      if (!(value >= 0)) throw Error(ErrorKind::kData, fmt::format("HMM parameters: {} has a negative entry", what));
      total += value;
    }
    if (std::fabs(total - 1) > 1e-6) {
      throw Error(ErrorKind::kData, fmt::format("HMM parameters: {} sums to {}, not 1", what, total));
    }
  };
  check_row(params.startprob, "startprob");
  for (size_t state = 0; state < states; ++state) {
    check_row(std::span(params.transmat).subspan(state * states, states), fmt::format("transmat row {}", state));
  }
  for (double variance : params.covars) {
    if (!(variance > 0)) throw Error(ErrorKind::kData, "HMM parameters: a variance is not positive");
  }
}

HmmFitResult FitGaussianHmm(const Observations& x, const GaussianHmmParams& start, const HmmFitOptions& options) {
  CheckHmmParams(start);
  CheckObservations(x, start);
  HmmFitResult result;
  result.params = start;
  double previous = -std::numeric_limits<double>::infinity();
  for (int iteration = 0; iteration < options.n_iter; ++iteration) {
    const Statistics stats = ExpectationStep(x, result.params);
    MaximizationStep(stats, options, result.params);
    result.iterations = iteration + 1;
    if (iteration > 0 && stats.log_likelihood - previous < options.tol) {
      result.converged = true;
      break;
    }
    previous = stats.log_likelihood;
  }
  result.log_likelihood = HmmLogLikelihood(x, result.params);
  return result;
}

double HmmLogLikelihood(const Observations& x, const GaussianHmmParams& params) {
  const Emissions emissions = ComputeEmissions(x, params);
  std::vector<double> alpha, scale;
  return Forward(params, emissions, x.rows(), alpha, scale);
}

std::vector<double> FilteredProbabilities(const Observations& x, const GaussianHmmParams& params) {
  const Emissions emissions = ComputeEmissions(x, params);
  std::vector<double> alpha, scale;
  Forward(params, emissions, x.rows(), alpha, scale);
  return alpha;
}

GaussianHmmParams InitialHmmParams(const Observations& x, size_t states, double min_covar, double stay) {
  const size_t rows = x.rows();
  const size_t features = x.features;
  Check(states >= 1 && rows >= states, "InitialHmmParams: needs at least one observation per state");
  GaussianHmmParams params;
  params.states = states;
  params.features = features;
  params.startprob.assign(states, 1.0 / static_cast<double>(states));
  params.transmat.assign(states * states, states == 1 ? 1.0 : (1 - stay) / static_cast<double>(states - 1));
  for (size_t state = 0; state < states; ++state) params.transmat[state * states + state] = states == 1 ? 1.0 : stay;
  std::vector<size_t> order(rows);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x.Row(a)[0] < x.Row(b)[0]; });
  params.means.assign(states * features, 0);
  for (size_t state = 0; state < states; ++state) {
    const size_t begin = state * rows / states;
    const size_t end = (state + 1) * rows / states;
    for (size_t rank = begin; rank < end; ++rank) {
      for (size_t feature = 0; feature < features; ++feature) {
        params.means[state * features + feature] += x.Row(order[rank])[feature];
      }
    }
    for (size_t feature = 0; feature < features; ++feature) {
      params.means[state * features + feature] /= static_cast<double>(end - begin);
    }
  }
  params.covars.assign(states * features, 0);
  for (size_t feature = 0; feature < features; ++feature) {
    double mean = 0;
    for (size_t row = 0; row < rows; ++row) mean += x.Row(row)[feature];
    mean /= static_cast<double>(rows);
    double sum_squares = 0;
    for (size_t row = 0; row < rows; ++row) sum_squares += (x.Row(row)[feature] - mean) * (x.Row(row)[feature] - mean);
    const double variance = rows > 1 ? sum_squares / static_cast<double>(rows - 1) : 0;
    for (size_t state = 0; state < states; ++state) params.covars[state * features + feature] = variance + min_covar;
  }
  return params;
}

}  // namespace alphaloom::regime
