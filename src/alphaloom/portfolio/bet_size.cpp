#include "alphaloom/portfolio/bet_size.h"

#include <algorithm>
#include <cmath>

namespace alphaloom::portfolio {

double BetSize(double probability, int classes) {
  if (std::isnan(probability)) return probability;
  if (probability <= 0) return -1;
  if (probability >= 1) return 1;
  const double z = (probability - 1.0 / classes) / std::sqrt(probability * (1 - probability));
  // 2 Phi(z) - 1 = erf(z / sqrt 2).
  return std::erf(z / std::sqrt(2.0));
}

double DiscretizeBetSize(double size, double step) {
  if (!(step > 0) || std::isnan(size)) return size;
  return std::clamp(std::round(size / step) * step, -1.0, 1.0);
}

}  // namespace alphaloom::portfolio
