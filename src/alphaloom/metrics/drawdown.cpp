#include "alphaloom/metrics/drawdown.h"

#include <algorithm>
#include <limits>

namespace alphaloom::metrics {

std::vector<double> Underwater(std::span<const double> prepared, const Conventions& conventions) {
  std::vector<double> underwater;
  underwater.reserve(prepared.size());
  const bool compound = conventions.compounding == Compounding::kCompound;
  double level = compound ? 1.0 : 0.0;
  double peak = conventions.initial_capital_is_peak ? level : -std::numeric_limits<double>::infinity();
  for (const double value : prepared) {
    level = compound ? level * (1.0 + value) : level + value;
    peak = std::max(peak, level);
    underwater.push_back(compound ? level / peak - 1.0 : level - peak);
  }
  return underwater;
}

}  // namespace alphaloom::metrics
