#pragma once
// Synthetic data with known structure for the model tests.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "alphaloom/model/model.h"

namespace alphaloom::model::test {

/// An owned matrix with labels and weights; view() and labeled() point into it.
struct SyntheticData {
  size_t rows = 0;
  size_t cols = 0;
  std::vector<float> x;
  std::vector<double> label;
  std::vector<double> weight;
  std::vector<std::string> names;

  MatrixView view() const { return MatrixView(x, rows, cols, names); }
  LabeledMatrix labeled() const { return {view(), label, {}}; }
  LabeledMatrix weighted() const { return {view(), label, weight}; }
};

/// Portable draws: mt19937_64's output is fixed by the standard, the library distributions are not.
class Draws {
 public:
  explicit Draws(uint64_t seed) : engine_(seed) {}
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double Normal() {
    const double u1 = 1.0 - Uniform();
    const double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }

 private:
  std::mt19937_64 engine_;
};

/// Features x0..x4 ~ N(0, 1) (about 3% NaN in x3), `const` = 1. `objective` decides the label:
///   regression / huber: y = 2 x0 - x1 + 0.5 x2 + noise * e (plus an outlier every 50 rows for huber);
///   binary: 1 when x0 - 0.5 x1 + noise * e > 0;
///   multiclass: x0 + 0.5 x1 + noise * e cut into num_class equal bins over [-1, 1] (ends open).
/// Weights are uniform in [0.5, 1.5). Deterministic in `seed`.
inline SyntheticData MakeData(Objective objective, size_t rows, uint64_t seed, double noise = 0.3, int num_class = 3) {
  constexpr size_t kCols = 6;
  Draws draws(seed);
  SyntheticData data;
  data.rows = rows;
  data.cols = kCols;
  data.names = {"x0", "x1", "x2", "x3", "x4", "const"};
  data.x.resize(rows * kCols);
  for (size_t row = 0; row < rows; ++row) {
    float* values = &data.x[row * kCols];
    for (size_t col = 0; col < 5; ++col) values[col] = static_cast<float>(draws.Normal());
    if (draws.Uniform() < 0.03) values[3] = std::numeric_limits<float>::quiet_NaN();
    values[5] = 1.0f;
    const double e = draws.Normal();
    double label = 0;
    switch (objective) {
      case Objective::kRegression:
      case Objective::kHuber:
        label = 2.0 * values[0] - values[1] + 0.5 * values[2] + noise * e;
        if (objective == Objective::kHuber && row % 50 == 7) label += 20.0;
        break;
      case Objective::kBinary: label = values[0] - 0.5 * values[1] + noise * e > 0 ? 1.0 : 0.0; break;
      case Objective::kMulticlass: {
        const double width = 2.0 / num_class;
        label = std::clamp(std::floor((values[0] + 0.5 * values[1] + noise * e + 1.0) / width), 0.0,
                           static_cast<double>(num_class - 1));
        break;
      }
    }
    data.label.push_back(label);
    data.weight.push_back(0.5 + draws.Uniform());
  }
  return data;
}

}  // namespace alphaloom::model::test
