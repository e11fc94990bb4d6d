#pragma once
// The four market regimes and one regime series per calendar: a label (or none during warm-up)
// and a probability per regime for every date, each known at that date's close.
#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "alphaloom/common/date.h"

namespace alphaloom::regime {

enum class Regime { kBull, kBear, kChoppy, kCrash };
inline constexpr size_t kRegimeCount = 4;
/// Default labels, in Regime order (configuration may rename them and set their ids).
inline constexpr std::array<std::string_view, kRegimeCount> kRegimeNames = {"bull", "bear", "choppy", "crash"};

/// Regime at each date. `regime[t]` is -1 (no regime: warm-up or no benchmark bar yet) or the
/// index of a Regime; `probabilities[t]` sums to 1 (rules: one-hot; HMM: filtered), or is all
/// zeros when regime[t] == -1. Nothing at t depends on data after t.
struct RegimeSeries {
  std::vector<Date> dates;
  std::vector<int> regime;
  std::vector<std::array<double, kRegimeCount>> probabilities;

  size_t size() const { return dates.size(); }
};

/// A series of `dates` with no regime anywhere.
RegimeSeries EmptyRegimes(std::vector<Date> dates);

/// The regime with the highest probability (the first on ties); -1 for all zeros.
int MostLikely(const std::array<double, kRegimeCount>& probabilities);

/// Annualized volatility of daily log returns: sample std (ddof 1) of ln(p_i / p_{i-1}) for
/// i in (end - window, end], times sqrt(252). NaN when end < window.
double RealizedVolatility(const std::vector<double>& prices, size_t end, size_t window);

}  // namespace alphaloom::regime
