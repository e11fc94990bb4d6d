// Element-wise operators: arithmetic, comparisons, logic and math functions. NaN rules follow
// numpy as Qlib uses it: arithmetic propagates NaN, x/0 = +-inf, comparisons with NaN are false
// (Ne true), a NaN condition is truthy.
#include <cmath>
#include <limits>

#include "alphaloom/expr/registry.h"

namespace alphaloom::expr {
namespace {

// The fields every element-wise operator shares; callers add the evaluation.
OperatorSpec Elementwise(std::string name, std::string signature, std::string doc, std::string nan_policy,
                         size_t arity) {
  OperatorSpec spec;
  spec.name = std::move(name);
  spec.signature = std::move(signature);
  spec.doc = std::move(doc);
  spec.nan_policy = std::move(nan_policy);
  spec.warmup = "none";
  spec.kind = OperatorKind::kElementwise;
  spec.series_arity = arity;
  spec.constants_as_series = arity > 1;
  spec.keeps_float32 = true;
  spec.lookback = [](const std::vector<double>&) { return 0L; };
  return spec;
}

template <typename Function>
OperatorSpec Binary(std::string name, std::string signature, std::string doc, std::string nan_policy, Function f) {
  OperatorSpec spec = Elementwise(std::move(name), std::move(signature), std::move(doc), std::move(nan_policy), 2);
  spec.evaluate = [f](const OperatorCall& call, std::span<double> out) {
    const auto a = call.inputs[0];
    const auto b = call.inputs[1];
    for (size_t row = 0; row < out.size(); ++row) out[row] = f(a[row], b[row]);
  };
  return spec;
}

template <typename Function>
OperatorSpec Unary(std::string name, std::string signature, std::string doc, std::string nan_policy, Function f) {
  OperatorSpec spec = Elementwise(std::move(name), std::move(signature), std::move(doc), std::move(nan_policy), 1);
  spec.evaluate = [f](const OperatorCall& call, std::span<double> out) {
    const auto a = call.inputs[0];
    for (size_t row = 0; row < out.size(); ++row) out[row] = f(a[row]);
  };
  return spec;
}

// numpy truthiness of a float: non-zero, and NaN counts as true.
bool Truthy(double value) { return value != 0.0; }

}  // namespace

void RegisterElementwiseOps(Registry& registry) {
  const std::string kPropagate = "NaN in either input gives NaN";
  const std::string kCompare = "a comparison with NaN is false (1 or 0 result)";
  registry.Add(Binary("Add", "a + b", "sum", kPropagate, [](double a, double b) { return a + b; }));
  registry.Add(Binary("Sub", "a - b", "difference", kPropagate, [](double a, double b) { return a - b; }));
  registry.Add(Binary("Mul", "a * b", "product", kPropagate, [](double a, double b) { return a * b; }));
  registry.Add(Binary("Div", "a / b", "quotient; x/0 = +-inf, 0/0 = NaN", kPropagate,
                      [](double a, double b) { return a / b; }));
  registry.Add(Binary("Power", "Power(a, b)", "a raised to b", kPropagate,
                      [](double a, double b) { return std::pow(a, b); }));
  registry.Add(Binary("Gt", "a > b", "1 when a > b, else 0", kCompare, [](double a, double b) { return a > b ? 1.0 : 0.0; }));
  registry.Add(Binary("Ge", "a >= b", "1 when a >= b, else 0", kCompare,
                      [](double a, double b) { return a >= b ? 1.0 : 0.0; }));
  registry.Add(Binary("Lt", "a < b", "1 when a < b, else 0", kCompare, [](double a, double b) { return a < b ? 1.0 : 0.0; }));
  registry.Add(Binary("Le", "a <= b", "1 when a <= b, else 0", kCompare,
                      [](double a, double b) { return a <= b ? 1.0 : 0.0; }));
  registry.Add(Binary("Eq", "a == b", "1 when a == b, else 0", kCompare,
                      [](double a, double b) { return a == b ? 1.0 : 0.0; }));
  registry.Add(Binary("Ne", "a != b", "1 when a != b, else 0", "a comparison with NaN is true",
                      [](double a, double b) { return a != b ? 1.0 : 0.0; }));
  registry.Add(Binary("And", "a & b", "logical and of truth values (non-zero is true)", "NaN counts as true",
                      [](double a, double b) { return Truthy(a) && Truthy(b) ? 1.0 : 0.0; }));
  registry.Add(Binary("Or", "a | b", "logical or of truth values (non-zero is true)", "NaN counts as true",
                      [](double a, double b) { return Truthy(a) || Truthy(b) ? 1.0 : 0.0; }));
  registry.Add(Binary("Greater", "Greater(a, b)", "element-wise maximum", kPropagate,
                      [](double a, double b) { return std::isnan(a) || std::isnan(b) ? std::nan("") : std::max(a, b); }));
  registry.Add(Binary("Less", "Less(a, b)", "element-wise minimum", kPropagate,
                      [](double a, double b) { return std::isnan(a) || std::isnan(b) ? std::nan("") : std::min(a, b); }));

  registry.Add(Unary("Abs", "Abs(x)", "absolute value", "NaN stays NaN", [](double x) { return std::fabs(x); }));
  registry.Add(Unary("Log", "Log(x)", "natural logarithm; log(0) = -inf, log(x<0) = NaN", "NaN stays NaN",
                     [](double x) { return std::log(x); }));
  registry.Add(Unary("Sign", "Sign(x)", "-1, 0 or 1", "NaN stays NaN", [](double x) {
    if (std::isnan(x)) return x;
    return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
  }));
  registry.Add(Unary("Not", "Not(x)", "1 when x is false (0), else 0", "NaN counts as true",
                     [](double x) { return Truthy(x) ? 0.0 : 1.0; }));

  OperatorSpec if_spec = Elementwise("If", "If(c, a, b)", "a where c is true (non-zero), else b",
                                     "a NaN condition counts as true (numpy.where)", 3);
  if_spec.evaluate = [](const OperatorCall& call, std::span<double> out) {
    for (size_t row = 0; row < out.size(); ++row) {
      out[row] = Truthy(call.inputs[0][row]) ? call.inputs[1][row] : call.inputs[2][row];
    }
  };
  registry.Add(std::move(if_spec));
}

}  // namespace alphaloom::expr
