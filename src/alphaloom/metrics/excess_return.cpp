#include "alphaloom/metrics/excess_return.h"

#include <string>

#include "alphaloom/common/error.h"
#include "alphaloom/metrics/annual_return.h"

namespace alphaloom::metrics {

std::vector<double> ExcessReturns(std::span<const double> returns, std::span<const double> benchmark,
                                  std::span<const double> costs) {
  if (benchmark.size() != returns.size() || (!costs.empty() && costs.size() != returns.size())) {
    throw Error(ErrorKind::kData, "excess return: returns (" + std::to_string(returns.size()) + "), benchmark (" +
                                      std::to_string(benchmark.size()) + ") and costs (" +
                                      std::to_string(costs.size()) + ") must have the same length");
  }
  std::vector<double> excess(returns.size());
  for (size_t index = 0; index < returns.size(); ++index) {
    excess[index] = returns[index] - benchmark[index] - (costs.empty() ? 0.0 : costs[index]);
  }
  return excess;
}

double AnnualExcessReturn(std::span<const double> returns, std::span<const double> benchmark,
                          std::span<const double> costs, const Conventions& conventions) {
  return AnnualReturn(ExcessReturns(returns, benchmark, costs), conventions);
}

}  // namespace alphaloom::metrics
