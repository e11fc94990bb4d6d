#pragma once
// State buckets: forward returns mapped to ordered discrete states for multiclass models.
#include <optional>
#include <vector>

#include "alphaloom/label/label_frame.h"

namespace alphaloom::label {

struct StateSpec {
  /// Strictly increasing bucket edges b_1 < ... < b_m in return units: m + 1 states.
  std::vector<double> thresholds = {-0.03, -0.01, 0.01, 0.03, 0.06};
  /// The lowest state's number; by default -#{i : b_i <= 0}, which makes the bucket holding a
  /// zero return state 0 (the default edges give states -2..+3).
  std::optional<int> lowest;
};

/// The state of return r: lowest + #{i : b_i <= r} (buckets closed on the left). Throws
/// Error(kConfig) for empty or non-increasing thresholds.
int StateOf(double r, const StateSpec& spec);

/// Replaces every value of `frame` with its state (t1 and weights unchanged) and appends
/// "_states" to its name.
void ToStates(LabelFrame& frame, const StateSpec& spec);

}  // namespace alphaloom::label
