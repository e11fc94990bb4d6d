// Time-series operators: each reads one instrument's rows up to t (Ref with a negative shift is
// the one exception, allowed only for labels). The math lives in kernels.cpp; this file holds
// each operator's documentation and wiring.
#include <algorithm>
#include <cmath>

#include "alphaloom/expr/kernels.h"
#include "alphaloom/expr/registry.h"

namespace alphaloom::expr {
namespace {

using WindowKernel = void (*)(std::span<const double>, size_t, std::span<double>);
using PairKernel = void (*)(std::span<const double>, std::span<const double>, size_t, std::span<double>);

constexpr const char* kSkipNaN = "NaN rows occupy a window slot and are skipped; an all-NaN window gives NaN";
constexpr const char* kMinPeriodsOne = "min_periods 1: partial windows from the first row";

long WindowLookback(const std::vector<double>& params) { return params.empty() ? 0 : static_cast<long>(params[0]) - 1; }

// pandas converts +-inf to NaN before every rolling aggregation (Window._prep_values), so for
// the pandas-backed operators an infinite input is a missing value. Qlib's Cython regression
// operators (Slope, Rsquare, Resi) and Ref/Delta see the infinity as it is.
template <typename Kernel>
auto PandasInputs(Kernel kernel) {
  return [kernel](const OperatorCall& call, std::span<double> out) {
    bool any_infinite = false;
    for (const auto& input : call.inputs) {
      any_infinite = any_infinite || std::any_of(input.begin(), input.end(), [](double v) { return std::isinf(v); });
    }
    if (!any_infinite) {
      kernel(call, out);
      return;
    }
    OperatorCall cleaned;
    cleaned.params = call.params;
    std::vector<std::vector<double>> copies;
    for (const auto& input : call.inputs) {
      copies.emplace_back(input.begin(), input.end());
      for (double& value : copies.back()) {
        if (std::isinf(value)) value = std::nan("");
      }
    }
    for (const auto& copy : copies) cleaned.inputs.emplace_back(copy);
    kernel(cleaned, out);
  };
}

OperatorSpec Rolling(std::string name, std::string doc, WindowKernel kernel, std::string nan_policy = kSkipNaN,
                     std::string warmup = kMinPeriodsOne, bool pandas_backed = true) {
  OperatorSpec spec;
  spec.signature = name + "(x, N)";
  spec.name = std::move(name);
  spec.doc = std::move(doc) + " over the last N rows (N = 0: expanding)";
  spec.nan_policy = std::move(nan_policy);
  spec.warmup = std::move(warmup);
  spec.kind = OperatorKind::kTimeSeries;
  spec.series_arity = 1;
  spec.params = {ParamKind::kWindow};
  auto evaluate = [kernel](const OperatorCall& call, std::span<double> out) {
    kernel(call.inputs[0], static_cast<size_t>(call.params[0]), out);
  };
  if (pandas_backed) {
    spec.evaluate = PandasInputs(evaluate);
    spec.nan_policy += "; +-inf counts as NaN (pandas)";
  } else {
    spec.evaluate = evaluate;
  }
  spec.lookback = WindowLookback;
  return spec;
}

OperatorSpec RollingPair(std::string name, std::string doc, PairKernel kernel, std::string nan_policy) {
  OperatorSpec spec;
  spec.signature = name + "(x, y, N)";
  spec.name = std::move(name);
  spec.doc = std::move(doc) + " over the last N rows";
  spec.nan_policy = std::move(nan_policy);
  spec.warmup = "fewer than 2 complete pairs give NaN";
  spec.kind = OperatorKind::kTimeSeries;
  spec.series_arity = 2;
  spec.params = {ParamKind::kWindow};
  spec.evaluate = PandasInputs([kernel](const OperatorCall& call, std::span<double> out) {
    kernel(call.inputs[0], call.inputs[1], static_cast<size_t>(call.params[0]), out);
  });
  spec.nan_policy += "; +-inf counts as NaN (pandas)";
  spec.lookback = WindowLookback;
  return spec;
}

}  // namespace

void RegisterTimeSeriesOps(Registry& registry) {
  OperatorSpec ref;
  ref.name = "Ref";
  ref.signature = "Ref(x, N)";
  ref.doc = "value N rows earlier (N < 0: |N| rows later, labels only); Qlib quirk: N = 0 repeats the first row";
  ref.nan_policy = "rows shifted in from outside the history are NaN";
  ref.warmup = "the first N rows are NaN";
  ref.kind = OperatorKind::kTimeSeries;
  ref.params = {ParamKind::kShift};
  ref.keeps_float32 = true;
  ref.evaluate = [](const OperatorCall& call, std::span<double> out) {
    kernels::Ref(call.inputs[0], static_cast<long>(call.params[0]), out);
  };
  ref.lookback = [](const std::vector<double>& params) { return std::max(0L, static_cast<long>(params[0])); };
  registry.Add(std::move(ref));

  OperatorSpec delta;
  delta.name = "Delta";
  delta.signature = "Delta(x, N)";
  delta.doc = "x minus its value N rows earlier";
  delta.nan_policy = "NaN in either value gives NaN";
  delta.warmup = "the first N rows are NaN";
  delta.kind = OperatorKind::kTimeSeries;
  delta.params = {ParamKind::kWindow};
  delta.keeps_float32 = true;
  delta.evaluate = [](const OperatorCall& call, std::span<double> out) {
    kernels::Ref(call.inputs[0], static_cast<long>(call.params[0]), out);
    for (size_t row = 0; row < out.size(); ++row) out[row] = call.inputs[0][row] - out[row];
  };
  delta.lookback = [](const std::vector<double>& params) { return static_cast<long>(params[0]); };
  registry.Add(std::move(delta));

  registry.Add(Rolling("Mean", "arithmetic mean", kernels::RollingMean));
  registry.Add(Rolling("Sum", "sum", kernels::RollingSum));
  registry.Add(Rolling("Std", "sample standard deviation (ddof 1)", kernels::RollingStd, kSkipNaN,
                       "needs 2 non-NaN values: row 0 is NaN"));
  registry.Add(Rolling("Var", "sample variance (ddof 1)", kernels::RollingVar, kSkipNaN,
                       "needs 2 non-NaN values: row 0 is NaN"));
  registry.Add(Rolling("Skew", "bias-corrected skewness (pandas)", kernels::RollingSkew, kSkipNaN,
                       "needs 3 non-NaN values"));
  registry.Add(Rolling("Kurt", "bias-corrected excess kurtosis (pandas)", kernels::RollingKurt, kSkipNaN,
                       "needs 4 non-NaN values"));
  registry.Add(Rolling("Max", "maximum", kernels::RollingMax));
  registry.Add(Rolling("Min", "minimum", kernels::RollingMin));
  registry.Add(Rolling("Med", "median", kernels::RollingMedian));
  registry.Add(Rolling("Mad", "mean absolute deviation around the window mean", kernels::RollingMad));
  registry.Add(Rolling("Count", "number of non-NaN values", kernels::RollingCount, "counts non-NaN rows",
                       kMinPeriodsOne));
  registry.Add(Rolling("Rank", "percentile rank of the current value (ties averaged, in (0, 1])",
                       kernels::RollingRank, "current value NaN gives NaN; other NaNs are not counted",
                       "row 0 is 1.0"));
  registry.Add(Rolling("IdxMax", "1-based position of the maximum, counted from the oldest row",
                       kernels::RollingIdxMax,
                       "Qlib quirk: a NaN in the window gives the position of the first NaN (see IdxMaxSkipNaN)",
                       "row 0 is 1"));
  registry.Add(Rolling("IdxMin", "1-based position of the minimum, counted from the oldest row",
                       kernels::RollingIdxMin,
                       "Qlib quirk: a NaN in the window gives the position of the first NaN (see IdxMinSkipNaN)",
                       "row 0 is 1"));
  registry.Add(Rolling("IdxMaxSkipNaN", "IdxMax with NaN rows skipped (corrected variant, differs from Qlib)",
                       kernels::RollingIdxMaxSkipNaN));
  registry.Add(Rolling("IdxMinSkipNaN", "IdxMin with NaN rows skipped (corrected variant, differs from Qlib)",
                       kernels::RollingIdxMinSkipNaN));
  registry.Add(Rolling("Slope", "OLS slope of x on its position in the window", kernels::RollingSlope,
                       "NaN rows are dropped from the regression (positions keep their gaps)",
                       "one valid point gives NaN: row 0 is NaN", false));
  registry.Add(Rolling("Rsquare", "R-squared of x regressed on its position", kernels::RollingRsquare,
                       "NaN rows dropped; NaN where Std(x, N) is within 2e-5 of 0 (Qlib's mask)",
                       "row 1 is 1.0", false));
  registry.Add(Rolling("Resi", "residual of the current value against the window's regression line",
                       kernels::RollingResi, "current value NaN gives NaN", "row 1 is 0", false));
  registry.Add(Rolling("WMA", "Qlib's weighted mean: weights i/sum(1..n), then divided by the non-NaN count",
                       kernels::RollingWmaQlib, "Qlib's 1/n scaling kept for parity (see WMANormalized)"));
  registry.Add(Rolling("WMANormalized", "linearly weighted mean, weights normalised over the non-NaN values "
                                        "(corrected variant, differs from Qlib)",
                       kernels::RollingWma));

  OperatorSpec quantile = Rolling("Quantile", "linear-interpolation quantile q", nullptr);
  quantile.signature = "Quantile(x, N, q)";
  quantile.params = {ParamKind::kWindow, ParamKind::kNumber};
  quantile.evaluate = PandasInputs([](const OperatorCall& call, std::span<double> out) {
    kernels::RollingQuantile(call.inputs[0], static_cast<size_t>(call.params[0]), call.params[1], out);
  });
  registry.Add(std::move(quantile));

  registry.Add(RollingPair("Corr", "Pearson correlation over complete pairs", kernels::RollingCorr,
                           "NaN where either input's Std over the window is within 2e-5 of 0 (Qlib's mask)"));
  registry.Add(RollingPair("Cov", "sample covariance (ddof 1) over complete pairs", kernels::RollingCov,
                           "pairs with a NaN are skipped"));

  OperatorSpec ema;
  ema.name = "EMA";
  ema.signature = "EMA(x, N)";
  ema.doc = "exponential moving average, alpha = 2/(N+1) (N < 1: alpha = N); pandas ewm(adjust=True)";
  ema.nan_policy = "NaN rows keep decaying the weights (ignore_na=False); output carries forward";
  ema.warmup = "row 0 is x[0]; infinite memory";
  ema.kind = OperatorKind::kTimeSeries;
  ema.params = {ParamKind::kSpan};
  ema.evaluate = PandasInputs(
      [](const OperatorCall& call, std::span<double> out) { kernels::Ema(call.inputs[0], call.params[0], out); });
  ema.lookback = [](const std::vector<double>&) { return -1L; };  // unbounded
  registry.Add(std::move(ema));
}

}  // namespace alphaloom::expr
