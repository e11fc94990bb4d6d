#include "alphaloom/regime/hmm_regime.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "alphaloom/common/error.h"

namespace alphaloom::regime {
namespace {

[[noreturn]] void Bad(std::string_view key, const std::string& what) {
  throw Error(ErrorKind::kConfig, fmt::format("regime.hmm.{}: {}", key, what));
}

}  // namespace

void ValidateHmmRegimeParams(const HmmRegimeParams& params) {
  if (params.states < 2 || params.states > 8) Bad("states", fmt::format("{} is outside 2..8", params.states));
  if (params.min_train < 10 * params.states) {
    Bad("min_train", fmt::format("{} returns is too few for {} states (at least {})", params.min_train, params.states,
                                 10 * params.states));
  }
  if (params.refit_every < 1) Bad("refit_every", "must be >= 1");
  if (params.fit_window != 0 && params.fit_window < params.min_train) {
    Bad("fit_window", fmt::format("{} is below min_train {} (0 = expanding)", params.fit_window, params.min_train));
  }
  if (!(params.return_scale > 0)) Bad("return_scale", "must be positive");
  if (params.fit.n_iter < 1) Bad("n_iter", "must be >= 1");
  if (!(params.fit.tol >= 0)) Bad("tol", "must be >= 0");
  if (!(params.fit.covars_prior >= 0)) Bad("covars_prior", "must be >= 0");
  if (!(params.crash_vol > 0)) Bad("crash_vol", "must be a positive annualized volatility");
}

std::vector<Regime> MapStatesToRegimes(const GaussianHmmParams& params, double return_scale, double crash_vol) {
  const size_t states = params.states;
  const size_t features = params.features;
  std::vector<Regime> regimes(states, Regime::kChoppy);
  std::vector<double> mean(states), vol(states);
  for (size_t state = 0; state < states; ++state) {
    mean[state] = params.means[state * features];
    vol[state] = std::sqrt(params.covars[state * features] * 252.0) / return_scale;
  }
  std::vector<size_t> rest(states);
  std::iota(rest.begin(), rest.end(), 0);
  const size_t loudest = static_cast<size_t>(std::max_element(vol.begin(), vol.end()) - vol.begin());
  if (vol[loudest] >= crash_vol && mean[loudest] < 0) {
    regimes[loudest] = Regime::kCrash;
    rest.erase(rest.begin() + static_cast<long>(loudest));
  }
  std::stable_sort(rest.begin(), rest.end(), [&](size_t a, size_t b) { return mean[a] < mean[b]; });
  if (!rest.empty() && mean[rest.back()] > 0) regimes[rest.back()] = Regime::kBull;
  if (rest.size() >= 2 && mean[rest.front()] < 0) regimes[rest.front()] = Regime::kBear;
  return regimes;
}

RegimeSeries HmmRegimes(std::span<const Date> dates, std::span<const double> benchmark_close,
                        const HmmRegimeParams& params) {
  ValidateHmmRegimeParams(params);
  Check(dates.size() == benchmark_close.size(), "HmmRegimes: one close per date");
  RegimeSeries series = EmptyRegimes(std::vector<Date>(dates.begin(), dates.end()));
  // Returns between consecutive dates with a bar; return i belongs to date_of_return[i].
  std::vector<double> returns;
  std::vector<size_t> date_of_return;
  double last_close = std::nan("");
  for (size_t date_idx = 0; date_idx < dates.size(); ++date_idx) {
    const double close = benchmark_close[date_idx];
    if (!(close > 0) || !std::isfinite(close)) continue;
    if (last_close > 0) {
      returns.push_back(std::log(close / last_close) * params.return_scale);
      date_of_return.push_back(date_idx);
    }
    last_close = close;
  }
  const size_t count = returns.size();
  const size_t min_train = static_cast<size_t>(params.min_train);
  const size_t refit_every = static_cast<size_t>(params.refit_every);
  std::vector<int> regime_of_return(count, -1);
  std::vector<std::array<double, kRegimeCount>> probability_of_return(count, std::array<double, kRegimeCount>{});
  std::optional<GaussianHmmParams> previous;
  for (size_t fit_end = min_train - 1; fit_end < count; fit_end += refit_every) {
    const size_t fit_begin = params.fit_window > 0 && fit_end + 1 > static_cast<size_t>(params.fit_window)
                                 ? fit_end + 1 - params.fit_window
                                 : 0;
    const Observations fit_data{std::span<const double>(returns).subspan(fit_begin, fit_end + 1 - fit_begin), 1};
    const GaussianHmmParams start =
        params.warm_start && previous ? *previous : InitialHmmParams(fit_data, static_cast<size_t>(params.states));
    const HmmFitResult fit = FitGaussianHmm(fit_data, start, params.fit);
    previous = fit.params;
    const std::vector<Regime> mapping = MapStatesToRegimes(fit.params, params.return_scale, params.crash_vol);
    const size_t segment_end = std::min(count, fit_end + refit_every);
    const Observations filter_data{std::span<const double>(returns).subspan(fit_begin, segment_end - fit_begin), 1};
    const std::vector<double> filtered = FilteredProbabilities(filter_data, fit.params);
    for (size_t index = fit_end; index < segment_end; ++index) {
      auto& probabilities = probability_of_return[index];
      for (size_t state = 0; state < fit.params.states; ++state) {
        probabilities[static_cast<size_t>(mapping[state])] += filtered[(index - fit_begin) * fit.params.states + state];
      }
      regime_of_return[index] = MostLikely(probabilities);
    }
  }
  size_t next_return = 0;
  int current = -1;
  std::array<double, kRegimeCount> current_probabilities{};
  for (size_t date_idx = 0; date_idx < dates.size(); ++date_idx) {
    if (next_return < count && date_of_return[next_return] == date_idx) {
      current = regime_of_return[next_return];
      current_probabilities = probability_of_return[next_return];
      ++next_return;
    }
    series.regime[date_idx] = current;
    series.probabilities[date_idx] = current_probabilities;
  }
  return series;
}

}  // namespace alphaloom::regime
