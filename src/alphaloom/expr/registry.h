#pragma once
// The operator registry: every operator's name, signature, doc line, NaN policy, warm-up and
// evaluation in one entry. The parser's output is checked against it, `alphaloom ops` prints
// it, and the executor runs it. Entries are added by the Register* functions of each ops_*.cpp,
// all called from DefaultRegistry() in registry.cpp.
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace alphaloom::expr {

enum class OperatorKind {
  kElementwise,     ///< value at t from inputs at t
  kTimeSeries,      ///< value at t from the instrument's rows up to t (rolling, Ref, EMA)
  kCrossSectional,  ///< value at t from every instrument's input at t
};

/// A trailing constant argument of an operator.
enum class ParamKind {
  kWindow,  ///< a non-negative integer row count (0 = expanding where the operator allows it)
  kShift,   ///< an integer; negative looks into the future and is refused outside labels
  kNumber,  ///< any finite number (e.g. Quantile's q)
  kSpan,    ///< EMA: an integer span >= 1, or a smoothing factor in (0, 1)
  kPeriod,  ///< TA-Lib-style period: an integer in [1, kMaxPeriod]
};

/// Largest period a kPeriod argument accepts (TA-Lib's own limit).
inline constexpr double kMaxPeriod = 100000;

/// Inputs of one evaluation: the series arguments over one instrument's rows (time-series and
/// element-wise operators) or over one date's instruments (cross-sectional), and the constants.
struct OperatorCall {
  std::vector<std::span<const double>> inputs;
  std::vector<double> params;
};

struct OperatorSpec {
  std::string name;
  std::string signature;    ///< e.g. "Mean(x, N)"
  std::string doc;          ///< one line
  std::string nan_policy;   ///< how NaN inputs are treated
  std::string warmup;       ///< first rows' behaviour
  OperatorKind kind = OperatorKind::kElementwise;
  size_t series_arity = 1;  ///< series arguments, first in the call
  std::vector<ParamKind> params;
  /// Also accepts a constant in place of each series argument (Add($close, 1), Greater(x, 0)).
  bool constants_as_series = false;
  /// Qlib's type flow: fields are float32 and numpy keeps float32 through element-wise math
  /// and shifts, while pandas rolling aggregations return float64. When true, the result is
  /// float32 (rounded) whenever every non-constant input is float32; matching this rounding is
  /// what makes Corr($close/Ref($close,1), ...) agree with Qlib to 1e-6 instead of 1e-4.
  bool keeps_float32 = false;
  /// Writes `out` (same length as the inputs).
  std::function<void(const OperatorCall&, std::span<double>)> evaluate;
  /// Rows of history before t that the value at t reads (from the params); -1 when unbounded.
  /// Program::Explain reports the deepest chain.
  std::function<long(const std::vector<double>&)> lookback;
};

class Registry {
 public:
  /// Adds `spec`; a duplicate name is an internal error.
  void Add(OperatorSpec spec);
  /// The operator, or nullptr when unknown.
  const OperatorSpec* Find(std::string_view name) const;
  /// Every operator, sorted by name.
  std::vector<const OperatorSpec*> All() const;

 private:
  std::map<std::string, OperatorSpec, std::less<>> specs_;
};

/// The registry with every built-in operator (built once, then shared read-only).
const Registry& DefaultRegistry();

void RegisterElementwiseOps(Registry& registry);
void RegisterTimeSeriesOps(Registry& registry);
void RegisterCrossSectionalOps(Registry& registry);
void RegisterTaOps(Registry& registry);

/// `alphaloom ops` output: "text", "markdown" or "json".
std::string DescribeOperators(const Registry& registry, std::string_view format);

}  // namespace alphaloom::expr
