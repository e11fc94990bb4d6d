#pragma once
// The early-stopping rule both boosters share, identical to the callbacks of the lightgbm and
// xgboost Python packages so that the same data stop at the same round.
#include <limits>

namespace alphaloom::model {

/// Tracks the best validation loss. A round improves when its loss is strictly below the best
/// so far (a NaN loss never improves); training stops once `patience` rounds have passed since
/// the best round. Rounds are counted from 1.
class EarlyStopping {
 public:
  /// `patience` 0 never asks to stop.
  explicit EarlyStopping(int patience) : patience_(patience) {}

  /// Records the loss of the next round; true when training should stop after it.
  bool Update(double loss) {
    ++round_;
    if (loss < best_loss_) {
      best_loss_ = loss;
      best_round_ = round_;
    }
    if (best_round_ == 0 && round_ == 1) best_round_ = 1;
    return patience_ > 0 && round_ - best_round_ >= patience_;
  }

  /// The round with the lowest loss (the first of equals); 1 when no loss was ever finite; 0
  /// before any Update.
  int best_round() const { return best_round_; }
  double best_loss() const { return best_loss_; }

 private:
  int patience_;
  int round_ = 0;
  int best_round_ = 0;
  double best_loss_ = std::numeric_limits<double>::infinity();
};

}  // namespace alphaloom::model
