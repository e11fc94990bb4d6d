#include "alphaloom/signal/rule_alphas.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "alphaloom/common/error.h"
#include "alphaloom/expr/program.h"

namespace alphaloom::signal {
namespace {

// Fixed notation: the expression lexer reads plain decimals.
std::string Number(double value) {
  return fmt::format("({:.12f})", value);
}

std::string Clip(const std::string& x) {
  return fmt::format("Greater(Less({}, 1), -1)", x);
}

// A score is 0 until `rows` non-NaN values of `series` fill its window: Qlib's rolling
// operators take partial windows, which would give a 200-day trend from 5 days of data.
std::string AfterWarmup(const std::string& series, int rows, const std::string& score) {
  return fmt::format("If(Count({0}, {1}) >= {1}, {2}, 0)", series, rows, score);
}

[[noreturn]] void Bad(std::string_view key, const std::string& what) {
  throw Error(ErrorKind::kConfig, fmt::format("signals.{}: {}", key, what));
}

void RequireWindow(std::string_view key, int window, int minimum) {
  if (window < minimum) Bad(key, fmt::format("window {} is below {}", window, minimum));
}

void RequirePositive(std::string_view key, double value) {
  if (!(value > 0) || !std::isfinite(value)) Bad(key, fmt::format("must be a positive number, got {}", value));
}

}  // namespace

void ValidateRuleAlphaParams(const RuleAlphaParams& params) {
  if (params.trend_windows.empty()) Bad("trend_windows", "needs at least one window");
  for (int window : params.trend_windows) RequireWindow("trend_windows", window, 1);
  if (params.rs_windows.empty()) Bad("rs_windows", "needs at least one window");
  for (int window : params.rs_windows) RequireWindow("rs_windows", window, 1);
  RequireWindow("reversion_window", params.reversion_window, 2);
  RequireWindow("strong_trend_window", params.strong_trend_window, 1);
  RequireWindow("vol_window", params.vol_window, 2);
  RequireWindow("vol_history", params.vol_history, 1);
  RequireWindow("realized_vol_window", params.realized_vol_window, 2);
  RequirePositive("trend_scale", params.trend_scale);
  RequirePositive("reversion_k", params.reversion_k);
  RequirePositive("strong_trend", params.strong_trend);
  RequirePositive("rs_scale", params.rs_scale);
  if (!(params.vol_scale > 1) || !std::isfinite(params.vol_scale)) {
    Bad("vol_scale", fmt::format("must be a number above 1, got {}", params.vol_scale));
  }
}

AlphaExpressions RuleAlphaExpressions(const RuleAlphaParams& params) {
  const std::string close = "$close";
  const std::string bench = "$bench_close";
  const std::string ret = "($close / Ref($close, 1) - 1)";
  AlphaExpressions out;

  std::vector<std::string> parts;
  for (int window : params.trend_windows) {
    const std::string distance = fmt::format("($close / Mean($close, {}) - 1)", window);
    parts.push_back(fmt::format("Sign({0}) + {1}", distance, Clip(distance + " / " + Number(params.trend_scale))));
  }
  const int trend_warmup = *std::max_element(params.trend_windows.begin(), params.trend_windows.end());
  // The mean over windows of 0.5 sign + 0.5 clip, as one division: fewer passes over the panel.
  out.names.push_back(kTrend);
  out.expressions.push_back(AfterWarmup(
      close, trend_warmup, fmt::format("({}) / {}", fmt::join(parts, " + "), 2 * params.trend_windows.size())));

  const int reversion = params.reversion_window;
  const std::string z = fmt::format("(({0} - Ref(Mean({0}, {1}), 1)) / Ref(Std({0}, {1}), 1))", ret, reversion);
  const std::string strong =
      fmt::format("Abs($close / Mean($close, {}) - 1) > {}", params.strong_trend_window, Number(params.strong_trend));
  const std::string fired = fmt::format("If(Abs({0}) > {1}, {2}, 0)", z, Number(params.reversion_k),
                                        Clip(z + " / " + Number(-2 * params.reversion_k)));
  out.names.push_back(kMeanReversion);
  out.expressions.push_back(AfterWarmup(ret, reversion + 1, fmt::format("If({}, 0, {})", strong, fired)));

  const std::string vol = fmt::format("Std({}, {})", ret, params.vol_window);
  const std::string vol_score =
      Clip(fmt::format("Log(Mean({0}, {1}) / {0}) / {2}", vol, params.vol_history, Number(std::log(params.vol_scale))));
  out.names.push_back(kVolatility);
  out.expressions.push_back(AfterWarmup(ret, params.vol_window + params.vol_history - 1, vol_score));

  parts.clear();
  for (int window : params.rs_windows) {
    const std::string excess = fmt::format("({0} / Ref({0}, {2}) - {1} / Ref({1}, {2}))", close, bench, window);
    parts.push_back(Clip(excess + " / " + Number(params.rs_scale)));
  }
  const int rs_warmup = *std::max_element(params.rs_windows.begin(), params.rs_windows.end()) + 1;
  out.names.push_back(kRelativeStrength);
  out.expressions.push_back(
      AfterWarmup(close, rs_warmup, fmt::format("({}) / {}", fmt::join(parts, " + "), params.rs_windows.size())));

  out.names.push_back(kRealizedVol);
  out.expressions.push_back(
      fmt::format("Std(Log($close / Ref($close, 1)), {}) * {}", params.realized_vol_window, Number(std::sqrt(252.0))));
  return out;
}

expr::FeatureFrame ComputeRuleAlphas(const data::Panel& panel, const RuleAlphaParams& params, ThreadPool& pool,
                                     expr::OutputRange range) {
  ValidateRuleAlphaParams(params);
  const AlphaExpressions alphas = RuleAlphaExpressions(params);
  const expr::Program program = expr::Program::Compile(alphas.names, alphas.expressions);
  return expr::Evaluate(program, panel, expr::SpansFromPanel(panel), pool, range);
}

}  // namespace alphaloom::signal
