#include "alphaloom/regime/rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "alphaloom/common/error.h"

namespace alphaloom::regime {
namespace {

[[noreturn]] void Bad(std::string_view key, const std::string& what) {
  throw Error(ErrorKind::kConfig, fmt::format("regime.{}: {}", key, what));
}

Regime RawRegime(double trend, double vol, double drop, const RuleRegimeParams& params) {
  if (vol >= params.crash_vol || drop <= params.crash_return) return Regime::kCrash;
  if (trend >= params.trend_band && vol < params.high_vol) return Regime::kBull;
  if (trend <= -params.trend_band) return Regime::kBear;
  return Regime::kChoppy;
}

}  // namespace

void ValidateRuleRegimeParams(const RuleRegimeParams& params) {
  if (params.trend_window < 2) Bad("trend_window", fmt::format("window {} is below 2", params.trend_window));
  if (params.vol_window < 2) Bad("vol_window", fmt::format("window {} is below 2", params.vol_window));
  if (params.crash_window < 1) Bad("crash_window", fmt::format("window {} is below 1", params.crash_window));
  if (!(params.trend_band >= 0)) Bad("trend_band", "must be >= 0");
  if (!(params.high_vol > 0)) Bad("high_vol", "must be a positive annualized volatility");
  if (!(params.crash_vol > 0)) Bad("crash_vol", "must be a positive annualized volatility");
  if (params.high_vol > params.crash_vol) {
    Bad("high_vol", fmt::format("{} is above crash_vol {}", params.high_vol, params.crash_vol));
  }
  if (!(params.crash_return > -1 && params.crash_return < 0)) Bad("crash_return", "must be in (-1, 0)");
  if (params.confirm_days < 1) Bad("confirm_days", "must be >= 1");
}

RegimeSeries RuleRegimes(std::span<const Date> dates, std::span<const double> benchmark_close,
                         const RuleRegimeParams& params) {
  ValidateRuleRegimeParams(params);
  Check(dates.size() == benchmark_close.size(), "RuleRegimes: one close per date");
  RegimeSeries series = EmptyRegimes(std::vector<Date>(dates.begin(), dates.end()));
  std::vector<double> prices;
  prices.reserve(dates.size());
  const size_t trend_window = static_cast<size_t>(params.trend_window);
  const size_t vol_window = static_cast<size_t>(params.vol_window);
  const size_t crash_window = static_cast<size_t>(params.crash_window);
  double moving_sum = 0;
  int current = -1;
  int pending = -1;
  int pending_days = 0;
  for (size_t date_idx = 0; date_idx < dates.size(); ++date_idx) {
    const double close = benchmark_close[date_idx];
    if (!(close > 0) || !std::isfinite(close)) {
      series.regime[date_idx] = current;
      if (current >= 0) series.probabilities[date_idx][static_cast<size_t>(current)] = 1;
      continue;
    }
    prices.push_back(close);
    const size_t end = prices.size() - 1;
    moving_sum += close;
    if (prices.size() > trend_window) moving_sum -= prices[end - trend_window];
    if (prices.size() >= trend_window && end >= vol_window && end >= crash_window) {
      const double trend = close / (moving_sum / static_cast<double>(trend_window)) - 1;
      const double vol = RealizedVolatility(prices, end, vol_window);
      const double drop = close / prices[end - crash_window] - 1;
      const int raw = static_cast<int>(RawRegime(trend, vol, drop, params));
      pending_days = raw == pending ? pending_days + 1 : 1;
      pending = raw;
      if (current < 0 || raw == static_cast<int>(Regime::kCrash) || pending_days >= params.confirm_days) {
        current = raw;
      }
    }
    series.regime[date_idx] = current;
    if (current >= 0) series.probabilities[date_idx][static_cast<size_t>(current)] = 1;
  }
  return series;
}

}  // namespace alphaloom::regime
