// Classic indicators with TA-Lib's conventions (reference/finml.md §10). Qlib's own EMA keeps
// Qlib's semantics for Alpha158 parity; these operators carry a Ta prefix (KdjSmooth: the
// Chinese KDJ convention, not in TA-Lib) so the two families cannot be confused. The math
// lives in kernels_ta.cpp; this file holds each operator's documentation and wiring.
#include <string>

#include "alphaloom/expr/kernels_ta.h"
#include "alphaloom/expr/registry.h"

namespace alphaloom::expr {
namespace {

constexpr const char* kSkipMissing =
    "a row with a NaN or +-inf input is a missing bar: it outputs NaN and is skipped, the indicator "
    "continues across the gap from the last valid bar (TA-Lib would poison every later value)";

size_t Period(double param) {
  return static_cast<size_t>(param);
}

OperatorSpec TaOperator(std::string name, std::string signature, std::string doc, std::string warmup,
                        size_t series_arity, size_t periods, long (*lookback)(const std::vector<double>&)) {
  OperatorSpec spec;
  spec.name = std::move(name);
  spec.signature = std::move(signature);
  spec.doc = std::move(doc);
  spec.nan_policy = kSkipMissing;
  spec.warmup = std::move(warmup);
  spec.kind = OperatorKind::kTimeSeries;
  spec.series_arity = series_arity;
  spec.params.assign(periods, ParamKind::kPeriod);
  spec.lookback = lookback;
  return spec;
}

long PeriodMinusOne(const std::vector<double>& params) {
  return static_cast<long>(params[0]) - 1;
}
long WholePeriod(const std::vector<double>& params) {
  return static_cast<long>(params[0]);
}
long Recursive(const std::vector<double>&) {
  return -1;
}  // infinite memory: unbounded

OperatorSpec Macd(std::string name, std::string doc, kernels::MacdOutput which) {
  OperatorSpec spec =
      TaOperator(name, name + "(x, fast, slow, signal)", std::move(doc),
                 "NaN for the first (slow - 1) + (signal - 1) valid rows (33 for 12, 26, 9)", 1, 3, Recursive);
  spec.evaluate = [which](const OperatorCall& call, std::span<double> out) {
    kernels::TaMacd(call.inputs[0], Period(call.params[0]), Period(call.params[1]), Period(call.params[2]), which, out);
  };
  return spec;
}

}  // namespace

void RegisterTaOps(Registry& registry) {
  OperatorSpec sma = TaOperator("TaSMA", "TaSMA(x, N)", "TA-Lib SMA: mean of the last N valid rows",
                                "NaN for the first N - 1 valid rows", 1, 1, PeriodMinusOne);
  sma.evaluate = [](const OperatorCall& call, std::span<double> out) {
    kernels::TaSma(call.inputs[0], Period(call.params[0]), out);
  };
  registry.Add(std::move(sma));

  OperatorSpec ema = TaOperator("TaEMA", "TaEMA(x, N)",
                                "TA-Lib EMA: k = 2/(N+1), seeded by the SMA of the first N valid rows "
                                "(differs from Qlib's EMA, which is pandas ewm(adjust=True))",
                                "NaN for the first N - 1 valid rows; infinite memory", 1, 1, Recursive);
  ema.evaluate = [](const OperatorCall& call, std::span<double> out) {
    kernels::TaEma(call.inputs[0], Period(call.params[0]), out);
  };
  registry.Add(std::move(ema));

  OperatorSpec stddev = TaOperator("TaStdDev", "TaStdDev(x, N)",
                                   "TA-Lib STDDEV: population standard deviation (divide by N) of the last N "
                                   "valid rows; 0 when the variance is below 1e-14",
                                   "NaN for the first N - 1 valid rows", 1, 1, PeriodMinusOne);
  stddev.evaluate = [](const OperatorCall& call, std::span<double> out) {
    kernels::TaStdDev(call.inputs[0], Period(call.params[0]), out);
  };
  registry.Add(std::move(stddev));

  OperatorSpec rsi =
      TaOperator("TaRSI", "TaRSI(x, N)", "TA-Lib RSI with Wilder smoothing: 100 G/(G+L), 0 when G+L is 0 (flat prices)",
                 "NaN for the first N valid rows; infinite memory", 1, 1, Recursive);
  rsi.evaluate = [](const OperatorCall& call, std::span<double> out) {
    kernels::TaRsi(call.inputs[0], Period(call.params[0]), out);
  };
  registry.Add(std::move(rsi));

  OperatorSpec atr = TaOperator("TaATR", "TaATR(high, low, close, N)",
                                "TA-Lib ATR: Wilder-smoothed true range, seeded by the mean of the first N "
                                "true ranges (the first bar has none)",
                                "NaN for the first N valid rows; infinite memory", 3, 1, Recursive);
  atr.evaluate = [](const OperatorCall& call, std::span<double> out) {
    kernels::TaAtr(call.inputs[0], call.inputs[1], call.inputs[2], Period(call.params[0]), out);
  };
  registry.Add(std::move(atr));

  registry.Add(
      Macd("TaMACD", "TA-Lib MACD line: fast EMA - slow EMA, both seeded on the same row", kernels::MacdOutput::kLine));
  registry.Add(
      Macd("TaMACDSignal", "TA-Lib MACD signal: TA-Lib EMA(signal) of the MACD line", kernels::MacdOutput::kSignal));
  registry.Add(Macd("TaMACDHist", "TA-Lib MACD histogram: line - signal", kernels::MacdOutput::kHistogram));

  OperatorSpec stoch = TaOperator("TaStochFastK", "TaStochFastK(high, low, close, N)",
                                  "TA-Lib fast stochastic %K (KDJ's RSV): 100 (close - lowest low) / (highest "
                                  "high - lowest low) over the last N valid rows, 0 when the range is 0",
                                  "NaN for the first N - 1 valid rows", 3, 1, PeriodMinusOne);
  stoch.evaluate = [](const OperatorCall& call, std::span<double> out) {
    kernels::TaStochFastK(call.inputs[0], call.inputs[1], call.inputs[2], Period(call.params[0]), out);
  };
  registry.Add(std::move(stoch));

  OperatorSpec kdj = TaOperator("KdjSmooth", "KdjSmooth(x, M)",
                                "KDJ smoothing (Chinese convention): s = (s_prev (M-1) + x)/M, s_prev = 50 before "
                                "the first valid row; K = KdjSmooth(RSV, 3), D = KdjSmooth(K, 3)",
                                "none: the first valid row has a value; infinite memory", 1, 1, Recursive);
  kdj.evaluate = [](const OperatorCall& call, std::span<double> out) {
    kernels::KdjSmooth(call.inputs[0], Period(call.params[0]), out);
  };
  registry.Add(std::move(kdj));

  OperatorSpec beta = TaOperator("TaBeta", "TaBeta(asset, market, N)",
                                 "TA-Lib BETA(market, asset, N): cov/var(market) of the one-bar simple returns of "
                                 "the two price series over the last N returns; 0 when the market is flat",
                                 "NaN for the first N valid rows", 2, 1, WholePeriod);
  beta.evaluate = [](const OperatorCall& call, std::span<double> out) {
    kernels::TaBeta(call.inputs[0], call.inputs[1], Period(call.params[0]), out);
  };
  registry.Add(std::move(beta));
}

}  // namespace alphaloom::expr
