#include "alphaloom/label/states.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "alphaloom/common/error.h"

namespace alphaloom::label {
namespace {

void CheckThresholds(const std::vector<double>& thresholds) {
  if (thresholds.empty()) throw Error(ErrorKind::kConfig, "label.thresholds: give at least one bucket edge");
  for (size_t i = 0; i < thresholds.size(); ++i) {
    if (!std::isfinite(thresholds[i]) || (i > 0 && thresholds[i] <= thresholds[i - 1])) {
      throw Error(ErrorKind::kConfig, fmt::format("label.thresholds: edges must be finite and strictly increasing, got {}",
                                                  fmt::join(thresholds, ", ")));
    }
  }
}

int Lowest(const StateSpec& spec) {
  if (spec.lowest) return *spec.lowest;
  return -static_cast<int>(std::upper_bound(spec.thresholds.begin(), spec.thresholds.end(), 0.0) - spec.thresholds.begin());
}

}  // namespace

int StateOf(double r, const StateSpec& spec) {
  CheckThresholds(spec.thresholds);
  const auto above = std::upper_bound(spec.thresholds.begin(), spec.thresholds.end(), r);
  return Lowest(spec) + static_cast<int>(above - spec.thresholds.begin());
}

void ToStates(LabelFrame& frame, const StateSpec& spec) {
  CheckThresholds(spec.thresholds);
  const int lowest = Lowest(spec);
  for (double& value : frame.value) {
    const auto above = std::upper_bound(spec.thresholds.begin(), spec.thresholds.end(), value);
    value = lowest + static_cast<int>(above - spec.thresholds.begin());
  }
  frame.name += "_states";
}

}  // namespace alphaloom::label
